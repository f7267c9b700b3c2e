"""What the seed keeps of a branch's members for its dossiers, compactly (province scale).

`keep(as_of)` picks, of the member rows the members hook makes, the recruited members whose dossier the seed
writes (admitted in the last year, or converted lately). `branch_people` keeps of a branch its full members of
longest standing (`SENIORS`, the mentors and sponsors; never members under 留党察看) and the `Roll` of its votes:
every member who has been a full member, in the order `members.selectors.full_members_on` lists them, so that
`Roll.on(day)` is the electorate of a vote on that day (admitted and converted by then, still full or ended
later; not the member whose conversion is voted on), each with whether they are under 留党察看 then.
"""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass, field

from grassroots.members.seed import people
from grassroots.orgs.seed.tree import Node

from .. import rules

SENIORS = 6  # full members of longest standing kept per branch as mentors and sponsors
_SEP = "\n"
_NEVER = dt.date.max.toordinal()

_M = {name: i for i, name in enumerate(people.MEMBER_COLUMNS)}
_REUSED = tuple(
    _M[c]
    for c in (
        "id", "name", "name_pinyin", "name_initials", "sex", "birth_date", "id_number_encrypted",
        "id_number_hash", "id_number_masked", "id_number_tail_hash", "education", "occupation", "admitted_on", "converted_on",
        "status",
    )
)  # fmt: skip
_STATUS, _JOINED, _CONVERTED = _M["status"], _M["joined_how"], _M["converted_on"]


class Roll:
    """Every member of a branch who has been a full member, in the order `members.selectors.full_members_on`
    lists them (name_sort, id), kept compact for the province scale (ids and dates as integer arrays, the
    names in one string, the rare 留党察看 periods in a dict). `on(day)` is the electorate of a vote."""

    __slots__ = ("_facts", "admitted", "converted", "ended", "ids", "names", "watched")

    def __init__(self, rows: list[tuple]):
        """`rows`: (name_sort, id, name, admitted_on, converted_on, ended_on, disciplinary_probation_from,
        disciplinary_probation_until), as `people.PeopleFactory.members` leaves them in `last_roll`."""
        rows = sorted(rows)  # by (name_sort, id): ids are unique
        self.ids = array("q", [r[1] for r in rows])
        self.names = _SEP.join([r[2] for r in rows])
        self.admitted = array("l", [r[3].toordinal() for r in rows])
        self.converted = array("l", [r[4].toordinal() for r in rows])
        self.ended = array("l", [r[5].toordinal() if r[5] else _NEVER for r in rows])
        self.watched = {r[1]: (r[6], r[7]) for r in rows if r[6] is not None}
        self._facts: list[rules.MemberFacts] | None = None  # built on the first vote: most branches have none

    def on(self, day: dt.date, leaving: int | None = None) -> list[rules.MemberFacts]:
        """The full members on `day` as `full_members_on` finds them (admitted and converted on or before it,
        full still or ended after it), each with whether they are under 留党察看 then; `leaving` (the member
        whose own conversion is voted on, probationary that day) is left out."""
        if self._facts is None:
            self._facts = [
                rules.MemberFacts(member_id=mid, full=True, name=name)
                for mid, name in zip(self.ids, self.names.split(_SEP), strict=True)
            ]
        d = day.toordinal()
        out = []
        for facts, admitted, converted, ended in zip(
            self._facts, self.admitted, self.converted, self.ended, strict=True
        ):
            if converted <= d and admitted <= d and ended > d and facts.member_id != leaving:
                period = self.watched.get(facts.member_id)
                if period is not None and period[0] <= day < period[1]:
                    facts = rules.MemberFacts(
                        member_id=facts.member_id, full=True, disciplinary_probation=True, name=facts.name
                    )
                out.append(facts)
        return out


@dataclass
class BranchPeople:
    """What the seed keeps of a branch's members for its dossiers (compact: province scale)."""

    node: Node
    n_full: int
    seniors: list[tuple[int, dt.date]]  # (member id, converted_on), longest standing first
    roll: Roll  # the electorate of its votes
    reused: list[tuple] = field(default_factory=list)  # recruited probationary / recently converted members


def keep(as_of: dt.date):
    """A filter on member rows: the recruited members whose dossier the seed writes (the `_REUSED` fields)."""
    recent = as_of - dt.timedelta(days=330)

    def wanted(row: tuple) -> tuple | None:
        if row[_JOINED] != "recruited":
            return None
        status = row[_STATUS]
        if status == "probationary" or (status == "full" and row[_CONVERTED] >= recent):
            return tuple(row[i] for i in _REUSED)
        return None

    return wanted


def branch_people(
    node: Node, full_info: list[tuple[int, dt.date, bool]], reused: list[tuple], roll: list[tuple]
) -> BranchPeople:
    """`full_info`: the full members who may be mentors and sponsors (none under 留党察看); `roll`: everyone
    who has been a full member (`people.PeopleFactory.last_roll`)."""
    seniors = sorted(((c[0], c[1]) for c in full_info), key=lambda c: (c[1], c[0]))[:SENIORS]
    return BranchPeople(node, len(full_info), seniors, Roll(roll), reused)
