"""One dossier built step by step for the seed, each step checked by the rules, and its stored form.

`Builder` makes the steps of a branch's dossiers from the branch's own random stream: the talk, the activist's
designation, mentors and assessments, the candidate's steps (sponsors, reviews, training, the public notice,
forward from a designation or backward from a branch vote) and the votes. Every step is built as a `rules`
event and checked with `rules.check_event` against the timeline so far (`Dossier.add`), with the real
calendar: a refused step is a bug of this generator (RuleViolation propagates).

Votes (branch vote, conversion vote) carry a roster, as the vote form records one: the electorate is the
branch's full members on the vote date (`rolls.Roll.on`). Those under 留党察看 then are excluded by the rules
(REC-VOTERS-FULL); now and then one other is excluded with a reason (illness, abroad, away with approval, or
"other" with a note); most of the rest are present, a few absent, about half of the absent send a written
opinion (mostly yes); the counts are the roster's, with now and then a no or an abstention among those
present, and the vote always passes. Mentors and sponsors are never members under 留党察看 (none of them is
ever among the `seniors`).

The stored payload and facts are what `services.event_record` stores (`payload_of` is the inverse of
`selectors.build_event`: a roster's exclusions as they count, 留党察看 included; the electorate's ids and each
one's {full, disciplinary_probation, name}), so the stored dossiers replay through `selectors.timeline_of` to
the same verdict.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import fields

from grassroots.core.workdays import workday_period_end
from grassroots.members.seed import people
from grassroots.workcalendar.selectors import calendar

from .. import rules, selectors
from ..choices import ActivistSource, Decider, EventKind, VoteExclusionReason, VoteOpinion
from .rolls import BranchPeople

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
        if name in rules.FACT_FIELDS:
            if name == selectors.HAS_COMMITTEE:
                facts[name] = value
            elif name == "electorate" and value is not None:
                facts[ELECTORATE] = [p.member_id for p in value]
                for p in value:
                    facts[str(p.member_id)] = {
                        "full": p.full, "disciplinary_probation": p.disciplinary_probation, "name": p.name,
                    }  # fmt: skip
            elif name == selectors.SPONSORS_AT_VOTE and value is not None:
                facts[name] = {
                    str(p.member_id): {
                        "full": p.full, "disciplinary_probation": p.disciplinary_probation, "name": p.name,
                    }
                    for p in value
                }  # fmt: skip
        elif name == "votes":
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
        self.warnings.append(rules.check_event(self.timeline, event, policy=POLICY, calendar=calendar()))
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
            raise Infeasible
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
        period = workday_period_end(on, working_days, calendar=calendar())
        return steps, period.next_day + dt.timedelta(days=rng.randint(0, 10))

    def candidate_backward(self, vote_on: dt.date) -> tuple[dt.date, list]:
        """The designation date and the steps from sponsors to the public notice for a branch vote on
        `vote_on` (the notice ended before it, REC-NOTICE)."""
        rng = self.rng
        working_days = rng.choice((5, 5, 5, 7))
        start = vote_on - dt.timedelta(days=rng.randint(8, 20))
        while workday_period_end(start, working_days, calendar=calendar()).end >= vote_on:
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
                    raise Infeasible
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


class Infeasible(Exception):
    """The branch cannot give this person a dossier (no full member old enough to be mentor or sponsor)."""
