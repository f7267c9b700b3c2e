"""Rules of recruitment (发展党员): 中国共产党章程 Art. 1, 5–7; 中国共产党发展党员工作细则 (2014) Art. 5–31;
中国共产党支部工作条例（试行）(2018) Art. 11; 中国共产党基层组织选举工作条例 (2020) Art. 5.

A package by sub-domain: `base` (thresholds, shared values, how refusals are worded), `policy`, `votes` (vote
counts and rosters), `events` (the step values and the `Timeline`), `graph` (the stage graph, checked at
import), `replay` (the state after the recorded steps), `checks` (`check_event`, step by step) and `schedule`
(stage, dates, next steps). Everything public is re-exported here: `rules.check_event(...)`.

Pure functions: a `Timeline` (birth date, application date, the steps recorded so far), a new step, a
`Policy` and a `WorkdayCalendar` in; warnings, next steps or a `RuleViolation` out. No ORM, no clock, no
settings, and no holiday package: the calendar is a parameter.

Rule ids (RULES.md): REC-AGE-18, REC-TALK-1M, REC-ACTIVIST-WAIT, REC-ACTIVIST-SOURCE, REC-MENTORS,
REC-ASSESS-6M, REC-CANDIDATE-1Y, REC-SPONSORS, REC-REVIEW, REC-TRAINING, REC-PRE-REVIEW, REC-NOTICE,
REC-VOTE-QUORUM, REC-VOTE-MAJORITY, REC-VOTE-ONE-BY-ONE, REC-VOTERS-FULL, REC-APPROVAL-3M,
REC-PROBATION-1Y, REC-EXTENSION, REC-OUTCOME, REC-DATES; CAL-WORKDAY (a warning when a notice was counted
Monday–Friday because the calendar does not know the year).

Project rule ids:
- REC-ORDER: a step is dated no earlier than the step before it, and no earlier than the application.
- REC-NOT-FUTURE: a step, and an application, is dated today at the latest (`check_not_future`, with an
  explicit `today`): the record holds what has happened, not what is planned.
- REC-VOID: a wrongly recorded step is voided by a correction entry (who, when, why), never erased; only
  the latest step that still counts, so later steps are voided first (from the latest back); not a step
  that changed the member record (admission, conversion, cancellation); a reason is required
  (`check_void`). The replay leaves voided steps out.
- REC-STAGE: a step is taken only in a stage that allows it (the stage graph `GRAPH`), and only when the step
  it answers is pending (an approval needs a branch vote awaiting approval; one vote awaits approval at a
  time; one oath).

Readings of the regulation this module takes (see docs/rules.md):
- Votes: `yes`, `no`, `abstain` are cast by full members present; `written_yes` are written opinions
  submitted beforehand by full members who are absent. Quorum: present > should_attend / 2. Majority:
  yes + written_yes > should_attend / 2 (not of those present); written opinions count toward the majority,
  never toward the quorum. A vote without a quorum (or with inconsistent counts) is refused (`RuleViolation`):
  no valid vote took place. A valid vote without the majority is a fact: recorded as failed (未通过,
  `BranchVote.passed`), it advances nothing, no approval may follow it, and the dossier may be put to a vote
  again on a later day (REC-ORDER). `vote_passed()` answers without raising.
- Who should attend is the server's fact: a vote recorded by counts only is checked against the electorate
  frozen in the step's facts (the branch's full members on the vote date less those under 留党察看); other
  exclusions are named in a roster. Likewise whether the branch had a committee (REC-ACTIVIST-SOURCE) and the
  sponsors as they stood on the vote date (REC-SPONSORS): `FACT_FIELDS`, never supplied by the caller.
- Vote rosters (optional; the UI always sends one): the electorate is every full member of the branch on the
  vote date; those under 留党察看 have no vote and are excluded with the fixed reason whatever is listed for
  them; should_attend = electorate − exclusions (a listed reason, "other" with a note); present ⊆
  should_attend; written opinions (yes / no / abstain) only from should-attend members who are absent; the
  yes ones are `written_yes`. Counts given beside a roster must equal the roster's (REC-VOTERS-FULL).
- REC-APPROVAL-3M: the three and six months run from the branch vote (the date the upper committee received
  the resolution is not recorded separately). Up to three months: fine. Over three and up to six months:
  allowed only with a recorded reason, and then warned. Over six months: refused.
- REC-PROBATION-1Y: probation ends one year (plus any extension) after the admitting vote, on the date
  `add_years` gives; the conversion vote may be held from that day; it is warned as late after
  `Policy.conversion_vote_grace_months` (a project default of one month: the regulation says “及时”).
- REC-OUTCOME: at the end of probation the branch resolves (`conversion_vote` with an `outcome`: convert,
  extend or cancel) and the upper committee approves: `conversion_approval` for a conversion,
  `probation_extended` for an extension, `probation_cancelled` for a cancellation. Cancellation may be
  resolved at any time during probation; conversion and extension only once probation has ended.
- A refused approval (`approved=False`) is recorded and leaves the stage as it was; a new resolution is
  needed.
- REC-TRAINING: at least one training record reaches the threshold (days *or* hours); a shorter training is
  recorded with a warning.
- Public notices count for the step that follows in the same stage: a stage change (and an extension of
  probation) starts afresh.
"""

