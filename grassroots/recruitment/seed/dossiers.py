"""Recruitment dossiers (发展党员档案) for the seed: people at every stage, so the demo shows a live pipeline.

Per branch (its own random stream, seeded by (seed, branch code)):
- every recruited probationary member the seed created (admitted in the last year) gets the dossier that led
  to its admission, built backwards from `admitted_on` (the admitting branch vote, REC-DATES);
- in a share of branches (`PIPELINE_SHARE`): new applicants (some with the talk overdue), activists (some
  close to the one-year mark), candidates (anywhere from designation to the branch vote, the public notice in
  progress or ended), and now and then a full member converted in the last months, with the whole dossier.

Votes (branch vote, conversion vote) carry a roster, as the vote form records one: the electorate is the
branch's full members on the vote date as `members.selectors.full_members_on` lists them (admitted and
converted by then, still full or ended later; not the member whose conversion is voted on), kept per branch
in a compact `Roll`. Those under 留党察看 then are excluded by the rules (REC-VOTERS-FULL); now and then one
other is excluded with a reason (illness, abroad, away with approval, or "other" with a note); most of the
rest are present, a few absent, about half of the absent send a written opinion (mostly yes); the counts are
the roster's, with now and then a no or an abstention among those present, and the vote always passes.
Mentors and sponsors are never members under 留党察看 (none of them is ever among the `seniors`).

Every step is built as a `rules` event and checked with `rules.check_event` against the timeline so far, with
the real calendar, in order: a refused step is a bug of this generator (RuleViolation propagates). The
stored payload and facts are what `services.event_record` stores (`payload_of` is the inverse of
`selectors.build_event`: a roster's exclusions as they count, 留党察看 included; the electorate's ids and each
one's {full, disciplinary_probation, name}), so the stored dossiers replay through `selectors.timeline_of` to
the same verdict.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from array import array
from dataclasses import dataclass, field, fields

from grassroots.core import crypto
from grassroots.core.dates import add_months, add_years
from grassroots.core.workdays import CHINA, workday_period_end
from grassroots.members.seed import people, vocab
from grassroots.orgs.seed.tree import Node

from .. import rules, selectors
from ..choices import (
    ActivistSource,
    Decider,
    EventKind,
    Stage,
    VoteExclusionReason,
    VoteOpinion,
)

APPLICANT_COLUMNS = (
    "id", "org_id", "name", "name_pinyin", "name_initials", "sex", "birth_date", "id_number_encrypted",
    "id_number_hash", "id_number_masked", "education", "occupation", "applied_on", "stage", "member_id",
    "created_at", "updated_at", "next_steps", "next_due_on", "next_computed_on", "talk_on", "activist_on",
    "candidate_on", "admitted_on", "converted_on",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "applicant_id", "kind", "on", "payload", "facts", "warnings", "recorded_by_id", "recorded_at",
    "sequence",
)  # fmt: skip

PIPELINE_SHARE = 0.6  # branches (with at least 3 full members) that have people in the pipeline
CONVERTED_SHARE = 0.3  # pipeline branches that also show a member converted in the last months
SENIORS = 6  # full members of longest standing kept per branch as mentors and sponsors
POLICY = (
    rules.Policy()
)  # the seed stores no RecruitmentPolicy: selectors.policy_for gives every org the defaults
EXCLUDED_SHARE = 0.01  # full members of a branch excluded from a vote with a reason (beside 留党察看)
ABSENT_MAX = 0.3  # the most of those who should attend who miss a vote (never half)
WRITTEN_SHARE = 0.5  # absent members who send a written opinion
_EXCLUSION = people.Picker(
    [
        (VoteExclusionReason.ILLNESS, 35),
        (VoteExclusionReason.ABROAD, 20),
        (VoteExclusionReason.AWAY_APPROVED, 35),
        (VoteExclusionReason.OTHER, 10),
    ]
)
# Notes of a vote exclusion for "other" reasons (VoteExclusionReason.OTHER must say what happened).
VOTE_EXCLUSION_NOTES = (
    "年老体弱、行动不便，经支部委员会同意不参加支部党员大会",
    "借调外地工作，经支部同意暂不参加本支部组织生活",
    "长期在外地照料病重家属，经支部同意",
)
_OPINION = people.Picker([(VoteOpinion.YES, 90), (VoteOpinion.ABSTAIN, 6), (VoteOpinion.NO, 4)])
_DAY = dt.timedelta(days=1)
ELECTORATE = selectors.ELECTORATE
_SEP = "\n"
_NEVER = dt.date.max.toordinal()

_M = {name: i for i, name in enumerate(people.MEMBER_COLUMNS)}
_REUSED = tuple(
    _M[c]
    for c in (
        "id", "name", "name_pinyin", "name_initials", "sex", "birth_date", "id_number_encrypted",
        "id_number_hash", "id_number_masked", "education", "occupation", "admitted_on", "converted_on",
        "status",
    )
)  # fmt: skip
_STATUS, _JOINED, _CONVERTED = _M["status"], _M["joined_how"], _M["converted_on"]


class Roll:
    """Every member of a branch who has been a full member, in the order `members.selectors.full_members_on`
    lists them (name_pinyin, id), kept compact for the province scale (ids and dates as integer arrays, the
    names in one string, the rare 留党察看 periods in a dict). `on(day)` is the electorate of a vote."""

    __slots__ = ("_facts", "admitted", "converted", "ended", "ids", "names", "watched")

    def __init__(self, rows: list[tuple]):
        """`rows`: (name_pinyin, id, name, admitted_on, converted_on, ended_on, disciplinary_probation_from,
        disciplinary_probation_until), as `people.PeopleFactory.members` leaves them in `last_roll`."""
        rows = sorted(rows)  # by (name_pinyin, id): ids are unique
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


# ---------------------------------------------------------------------------------------------- payloads

_FIELDS = {
    kind: tuple(f.name for f in fields(cls) if f.name != "on") for kind, cls in rules.EVENT_TYPES.items()
}
_VOTE_FIELDS = tuple(f.name for f in fields(rules.VoteCounts))


def payload_of(event: rules.Event) -> tuple[dict, dict]:
    """(payload, facts) as stored: the inverse of `selectors.build_event`."""
    payload: dict = {}
    facts: dict = {}
    for name in _FIELDS[event.kind]:
        value = getattr(event, name)
        if name == "votes":
            payload.update({v: getattr(value, v) for v in _VOTE_FIELDS})
        elif name == "roster":
            if value is not None:
                payload[name], electorate = _roster_payload(value)
                facts |= electorate
        elif name in ("mentors", "sponsors"):
            payload[name] = [p.member_id for p in value]
            for p in value:
                facts[str(p.member_id)] = {"full": p.full, "disciplinary_probation": p.disciplinary_probation}
        elif isinstance(value, dt.date):
            payload[name] = value.isoformat()
        elif value is not None:
            payload[name] = value
    return payload, facts


def _roster_payload(roster: rules.VoteRoster) -> tuple[dict, dict]:
    """A vote roster and its electorate's facts as `services.event_record` stores them: the exclusions as they
    count (留党察看 included, by member id), those present by id, the written opinions in roster order; the
    electorate's ids in order and each one's {full, disciplinary_probation, name}."""
    payload = {
        "excluded": [
            {"member": member_id, "reason": str(e.reason), "note": e.note}
            for member_id, e in sorted(rules.roster_excluded(roster).items())
        ],
        "present": sorted(roster.present),
        "written": [{"member": member_id, "opinion": str(o)} for member_id, o in roster.written.items()],
    }
    facts: dict = {ELECTORATE: [p.member_id for p in roster.electorate]}
    for p in roster.electorate:
        facts[str(p.member_id)] = {
            "full": p.full, "disciplinary_probation": p.disciplinary_probation, "name": p.name,
        }  # fmt: skip
    return payload, facts


class Dossier:
    """A timeline built step by step, each step checked by the rules before it is added."""

    __slots__ = ("events", "timeline", "warnings")

    def __init__(self, birth_date: dt.date, applied_on: dt.date):
        rules.check_application(birth_date=birth_date, applied_on=applied_on)
        self.timeline = rules.Timeline(birth_date=birth_date, applied_on=applied_on)
        self.events: list[rules.Event] = []
        self.warnings: list[list[rules.RecruitmentWarning]] = []

    def add(self, event: rules.Event) -> None:
        self.warnings.append(rules.check_event(self.timeline, event, policy=POLICY, calendar=CHINA))
        self.timeline = self.timeline.with_event(event)
        self.events.append(event)


# ---------------------------------------------------------------------------------------------- steps


class Builder:
    """The dossiers of one branch."""

    def __init__(self, bp: BranchPeople, rng: random.Random, as_of: dt.date):
        self.bp = bp
        self.rng = rng
        self.as_of = as_of
        # orgs.seed.committees.committee_roles: a committee from 7 full members
        self.has_committee = bp.n_full >= 7

    def _people(self, on: dt.date, low: int, high: int) -> tuple[rules.MemberFacts, ...] | None:
        eligible = [mid for mid, converted in self.bp.seniors if converted <= on]
        if len(eligible) < low:
            return None
        k = self.rng.randint(low, min(high, len(eligible)))
        return tuple(rules.MemberFacts(member_id=mid, full=True) for mid in self.rng.sample(eligible, k))

    def _votes(self, on: dt.date, leaving: int | None = None) -> tuple[rules.VoteCounts, rules.VoteRoster]:
        """The roster and counts of a vote on `on` that passes: the branch's full members then (`Roll.on`;
        `leaving`, whose conversion is voted on, is not one), those under 留党察看 excluded by the rules, now
        and then one excluded with a reason, most present, some of the absent sending a written opinion; the
        counts are the roster's, with now and then a no or an abstention among those present."""
        rng = self.rng
        electorate = self.bp.roll.on(on, leaving)
        voters = [p.member_id for p in electorate if not p.disciplinary_probation]
        excluded: dict[int, rules.Exclusion] = {}
        for member_id in voters:
            if len(voters) - len(excluded) > 3 and rng.random() < EXCLUDED_SHARE:
                reason = _EXCLUSION(rng)
                note = rng.choice(VOTE_EXCLUSION_NOTES) if reason == VoteExclusionReason.OTHER else ""
                excluded[member_id] = rules.Exclusion(reason, note)
        attending = [m for m in voters if m not in excluded]
        should = len(attending)
        away = set(rng.sample(attending, min((should - 1) // 2, int(should * ABSENT_MAX * rng.random()))))
        written = {}
        for member_id in attending:
            if member_id in away and rng.random() < WRITTEN_SHARE:
                written[member_id] = _OPINION(rng)
        roster = rules.VoteRoster(
            electorate=tuple(electorate),
            excluded=excluded,
            present=frozenset(m for m in attending if m not in away),
            written=written,
        )
        counts = rules.roster_counts(roster)
        present = counts.present
        no = 1 if present >= 5 and rng.random() < 0.15 else 0
        abstain = 1 if present - no >= 5 and rng.random() < 0.15 else 0
        if 2 * (present - no - abstain + counts.written_yes) <= should:  # a dissent that would sink it: none
            no = abstain = 0
        votes = rules.VoteCounts(
            should_attend=counts.should_attend, present=present, yes=present - no - abstain, no=no,
            abstain=abstain, written_yes=counts.written_yes,
        )  # fmt: skip
        return votes, roster

    def applicant_part(self, d: Dossier, activist_on: dt.date | None, talk: bool = True) -> None:
        rng = self.rng
        applied = d.timeline.applied_on
        limit = activist_on or self.as_of
        if talk:
            on = applied + dt.timedelta(days=rng.randint(3, 25))
            if on <= limit:
                d.add(rules.Talk(on=on))
        if activist_on is None:
            return
        d.add(
            rules.ActivistDesignated(
                on=activist_on,
                source=ActivistSource.MEMBER_RECOMMENDATION
                if rng.random() < 0.7
                else ActivistSource.YOUTH_LEAGUE_RECOMMENDATION,
                decided_by=Decider.BRANCH_COMMITTEE if self.has_committee else Decider.GENERAL_MEETING,
                branch_has_committee=self.has_committee,
            )
        )
        on = activist_on + dt.timedelta(days=rng.randint(0, 10))
        mentors = self._people(on, 1, 2)
        if mentors is None:
            raise _Infeasible
        d.add(rules.MentorsAssigned(on=min(on, self.as_of), mentors=mentors))

    def assessments(self, d: Dossier, until: dt.date) -> None:
        """Assessments every 4–6 months from the designation while they fall on or before `until`: the gap to
        `until` then stays under six months (REC-ASSESS-6M)."""
        on = next(e.on for e in d.events if e.kind == EventKind.ACTIVIST_DESIGNATED)
        while True:
            on = on + dt.timedelta(days=self.rng.randint(120, 175))
            if on > until:
                return
            d.add(rules.Assessment(on=on))

    def _training(self, on: dt.date) -> rules.TrainingCompleted:
        if self.rng.random() < 0.5:
            return rules.TrainingCompleted(on=on, days=self.rng.choice((3, 3, 4, 5)))
        return rules.TrainingCompleted(on=on, hours=self.rng.choice((24, 24, 28, 32)))

    def candidate_forward(self, candidate_on: dt.date) -> tuple[list, dt.date]:
        """The steps from sponsors to the public notice after a designation on `candidate_on`, and the earliest
        day of the branch vote plus a few days."""
        rng = self.rng
        on = candidate_on + dt.timedelta(days=rng.randint(0, 14))
        steps: list = [("sponsors", on)]
        on += dt.timedelta(days=rng.randint(7, 40))
        steps.append(("review", on))
        on += dt.timedelta(days=rng.randint(5, 40))
        steps.append(("training", on))
        on += dt.timedelta(days=rng.randint(5, 30))
        steps.append(("pre_review", on))
        on += dt.timedelta(days=rng.randint(3, 15))
        working_days = rng.choice((5, 5, 5, 7))
        steps.append(("notice", on, working_days))
        period = workday_period_end(on, working_days, calendar=CHINA)
        return steps, period.next_day + dt.timedelta(days=rng.randint(0, 10))

    def candidate_backward(self, vote_on: dt.date) -> tuple[dt.date, list]:
        """The designation date and the steps from sponsors to the public notice for a branch vote on
        `vote_on` (the notice ended before it, REC-NOTICE)."""
        rng = self.rng
        working_days = rng.choice((5, 5, 5, 7))
        start = vote_on - dt.timedelta(days=rng.randint(8, 20))
        while workday_period_end(start, working_days, calendar=CHINA).end >= vote_on:
            start -= _DAY
        pre_review = start - dt.timedelta(days=rng.randint(3, 15))
        training = pre_review - dt.timedelta(days=rng.randint(5, 30))
        review = training - dt.timedelta(days=rng.randint(5, 40))
        sponsors = review - dt.timedelta(days=rng.randint(7, 40))
        candidate_on = sponsors - dt.timedelta(days=rng.randint(0, 14))
        steps = [
            ("sponsors", sponsors),
            ("review", review),
            ("training", training),
            ("pre_review", pre_review),
            ("notice", start, working_days),
        ]
        return candidate_on, steps

    def candidate_part(
        self, d: Dossier, candidate_on: dt.date, steps: list, vote_on: dt.date, stop: dt.date
    ) -> bool:
        """The designation, the planned steps and the branch vote, each only if on or before `stop`; True when
        the vote was recorded."""
        d.add(rules.CandidateDesignated(on=candidate_on))
        for step in steps:
            kind, on = step[0], step[1]
            if on > stop:
                return False
            if kind == "sponsors":
                sponsors = self._people(on, 2, 2)
                if sponsors is None:
                    raise _Infeasible
                d.add(rules.SponsorsAssigned(on=on, sponsors=sponsors))
            elif kind == "review":
                d.add(rules.PoliticalReview(on=on, passed=True))
            elif kind == "training":
                d.add(self._training(on))
            elif kind == "pre_review":
                d.add(rules.PreReview(on=on, passed=True))
            else:
                d.add(rules.PublicNotice(on=on, working_days=step[2], start_on=on))
        if vote_on > stop:
            return False
        votes, roster = self._votes(vote_on)
        d.add(rules.BranchVote(on=vote_on, votes=votes, roster=roster))
        return True


class _Infeasible(Exception):
    """The branch cannot give this person a dossier (no full member old enough to be mentor or sponsor)."""


# ---------------------------------------------------------------------------------------------- people


def _applicant_row(aid: int, node: Node, person: tuple, d: Dossier, stage: str, member_id, now, as_of):
    """The dossier's row, with its stored next steps (`selectors.next_for` of the seeded timeline under the
    default policy) and milestone dates (`selectors.milestones_of`), as `services.event_record` stores them."""
    (name, full_pinyin, initials, sex, birth, enc, digest, masked, education, occupation) = person
    steps, due_on = selectors.stored_next(selectors.next_for(stage, d.timeline, POLICY))
    return (
        aid, node.id, name, full_pinyin, initials, sex, birth, enc, digest, masked, education, occupation,
        d.timeline.applied_on, stage, member_id, now, now, json.dumps(steps), due_on, as_of,
        *selectors.milestones_of(d.timeline).values(),
    )  # fmt: skip


class RecruitmentFactory:
    """Dossiers of every branch, in path order: `events()` yields event rows and fills `applicants`."""

    def __init__(self, factory: people.PeopleFactory, seed: int, as_of: dt.date, now: dt.datetime):
        self.factory = factory
        self.seed = seed
        self.as_of = as_of
        self.now = now
        self.applicants: list[tuple] = []
        self.next_event = 1
        self.stages: dict[str, int] = {}

    def _new_person(self, rng: random.Random, node: Node, applied_on: dt.date) -> tuple:
        occ = people._OCCUPATION.get(node.unit_kind, people._OCCUPATION["other"])(rng)
        if occ == "retiree":
            occ = "other"
        if node.flavor == "students":
            occ = "student"
        age = rng.randint(18, 22) if occ == "student" else rng.randint(20, 42)
        sex = "female" if rng.random() < 0.45 else "male"
        birth = applied_on - dt.timedelta(days=age * 365 + age // 4 + rng.randrange(365))
        while add_years(birth, rules.MIN_AGE) > applied_on:
            birth -= _DAY
        ethnicity = "汉族" if rng.random() >= vocab.MINORITY_SHARE else people._MINORITY(rng)
        name, full_pinyin, initials = self.factory.name(rng, sex, ethnicity)
        number = self.factory.id_number(rng, node.region, birth, sex)
        education = people._EDUCATION[occ](rng)
        return (
            name, full_pinyin, initials, sex, birth, *crypto.protect_id_number(number), education, occ,
        )  # fmt: skip

    def _emit(self, node: Node, person: tuple, d: Dossier, member_id, expected: str):
        stage = str(rules.stage_of(d.timeline))
        if stage != expected:
            raise AssertionError(f"seed dossier in {node.code} ended in {stage}, planned {expected}")
        aid = len(self.applicants) + 1
        self.applicants.append(_applicant_row(aid, node, person, d, stage, member_id, self.now, self.as_of))
        self.stages[stage] = self.stages.get(stage, 0) + 1
        for seq, (event, warnings) in enumerate(zip(d.events, d.warnings, strict=True), start=1):
            payload, facts = payload_of(event)
            yield (
                self.next_event,
                aid,
                str(event.kind),
                event.on,
                json.dumps(payload),
                json.dumps(facts),
                json.dumps([{"rule_id": w.rule_id, "message": w.message} for w in warnings]),
                None,
                self.now,
                seq,
            )
            self.next_event += 1

    def events(self, branches):
        for bp in branches:
            yield from self.branch(bp)

    def branch(self, bp: BranchPeople):
        if bp.n_full < 2:
            return
        node = bp.node
        as_of = self.as_of
        rng = random.Random(f"{self.seed}:recruitment:{node.code}")
        b = Builder(bp, rng, as_of)
        pipeline = bp.n_full >= 3 and rng.random() < PIPELINE_SHARE
        converted_left = 1 if pipeline and rng.random() < CONVERTED_SHARE else 0
        for row in bp.reused:
            mid, person, admitted, converted, st = row[0], row[1:11], row[11], row[12], row[13]
            if st == "full":
                if not converted_left or converted > as_of - dt.timedelta(days=10):
                    continue
                converted_left -= 1
            d = self._admitted(b, mid, person[4], admitted, converted if st == "full" else None)
            if d is not None:
                yield from self._emit(
                    node, person, d, mid, Stage.FULL if st == "full" else Stage.PROBATIONARY
                )
        if not pipeline:
            return
        for _ in range(rng.choice((0, 1, 1, 2))):
            applied = as_of - dt.timedelta(days=rng.randint(2, 90))
            person = self._new_person(rng, node, applied)
            d = Dossier(person[4], applied)
            overdue = add_months(applied, rules.TALK_WITHIN_MONTHS) < as_of and rng.random() < 0.35
            b.applicant_part(d, None, talk=not overdue and rng.random() < 0.85)
            yield from self._emit(node, person, d, None, Stage.APPLICANT)
        for _ in range(rng.choice((0, 1, 1, 2))):
            r = rng.random()
            if r < 0.3:  # the one-year mark is near: may be designated a candidate within two months
                activist_on = as_of - dt.timedelta(days=rng.randint(305, 364))
            elif r < 0.9:
                activist_on = as_of - dt.timedelta(days=rng.randint(15, 304))
            else:  # past the mark, not designated yet
                activist_on = as_of - dt.timedelta(days=rng.randint(366, 420))
            applied = activist_on - dt.timedelta(days=rng.randint(40, 300))
            person = self._new_person(rng, node, applied)
            try:
                d = Dossier(person[4], applied)
                b.applicant_part(d, activist_on)
                b.assessments(d, as_of)
            except _Infeasible:
                continue
            yield from self._emit(node, person, d, None, Stage.ACTIVIST)
        for _ in range(rng.choice((0, 0, 1))):
            candidate_on = as_of - dt.timedelta(days=rng.randint(3, 110))
            activist_on = candidate_on - dt.timedelta(days=rng.randint(366, 480))
            applied = activist_on - dt.timedelta(days=rng.randint(40, 300))
            person = self._new_person(rng, node, applied)
            try:
                d = Dossier(person[4], applied)
                b.applicant_part(d, activist_on)
                b.assessments(d, candidate_on)
                steps, vote_on = b.candidate_forward(candidate_on)
                b.candidate_part(d, candidate_on, steps, vote_on, stop=as_of)
            except _Infeasible:
                continue
            yield from self._emit(node, person, d, None, Stage.CANDIDATE)

    def _admitted(
        self, b: Builder, member_id: int, birth: dt.date, vote_on: dt.date, converted: dt.date | None
    ):
        """The dossier of member `member_id` admitted by the vote of `vote_on` (and converted on `converted`), built
        backwards from the vote; None when it cannot be (too young to have applied at 18 that long before, no
        full member of the branch old enough to be mentor or sponsor)."""
        rng = b.rng
        as_of = self.as_of
        candidate_on, steps = b.candidate_backward(vote_on)
        activist_on = candidate_on - dt.timedelta(days=rng.randint(366, 480))
        applied = activist_on - dt.timedelta(days=rng.randint(40, 300))
        adult = add_years(birth, rules.MIN_AGE)
        if applied < adult:
            applied = adult
            if applied > activist_on - dt.timedelta(days=30):
                return None
        try:
            d = Dossier(birth, applied)
            b.applicant_part(d, activist_on)
            b.assessments(d, candidate_on)
            b.candidate_part(d, candidate_on, steps, vote_on, stop=vote_on)
        except _Infeasible:
            return None
        approval = min(vote_on + dt.timedelta(days=rng.randint(7, 60)), as_of)
        d.add(rules.Approval(on=approval))
        oath = approval + dt.timedelta(days=rng.randint(0, 30))
        if converted is None:
            if oath <= as_of:
                d.add(rules.Oath(on=oath))
            return d
        d.add(rules.Oath(on=oath))
        conversion_vote = converted + dt.timedelta(
            days=rng.randint(0, min(20, (as_of - converted).days // 2))
        )
        votes, roster = b._votes(conversion_vote, leaving=member_id)
        d.add(rules.ConversionVote(on=conversion_vote, votes=votes, roster=roster))
        room = (as_of - conversion_vote).days
        d.add(rules.ConversionApproval(on=conversion_vote + dt.timedelta(days=rng.randint(1, min(45, room)))))
        return d
