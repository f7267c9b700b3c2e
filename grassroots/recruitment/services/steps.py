"""Recording a step of a dossier (`event_record`): checked by `rules.check_event` against the timeline
replayed from the stored steps; a refusal (RuleViolation) leaves nothing saved. The approval of the admitting
branch vote creates the probationary `Member` (members.services.member_create); the approval of the
conversion makes it full (members.services.member_convert); a cancelled probation ends it with the status
取消预备党员资格 (`MemberStatus.PROBATION_CANCELLED`, members.services.member_end)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import diff, record
from grassroots.core import crypto, permissions
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.members import selectors as member_selectors
from grassroots.members import services as member_services
from grassroots.members.choices import JoinedHow, MemberStatus
from grassroots.members.models import Member
from grassroots.orgs import selectors as org_selectors
from grassroots.orgs.models import Org
from grassroots.workcalendar.selectors import calendar

from .. import rules, selectors
from ..choices import EventKind, Stage
from ..models import Applicant, RecruitmentEvent
from . import meeting_votes
from .dossiers import _audit_state, dossier_document_attach
from .next_steps import _store_next


def _person(member: Member | None, on: dt.date) -> dict[str, Any]:
    return {
        "full": member is not None and member.status == MemberStatus.FULL,
        "disciplinary_probation": member is not None
        and member_selectors.under_disciplinary_probation(member, on),
    }


_VOTES = frozenset({EventKind.BRANCH_VOTE, EventKind.CONVERSION_VOTE})


def _people_facts(
    scope: Scope, kind: str, payload: dict[str, Any], on: dt.date, org: Org, stored: list[RecruitmentEvent]
) -> dict[str, Any]:
    """What the rules need to know about the people a payload names and the branch, as the records say on
    `on` — the server's facts, never the caller's (rules.FACT_FIELDS).

    Mentors and sponsors: full member (now) and under 留党察看 on the step's date; members the caller cannot
    read count as unknown (not full members). A vote (with a roster or by counts only): the electorate, the
    branch's direct full members on the vote date (`members.selectors.full_members_on`), each with the same
    facts and the name. A branch vote: the sponsors of the last sponsors step as they stood on the vote date
    (REC-SPONSORS). An activist designation: whether the branch had a committee that day
    (REC-ACTIVIST-SOURCE). Frozen in the step's `facts`, so that replaying the timeline later gives the same
    verdict.
    """
    facts: dict[str, Any] = {}
    ids = sorted({i for name in selectors.PEOPLE_FIELDS for i in payload.get(name, [])})
    if ids:
        found = member_selectors.members_by_id(scope=scope, ids=ids)
        facts |= {str(i): _person(found.get(i), on) for i in ids}
    if kind == EventKind.ACTIVIST_DESIGNATED:
        facts[selectors.HAS_COMMITTEE] = org_selectors.has_committee_on(scope=scope, org=org, on=on)
    if kind == EventKind.BRANCH_VOTE:
        sponsors = [e.payload.get("sponsors", []) for e in stored if e.kind == EventKind.SPONSORS_ASSIGNED]
        if sponsors:
            found = member_selectors.members_by_id(scope=scope, ids=sponsors[-1])
            facts[selectors.SPONSORS_AT_VOTE] = {
                str(i): _sponsor_on(found.get(i), on) for i in sorted(sponsors[-1])
            }
    if kind in _VOTES:
        electorate = member_selectors.full_members_on(scope=scope, org=org, on=on)
        facts[selectors.ELECTORATE] = [m.pk for m in electorate]
        facts |= {str(m.pk): _person(m, on) | {"full": True, "name": m.name} for m in electorate}
    return facts


def _sponsor_on(member: Member | None, on: dt.date) -> dict[str, Any]:
    return {
        "full": member is not None and member_selectors.was_full_member_on(member, on),
        "disciplinary_probation": member is not None
        and member_selectors.under_disciplinary_probation(member, on),
        "name": member.name if member is not None else "",
    }


@dataclass(frozen=True)
class Upload:
    """A file sent with a step: kept as the step's document in the step's transaction."""

    file: Any
    kind: str
    title: str = ""


@transaction.atomic
def event_record(
    *,
    scope: Scope,
    actor,
    applicant: Applicant,
    kind: str,
    on: dt.date,
    payload: dict[str, Any],
    upload: Upload | None = None,
) -> RecruitmentEvent:
    """Record one step of the dossier, if the rules allow it; move the stage and the member record with it.

    With `upload`, the step's document is kept in the same transaction: a refused step keeps no file, a
    refused file (DOC-*) records no step."""
    permissions.require(scope, permissions.MEMBER_EDIT, applicant.org.path)
    with unscoped():
        applicant = Applicant.objects.select_for_update().select_related("org").get(pk=applicant.pk)
        stored = list(
            RecruitmentEvent.objects.filter(applicant=applicant).select_related("void").order_by("sequence")
        )
    if applicant.stage in rules.TERMINAL:
        raise RuleViolation(
            "REC-STAGE",
            _("该档案已办结（%(stage)s），不能再记录步骤（REC-STAGE）")
            % {"stage": Stage(applicant.stage).label},
            field="event",
        )
    rules.check_not_future(on=on, today=timezone.localdate())
    meeting_id = None
    if kind in _VOTES and payload.get(meeting_votes.MEETING_FIELD) is not None:
        payload, meeting_id = meeting_votes.roster_from_meeting(
            scope=scope, applicant=applicant, on=on, payload=payload
        )
    clean = selectors.clean_payload(kind, payload)
    facts = _people_facts(scope, kind, clean, on, applicant.org, stored)
    if meeting_id is not None:
        facts[meeting_votes.MEETING_FACT] = meeting_id
    event = selectors.build_event(kind, on, clean, facts)
    timeline = selectors.timeline_of(applicant, stored)
    warnings = rules.check_event(
        timeline, event, policy=selectors.policy_for(applicant.org, on), calendar=calendar()
    )
    roster = getattr(event, "roster", None)
    if roster is not None:
        # Store what the roster gave: its counts, and the exclusions as they count (留党察看 included).
        counts = rules.roster_counts(roster)
        clean |= {name: getattr(event.votes, name) for name in selectors.ROSTER_COUNTS}
        clean[selectors.ROSTER_FIELD] = clean[selectors.ROSTER_FIELD] | {
            "excluded": [
                {"member": member_id, "reason": e.reason, "note": e.note}
                for member_id, e in sorted(counts.excluded.items())
            ]
        }
    row = RecruitmentEvent(
        applicant=applicant,
        kind=kind,
        on=on,
        payload=selectors.stored_payload(clean),
        facts=facts,
        warnings=[{"rule_id": w.rule_id, "message": w.message} for w in warnings],
        recorded_by=actor if getattr(actor, "pk", None) else None,
        sequence=len(stored) + 1,
    )
    row.save(force_insert=True)

    before = _audit_state(applicant)
    after_timeline = timeline.with_event(event)
    derived = rules.derived_dates(after_timeline)
    old_stage, applicant.stage = applicant.stage, derived.stage
    if old_stage == Stage.CANDIDATE and derived.stage == Stage.PROBATIONARY:
        applicant.member = _admit(scope, actor, applicant, derived.admitted_on)
    elif derived.stage == Stage.FULL and old_stage != Stage.FULL:
        member_services.member_convert(
            scope=scope,
            actor=actor,
            member=_member(applicant),
            converted_on=derived.converted_on,
            extension_months=_extension_months(after_timeline),
        )
    elif derived.stage == Stage.CANCELLED and old_stage != Stage.CANCELLED:
        member_services.member_end(
            scope=scope,
            actor=actor,
            member=_member(applicant),
            status=MemberStatus.PROBATION_CANCELLED,
            ended_on=on,
            reason=_("取消预备党员资格（党章第七条）"),
        )
    today = timezone.localdate()
    policy_row = selectors.policy_row(applicant.org, today)
    steps = selectors.next_for(applicant.stage, after_timeline, selectors.policy_of_row(policy_row))
    _store_next(applicant, steps, policy_row, today)
    for name, value in selectors.milestones_of(after_timeline).items():
        setattr(applicant, name, value)
    applicant.save()
    record(
        actor=actor,
        action="recruitment.event",
        target=applicant,
        org_id=applicant.org_id,
        changes=diff(before, _audit_state(applicant))
        | {"event": [None, kind], "on": [None, on.isoformat()], "sequence": [None, row.sequence]},
    )
    if upload is not None:
        dossier_document_attach(
            scope=scope,
            actor=actor,
            applicant=applicant,
            kind=upload.kind,
            title=upload.title,
            file=upload.file,
            event=row,
        )
    return row


def _extension_months(timeline: rules.Timeline) -> int:
    """The months probation was extended by (one extension at most, REC-EXTENSION)."""
    return sum(e.months for e in timeline.events if isinstance(e, rules.ProbationExtended))


def _member(applicant: Applicant) -> Member:
    with unscoped():
        return Member.objects.select_for_update().select_related("org").get(pk=applicant.member_id)


def _admit(scope: Scope, actor, applicant: Applicant, admitted_on: dt.date) -> Member:
    """入党: the person becomes a probationary member of the branch on the date of the admitting vote."""
    fields: dict[str, Any] = {}
    if applicant.education:
        fields["education"] = applicant.education
    if applicant.occupation:
        fields["occupation"] = applicant.occupation
    return member_services.member_create(
        scope=scope,
        actor=actor,
        org=applicant.org,
        id_number=crypto.decrypt(applicant.id_number_encrypted),
        status=MemberStatus.PROBATIONARY,
        name=applicant.name,
        sex=applicant.sex,
        birth_date=applicant.birth_date,
        admitted_on=admitted_on,
        joined_how=JoinedHow.RECRUITED,
        **fields,
    )
