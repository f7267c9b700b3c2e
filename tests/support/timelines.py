"""Rule-level recruitment timelines (no database): a lawful road from application to admission, as values
for `recruitment.rules`."""

from __future__ import annotations

import datetime as dt

from grassroots.recruitment import rules
from grassroots.recruitment.rules import (
    ActivistDesignated,
    Approval,
    Assessment,
    BranchVote,
    CandidateDesignated,
    MemberFacts,
    MentorsAssigned,
    PoliticalReview,
    PreReview,
    PublicNotice,
    SponsorsAssigned,
    Talk,
    Timeline,
    TrainingCompleted,
    VoteCounts,
)

D = dt.date
POLICY = rules.Policy()
BIRTH = D(2000, 5, 20)
APPLIED = D(2025, 1, 6)
M1, M2, M3 = MemberFacts(1, True), MemberFacts(2, True), MemberFacts(3, True)
PROBATIONARY_MEMBER = MemberFacts(4, False)
UNDER_WATCH = MemberFacts(5, True, disciplinary_probation=True)
PASS = VoteCounts(should_attend=10, present=8, yes=7, no=1)

APPLICANT: tuple = ()
ACTIVIST = (
    Talk(on=APPLIED),
    ActivistDesignated(on=APPLIED, source="member_recommendation"),
    MentorsAssigned(on=APPLIED, mentors=(M1, M2)),
    Assessment(on=D(2025, 7, 1)),
    Assessment(on=D(2025, 12, 31)),
)
CANDIDATE = (
    *ACTIVIST,
    CandidateDesignated(on=D(2026, 1, 6)),
    SponsorsAssigned(on=D(2026, 1, 7), sponsors=(M1, M3)),
    PoliticalReview(on=D(2026, 1, 8), passed=True),
    TrainingCompleted(on=D(2026, 1, 9), days=3),
    PreReview(on=D(2026, 1, 12), passed=True),
)
NATIONAL_DAY_NOTICE = PublicNotice(on=D(2026, 9, 28), working_days=5)  # ends Friday 9 October
VOTED = (*CANDIDATE, NATIONAL_DAY_NOTICE, BranchVote(on=D(2026, 10, 10), votes=PASS))
ADMITTED = (*VOTED, Approval(on=D(2026, 10, 20)))
PROBATION_ENDS = D(2027, 10, 10)
VOTE_READY = (*CANDIDATE, NATIONAL_DAY_NOTICE)


def tl(*events, applied=APPLIED, birth=BIRTH):
    return Timeline(birth_date=birth, applied_on=applied, events=tuple(events))