from .base import (
    ASSESS_EVERY_MONTHS,
    CANDIDATE_AFTER_YEARS,
    MAX_EXTENSION_MONTHS,
    MENTORS,
    MIN_AGE,
    PROBATION_YEARS,
    SPONSORS,
    TALK_WITHIN_MONTHS,
    MemberFacts,
    RecruitmentWarning,
)
from .checks import check_application, check_event, check_not_future, check_void, moves_member
from .events import (
    EVENT_TYPES,
    FACT_FIELDS,
    PAYLOAD_FIELDS,
    ActivistDesignated,
    Approval,
    Assessment,
    BranchVote,
    CandidateDesignated,
    ConversionApproval,
    ConversionVote,
    Event,
    MentorsAssigned,
    Oath,
    PoliticalReview,
    PreReview,
    ProbationCancelled,
    ProbationExtended,
    PublicNotice,
    SponsorsAssigned,
    Talk,
    Timeline,
    TrainingCompleted,
)
from .graph import GRAPH, START, TERMINAL, StageGraphError, check_graph
from .policy import NOTICE_STEPS, Policy
from .schedule import DerivedDates, NextStep, derived_dates, next_steps, stage_of
from .votes import (
    Exclusion,
    RosterCounts,
    VoteCounts,
    VoteRoster,
    check_electorate,
    check_roster,
    check_vote,
    majority_reached,
    roster_counts,
    roster_excluded,
    vote_passed,
)

__all__ = [
    "ASSESS_EVERY_MONTHS",
    "CANDIDATE_AFTER_YEARS",
    "EVENT_TYPES",
    "FACT_FIELDS",
    "GRAPH",
    "MAX_EXTENSION_MONTHS",
    "MENTORS",
    "MIN_AGE",
    "NOTICE_STEPS",
    "PAYLOAD_FIELDS",
    "PROBATION_YEARS",
    "SPONSORS",
    "START",
    "TALK_WITHIN_MONTHS",
    "TERMINAL",
    "ActivistDesignated",
    "Approval",
    "Assessment",
    "BranchVote",
    "CandidateDesignated",
    "ConversionApproval",
    "ConversionVote",
    "DerivedDates",
    "Event",
    "Exclusion",
    "MemberFacts",
    "MentorsAssigned",
    "NextStep",
    "Oath",
    "Policy",
    "PoliticalReview",
    "PreReview",
    "ProbationCancelled",
    "ProbationExtended",
    "PublicNotice",
    "RecruitmentWarning",
    "RosterCounts",
    "SponsorsAssigned",
    "StageGraphError",
    "Talk",
    "Timeline",
    "TrainingCompleted",
    "VoteCounts",
    "VoteRoster",
    "check_application",
    "check_electorate",
    "check_event",
    "check_graph",
    "check_not_future",
    "check_roster",
    "check_void",
    "check_vote",
    "derived_dates",
    "majority_reached",
    "moves_member",
    "next_steps",
    "roster_counts",
    "roster_excluded",
    "stage_of",
    "vote_passed",
]
