"""Recruitment dossiers (发展党员档案) for the seed: people at every stage, so the demo shows a live pipeline.

Per branch (its own random stream, seeded by (seed, branch code)):
- every recruited probationary member the seed created (admitted in the last year) gets the dossier that led
  to its admission, built backwards from `admitted_on` (the admitting branch vote, REC-DATES);
- in a share of branches (`PIPELINE_SHARE`): new applicants (some with the talk overdue), activists (some
  close to the one-year mark), candidates (anywhere from designation to the branch vote, the public notice in
  progress or ended), and now and then a full member converted in the last months, with the whole dossier.

Every step is built as a `rules` event and checked with `rules.check_event` against the timeline so far, with
the real calendar, in order: a refused step is a bug of this generator (RuleViolation propagates). The
stored payload is what `selectors.clean_payload` accepts (`payload_of` is the inverse of
`selectors.build_event`), so the stored dossiers replay through `selectors.timeline_of` unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field, fields

from grassroots.core import crypto, id_number
from grassroots.core.dates import add_months, add_years
from grassroots.core.workdays import CHINA, workday_period_end
from grassroots.recruitment import rules
from grassroots.recruitment.choices import ActivistSource, Decider, EventKind, Stage

from . import people, vocab
from .tree import Node

APPLICANT_COLUMNS = (
    "id", "org_id", "name", "name_pinyin", "name_initials", "sex", "birth_date", "id_number_encrypted",
    "id_number_hash", "id_number_masked", "education", "occupation", "applied_on", "stage", "member_id",
    "created_at", "updated_at",
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
_DAY = dt.timedelta(days=1)

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


@dataclass
class BranchPeople:
    """What the seed keeps of a branch's members for its dossiers (compact: province scale)."""

    node: Node
    n_full: int
    seniors: list[tuple[int, dt.date]]  # (member id, converted_on), longest standing first
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
    node: Node, full_info: list[tuple[int, dt.date, bool]], reused: list[tuple]
) -> BranchPeople:
    seniors = sorted(((c[0], c[1]) for c in full_info), key=lambda c: (c[1], c[0]))[:SENIORS]
    return BranchPeople(node, len(full_info), seniors, reused)


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
        elif name in ("mentors", "sponsors"):
            payload[name] = [p.member_id for p in value]
            for p in value:
                facts[str(p.member_id)] = {"full": p.full, "disciplinary_probation": p.disciplinary_probation}
        elif isinstance(value, dt.date):
            payload[name] = value.isoformat()
        elif value is not None:
            payload[name] = value
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
        self.has_committee = bp.n_full >= 7  # people.committee_roles: a committee from 7 full members

    def _people(self, on: dt.date, low: int, high: int) -> tuple[rules.MemberFacts, ...] | None:
        eligible = [mid for mid, converted in self.bp.seniors if converted <= on]
        if len(eligible) < low:
            return None
        k = self.rng.randint(low, min(high, len(eligible)))
        return tuple(rules.MemberFacts(member_id=mid, full=True) for mid in self.rng.sample(eligible, k))

    def _votes(self) -> rules.VoteCounts:
        rng = self.rng
        should = self.bp.n_full
        present = rng.randint(should // 2 + 1, should)
        no = 1 if present >= 5 and rng.random() < 0.15 else 0
        abstain = 1 if present - no >= 5 and rng.random() < 0.15 else 0
        written = rng.randint(0, should - present)
        if 2 * (present - no - abstain + written) <= should:  # a dissent that would sink the vote: none
            no = abstain = 0
        return rules.VoteCounts(
            should_attend=should, present=present, yes=present - no - abstain, no=no, abstain=abstain,
            written_yes=written,
        )  # fmt: skip

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
        d.add(rules.BranchVote(on=vote_on, votes=self._votes()))
        return True


class _Infeasible(Exception):
    """The branch cannot give this person a dossier (no full member old enough to be mentor or sponsor)."""


# ---------------------------------------------------------------------------------------------- people


def _applicant_row(aid: int, node: Node, person: tuple, applied_on: dt.date, stage: str, member_id, now):
    (name, full_pinyin, initials, sex, birth, enc, digest, masked, education, occupation) = person
    return (
        aid, node.id, name, full_pinyin, initials, sex, birth, enc, digest, masked, education, occupation,
        applied_on, stage, member_id, now, now,
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
            name, full_pinyin, initials, sex, birth, crypto.encrypt(number), crypto.keyed_hash(number),
            id_number.mask(number), education, occ,
        )  # fmt: skip

    def _emit(self, node: Node, person: tuple, d: Dossier, member_id, expected: str):
        stage = str(rules.stage_of(d.timeline))
        if stage != expected:
            raise AssertionError(f"seed dossier in {node.code} ended in {stage}, planned {expected}")
        aid = len(self.applicants) + 1
        self.applicants.append(
            _applicant_row(aid, node, person, d.timeline.applied_on, stage, member_id, self.now)
        )
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
            d = self._admitted(b, person[4], admitted, converted if st == "full" else None)
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

    def _admitted(self, b: Builder, birth: dt.date, vote_on: dt.date, converted: dt.date | None):
        """The dossier of a member admitted by the vote of `vote_on` (and converted on `converted`), built
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
        d.add(rules.ConversionVote(on=conversion_vote, votes=b._votes()))
        room = (as_of - conversion_vote).days
        d.add(rules.ConversionApproval(on=conversion_vote + dt.timedelta(days=rng.randint(1, min(45, room)))))
        return d
