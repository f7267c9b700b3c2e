"""The meetings' seed hook: a year of organizational life for every branch of the demo tree.

`on_people(ctx, made)` keeps, of each branch, the little its meetings need (`year.Person`: id, group, vote,
admission, mobile, lost contact, name). `load(ctx)` makes every branch's year (`year.YearFactory`): meetings of
every kind with realistic gaps, attendance (streamed: it is the large table), minutes (some late, the last ones
still drafts), a few votes, amendments, the appraisal's grades, talks, standing excusals of mobile members and
the notices of the meetings planned ahead; then seals the finalized records and fills the cadence counts and the stored lapse state.
"""

from __future__ import annotations

from dataclasses import dataclass

from grassroots.core.scoping import unscoped
from grassroots.core.seeds import SeedContext
from grassroots.members.choices import ACTIVE_STATUSES, MemberStatus
from grassroots.members.models import Member
from grassroots.members.seed import OrgPeople
from grassroots.members.seed.people import MEMBER_COLUMNS
from grassroots.orgs.models import Org

from .. import cadence, lapse_store
from ..models import (
    AppraisalRecord,
    Attendance,
    LapseExcusal,
    Meeting,
    MeetingNotice,
    MeetingSeal,
    MemberLapseState,
    Minutes,
    MinutesAmendment,
    OrgCadenceCount,
    SubtreeCadence,
    Talk,
    Vote,
)
from ..services import seals
from . import year

_COL = {name: i for i, name in enumerate(MEMBER_COLUMNS)}


@dataclass
class Year:
    """What the meetings hook produced."""

    meetings: int
    attendance: int
    finalized: int


def _person(row: tuple) -> year.Person | None:
    if row[_COL["status"]] not in ACTIVE_STATUSES or row[_COL["ended_on"]] is not None:
        return None
    return year.Person(
        id=row[_COL["id"]],
        group_id=row[_COL["party_group_id"]],
        full=row[_COL["status"]] == MemberStatus.FULL,
        probation=(row[_COL["disciplinary_probation_from"]], row[_COL["disciplinary_probation_until"]]),
        admitted_on=row[_COL["admitted_on"]],
        mobile=bool(row[_COL["is_mobile"]]),
        lost=bool(row[_COL["is_lost_contact"]]),
        name=row[_COL["name"]],
    )


def on_people(ctx: SeedContext, made: OrgPeople) -> None:
    if made.node.kind != "branch":
        return
    branches: list[year.Branch] = ctx.scratch.setdefault("meetings", [])
    tree = ctx.products["orgs"]
    people = [p for p in map(_person, made.rows) if p is not None]
    people.sort(key=lambda p: p.id)
    branches.append(
        year.Branch(made.node.id, made.node.code, list(tree.groups.get(made.node.path, [])), people)
    )


def _committees(ctx: SeedContext, branches: list[year.Branch]) -> None:
    """The committee in office of each branch (the orgs hook elected them once the members were made)."""
    committees = ctx.products["orgs"].committees
    current = {cid: org_id for cid, org_id, _elected, _term, _ends, _now in committees.rows}
    posts: dict[int, list[tuple[str, int]]] = {}
    for _pid, cid, member_id, role, _started, ended in committees.posts:
        if ended is None and cid in current:
            posts.setdefault(current[cid], []).append((role, member_id))
    for branch in branches:
        held = posts.get(branch.org_id, [])
        branch.committee = [member_id for _role, member_id in held]
        branch.secretary = next((m for role, m in held if role == "secretary"), None)


_PERSON_FIELDS = (
    "id", "party_group_id", "status", "disciplinary_probation_from", "disciplinary_probation_until", "admitted_on",
    "is_mobile", "is_lost_contact", "name", "ended_on",
)  # fmt: skip


def _upper(ctx: SeedContext, branches: list[year.Branch]) -> list[year.Upper]:
    """The committees of the orgs above the branches (党委、总支), with the members holding their posts."""
    committees = ctx.products["orgs"].committees
    below = {b.org_id for b in branches}
    elected = {
        cid: (org_id, on) for cid, org_id, on, _term, _ends, _now in committees.rows if org_id not in below
    }
    spans: dict[int, dict[int, tuple]] = {}
    roles: dict[int, list[tuple[str, int]]] = {}
    for _pid, cid, member_id, role, started, ended in committees.posts:
        if cid in elected:
            org_id = elected[cid][0]
            spans.setdefault(org_id, {})[member_id] = (started, ended)
            roles.setdefault(org_id, []).append((role, member_id))
    ids = sorted({m for held in spans.values() for m in held})
    with unscoped():
        rows = Member.objects.unscoped_all().filter(pk__in=ids).values_list(*_PERSON_FIELDS)
        people = {
            r[0]: year.Person(
                r[0], r[1], r[2] == MemberStatus.FULL, (r[3], r[4]), r[5], bool(r[6]), bool(r[7]), r[8]
            )
            for r in rows
            if r[2] in ACTIVE_STATUSES and r[9] is None
        }
        codes = dict(Org.objects.unscoped_all().filter(pk__in=list(spans)).values_list("pk", "code"))
    out = []
    for _cid, (org_id, on) in sorted(elected.items()):
        held = {m: span for m, span in spans.get(org_id, {}).items() if m in people}
        if not held:
            continue
        body = year.Branch(
            org_id, codes[org_id], [], [people[m] for m in sorted(held)], committee=sorted(held)
        )
        body.secretary = next((m for role, m in roles[org_id] if role == "secretary" and m in held), None)
        out.append(year.Upper(body, on, held))
    return out


