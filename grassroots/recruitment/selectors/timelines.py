"""The timeline of a dossier and what may come next: the translation of stored steps into the rules' event
values, the next steps and milestone dates computed from them, and their stored form on the dossier.

`build_event` and `timeline_of` are the one place a stored (or submitted) step becomes a `rules.Event`: the
payload is parsed by `payloads.clean_payload`; mentors and sponsors are member ids resolved to
`rules.MemberFacts` through `facts`. A vote's `facts` freeze the electorate as the service found it on the
vote date: `facts["electorate"]` lists the ids of the branch's full members, and `facts[str(id)]` holds each
one's {full, disciplinary_probation, name}. With a roster the counts it gives (should_attend, present,
written_yes) may be left out of the payload: they are derived from the roster (`rules.roster_counts`); counts
that are given must agree (`rules.check_roster`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from grassroots.workcalendar.selectors import calendar

from .. import rules
from ..choices import EventKind
from ..models import Applicant, RecruitmentEvent
from ..payloads import PEOPLE_FIELDS, ROSTER_COUNTS, ROSTER_FIELD, VOTE_FIELD, clean_payload

ELECTORATE = "electorate"
# The facts of a step kept beside the people's (rules.FACT_FIELDS): whether the branch had a committee on the
# day (an activist designation), and the sponsors' facts on the day of the branch vote ({str(id): {...}}).
HAS_COMMITTEE = "branch_has_committee"
SPONSORS_AT_VOTE = "sponsors_at_vote"


def build_event(kind: str, on: dt.date, payload: dict[str, Any], facts: dict[str, Any]) -> rules.Event:
    """The rules' event for a step: `payload` as given (cleaned here), `facts` about its people by id."""
    data = clean_payload(kind, payload)
    cls = rules.EVENT_TYPES[kind]
    names = {f.name for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    if ROSTER_FIELD in data:
        kwargs[ROSTER_FIELD] = roster = roster_of(data.pop(ROSTER_FIELD), facts)
        counts = rules.roster_counts(roster)
        for name in ROSTER_COUNTS:
            data.setdefault(name, getattr(counts, name))
    if VOTE_FIELD in names:
        vote_names = {v.name for v in fields(rules.VoteCounts)}
        kwargs[VOTE_FIELD] = rules.VoteCounts(**{k: v for k, v in data.items() if k in vote_names})
        data = {k: v for k, v in data.items() if k not in vote_names}
    for name in PEOPLE_FIELDS & names:
        kwargs[name] = tuple(_facts_of(member_id, facts) for member_id in data.pop(name))
    kwargs |= _fact_fields(names, facts, with_roster=ROSTER_FIELD in kwargs)
    return cls(on=on, **data, **kwargs)


def _fact_fields(names: set[str], facts: dict[str, Any], *, with_roster: bool) -> dict[str, Any]:
    """The event's fields the server derived on the step's date (rules.FACT_FIELDS), as frozen in `facts`;
    left to their defaults when not kept (steps stored before they were). A vote with a roster has its
    electorate in the roster."""
    out: dict[str, Any] = {}
    if HAS_COMMITTEE in names and HAS_COMMITTEE in facts:
        out[HAS_COMMITTEE] = bool(facts[HAS_COMMITTEE])
    if "electorate" in names and ELECTORATE in facts and not with_roster:
        out["electorate"] = tuple(_facts_of(i, facts) for i in facts[ELECTORATE])
    if SPONSORS_AT_VOTE in names and SPONSORS_AT_VOTE in facts:
        sponsors = facts[SPONSORS_AT_VOTE]
        out[SPONSORS_AT_VOTE] = tuple(_facts_of(int(i), sponsors) for i in sorted(sponsors, key=int))
    return out


def _facts_of(member_id: int, facts: dict[str, Any]) -> rules.MemberFacts:
    known = facts.get(str(member_id), {})
    return rules.MemberFacts(
        member_id=member_id,
        full=bool(known.get("full", False)),
        disciplinary_probation=bool(known.get("disciplinary_probation", False)),
        name=str(known.get("name", "")),
    )


def roster_of(roster: dict[str, Any], facts: dict[str, Any]) -> rules.VoteRoster:
    """The rules' roster of a cleaned payload roster, with the electorate frozen in `facts`."""
    return rules.VoteRoster(
        electorate=tuple(_facts_of(i, facts) for i in facts.get(ELECTORATE, [])),
        excluded={r["member"]: rules.Exclusion(r["reason"], r["note"]) for r in roster["excluded"]},
        present=frozenset(roster["present"]),
        written={r["member"]: r["opinion"] for r in roster["written"]},
    )


def timeline_of(applicant: Applicant, events: list[RecruitmentEvent]) -> rules.Timeline:
    """The timeline of the dossier's stored steps: the voided ones (a correction entry) left out."""
    return timeline_from(
        applicant.birth_date,
        applicant.applied_on,
        [(e.kind, e.on, e.payload, e.facts) for e in events if not e.voided],
    )


def timeline_from(birth_date: dt.date, applied_on: dt.date, events: Iterable[tuple]) -> rules.Timeline:
    """The timeline of stored steps given as (kind, on, payload, facts) rows, oldest first."""
    return rules.Timeline(
        birth_date=birth_date,
        applied_on=applied_on,
        events=tuple(build_event(kind, on, payload, facts) for kind, on, payload, facts in events),
    )


# ---------------------------------------------------------------------------------------------- next steps
#
# The next steps of every open dossier are stored on the dossier (Applicant.next_steps, next_due_on), so that
# the to-do and the board of a large subtree are indexed queries rather than a replay of every timeline.
# `next_of` is the one place they are computed; the services store them (`services.applicant_create`,
# `event_record`, `policy_set`, `next_steps_refresh`), the seed stores them at load time.


def next_of(
    applicant: Applicant, events: list[RecruitmentEvent], policy: rules.Policy
) -> list[rules.NextStep]:
    """What may come next for the dossier under `policy` (nothing for a closed dossier)."""
    return next_for(applicant.stage, timeline_of(applicant, events), policy)


def vote_failed(event: rules.Event) -> bool:
    """Whether `event` is a branch or conversion vote that did not pass (未通过)."""
    return isinstance(event, rules.BranchVote | rules.ConversionVote) and not event.passed


def milestones_of(timeline: rules.Timeline) -> dict[str, dt.date | None]:
    """The ledger's milestone dates of a timeline: the first talk, activist and candidate designations,
    入党时间 / 转正时间 (REC-DATES, `rules.derived_dates`) and the latest vote that failed (未通过). Stored on
    the dossier (Applicant.talk_on, …)."""
    first: dict[str, dt.date] = {}
    failed: dt.date | None = None
    for event in timeline.events:
        first.setdefault(event.kind, event.on)
        if vote_failed(event):
            failed = event.on
    derived = rules.derived_dates(timeline)
    return {
        "talk_on": first.get(EventKind.TALK),
        "activist_on": first.get(EventKind.ACTIVIST_DESIGNATED),
        "candidate_on": first.get(EventKind.CANDIDATE_DESIGNATED),
        "admitted_on": derived.admitted_on,
        "converted_on": derived.converted_on,
        "vote_failed_on": failed,
    }


def next_for(stage: str, timeline: rules.Timeline, policy: rules.Policy) -> list[rules.NextStep]:
    """`next_of` of a timeline already replayed (the dossier in `stage`)."""
    if stage in rules.TERMINAL:
        return []
    return rules.next_steps(timeline, policy=policy, calendar=calendar())


def stored_next(steps: Iterable[rules.NextStep]) -> tuple[list[dict[str, Any]], dt.date | None]:
    """The stored form of next steps (`Applicant.next_steps`, dates as ISO text) and the earliest deadline
    among them (`Applicant.next_due_on`; None without one)."""
    out = [
        {
            "event": str(s.event),
            "earliest_on": s.earliest_on.isoformat(),
            "due_by": s.due_by.isoformat() if s.due_by is not None else None,
            "requires": [str(r) for r in s.requires],
            "rule_id": s.rule_id,
        }
        for s in steps
    ]
    dues = [s.due_by for s in steps if s.due_by is not None]
    return out, min(dues) if dues else None
