"""Recruitment dossiers (发展党员档案) for the seed: people at every stage, so the demo shows a live pipeline.

Per branch (its own random stream, seeded by (seed, branch code)):
- every recruited probationary member the seed created (admitted in the last year) gets the dossier that led
  to its admission, built backwards from `admitted_on` (the admitting branch vote, REC-DATES);
- in a share of branches (`PIPELINE_SHARE`): new applicants (some with the talk overdue), activists (some
  close to the one-year mark), candidates (anywhere from designation to the branch vote, the public notice in
  progress or ended), and now and then a full member converted in the last months, with the whole dossier.

This module decides which dossiers a branch gets and turns them into the rows the hook loads (the dossiers
with their stored next steps and milestone dates, the steps with their payload, facts and warnings). What it
keeps of a branch's members is in `rolls` (`Roll`, `BranchPeople`, `keep`, `branch_people`); how one dossier's
steps and votes are built and checked, and their stored form, is in `steps` (`Builder`, `Dossier`,
`payload_of`). Their names stay importable from here.
"""

from __future__ import annotations

import datetime as dt
import json
import random

from grassroots.core import crypto
from grassroots.core.dates import add_months, add_years
from grassroots.members.seed import people, vocab
from grassroots.orgs.seed.tree import Node

from .. import rules, selectors
from ..choices import Stage
from .rolls import BranchPeople, Roll, branch_people, keep
from .steps import POLICY, Builder, Dossier, Infeasible, payload_of

__all__ = [
    "APPLICANT_COLUMNS",
    "EVENT_COLUMNS",
    "BranchPeople",
    "Builder",
    "Dossier",
    "RecruitmentFactory",
    "Roll",
    "branch_people",
    "keep",
    "payload_of",
]

APPLICANT_COLUMNS = (
    "id", "org_id", "name", "name_pinyin", "name_initials", "name_sort", "sex", "birth_date", "id_number_encrypted",
    "id_number_hash", "id_number_masked", "id_number_tail_hash", "education", "occupation", "applied_on", "stage", "member_id",
    "created_at", "updated_at", "next_steps", "next_due_on", "next_computed_on", "talk_on", "activist_on",
    "candidate_on", "admitted_on", "converted_on", "vote_failed_on",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "applicant_id", "kind", "on", "payload", "facts", "warnings", "recorded_by_id", "recorded_at",
    "sequence",
)  # fmt: skip

PIPELINE_SHARE = 0.6  # branches (with at least 3 full members) that have people in the pipeline
CONVERTED_SHARE = 0.3  # pipeline branches that also show a member converted in the last months
_DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------------------------------------- people


def _applicant_row(aid: int, node: Node, person: tuple, d: Dossier, stage: str, member_id, now, as_of):
    """The dossier's row, with its stored next steps (`selectors.next_for` of the seeded timeline under the
    default policy) and milestone dates (`selectors.milestones_of`), as `services.event_record` stores them."""
    (name, full_pinyin, initials, sex, birth, enc, digest, masked, tail_digest, education, occupation) = (
        person
    )
    steps, due_on = selectors.stored_next(selectors.next_for(stage, d.timeline, POLICY))
    return (
        aid, node.id, name, full_pinyin, initials, people.sort_key(name), sex, birth, enc, digest, masked, tail_digest, education,
        occupation,
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
        self._taken: set[str] = set()  # the names of the branch's new applicants

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
        # Two people applying to one branch do not bear one name.
        name, full_pinyin, initials = self.factory.name(rng, sex, ethnicity, self._taken)
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
        self._taken: set[str] = set()
        b = Builder(bp, rng, as_of)
        pipeline = bp.n_full >= 3 and rng.random() < PIPELINE_SHARE
        converted_left = 1 if pipeline and rng.random() < CONVERTED_SHARE else 0
        for row in bp.reused:
            mid, person, admitted, converted, st = row[0], row[1:12], row[12], row[13], row[14]
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
            except Infeasible:
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
            except Infeasible:
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
        except Infeasible:
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