def _cadence_fill(ctx: SeedContext) -> None:
    """The cadence counts of the loaded meetings and talks, and the subtree rollup of the year as of the seed's
    day (what `derived_refresh cadence` would compute)."""
    live = cadence.live_counts(None)
    rows = [(org_id, kind, start, n) for (org_id, kind, start), n in sorted(live.items())]
    ctx.copy_rows(OrgCadenceCount._meta.db_table, ("org_id", "kind", "period_start", "held"), rows)
    ctx.loaded(OrgCadenceCount, explicit_ids=False)
    with unscoped():
        roots = list(Org.objects.unscoped_all().filter(depth=1))
    years = sorted({ctx.as_of.year - 1, ctx.as_of.year})
    for root in roots:
        for y in years:
            cadence.rollup_write(root.path, y, ctx.as_of, root)
    ctx.loaded(SubtreeCadence, explicit_ids=False)
    ctx.say(f"cadence counts filled: {len(rows):,}")


def _lapse_fill(ctx: SeedContext) -> None:
    """The stored lapse state as of the seed's day (what `derived_refresh lapse` would compute), so that the
    to-do and the member badges read the demo's members at the warn and lapse levels."""
    # The rows are computed with queries: collect them first (on PostgreSQL, COPY holds the connection).
    computed = list(lapse_store.computed_rows(ctx.as_of))
    rows = ctx.copy_rows(MemberLapseState._meta.db_table, lapse_store.COLUMNS, computed)
    ctx.loaded(MemberLapseState, explicit_ids=False)
    ctx.say(f"lapse state filled: {rows:,} members at the warn or lapse level")


def load(ctx: SeedContext) -> None:
    branches: list[year.Branch] = ctx.scratch.pop("meetings", [])
    _committees(ctx, branches)
    factory = year.YearFactory(ctx.seed, ctx.as_of, ctx.now)
    # Attendance first, streamed; the meetings and the rest are collected meanwhile and loaded after (foreign
    # keys are checked at commit).
    attendance = ctx.copy_rows(
        Attendance._meta.db_table,
        year.ATTENDANCE_COLUMNS,
        factory.attendance(branches, _upper(ctx, branches)),
    )
    meetings = ctx.copy_rows(Meeting._meta.db_table, year.MEETING_COLUMNS, factory.meetings)
    ctx.copy_rows(Minutes._meta.db_table, year.MINUTES_COLUMNS, factory.minutes)
    ctx.copy_rows(Vote._meta.db_table, year.VOTE_COLUMNS, factory.votes)
    ctx.copy_rows(AppraisalRecord._meta.db_table, year.APPRAISAL_COLUMNS, factory.appraisals)
    ctx.copy_rows(MinutesAmendment._meta.db_table, year.AMENDMENT_COLUMNS, factory.amendments)
    ctx.copy_rows(Talk._meta.db_table, year.TALK_COLUMNS, factory.talks)
    ctx.copy_rows(LapseExcusal._meta.db_table, year.EXCUSAL_COLUMNS, factory.excusals)
    ctx.copy_rows(MeetingNotice._meta.db_table, year.NOTICE_COLUMNS, factory.notices)
    ctx.loaded(
        Meeting,
        Minutes,
        Attendance,
        Vote,
        AppraisalRecord,
        MinutesAmendment,
        Talk,
        LapseExcusal,
        MeetingNotice,
    )
    finalized = sum(1 for h in factory.held if h.final)
    sealed = seals.seals_fill(ctx.copy_rows)
    ctx.loaded(MeetingSeal)
    ctx.say(f"meeting records sealed: {sealed:,}")
    _cadence_fill(ctx)
    _lapse_fill(ctx)
    ctx.say(
        f"meetings loaded: {meetings:,} ({finalized:,} with final minutes), {attendance:,} attendance rows"
    )
    ctx.products["meetings"] = Year(meetings=meetings, attendance=attendance, finalized=finalized)
