"""Reads on recruitment dossiers, and the translation of stored steps into the rules' event values.

Every function that reads rows takes the caller's scope. `build_event` and `timeline_of` are the one place a
stored (or submitted) step becomes a `rules.Event`: the payload's fields are checked against the step's
fields (`rules.PAYLOAD_FIELDS`; vote counts are flat in the payload, mentors and sponsors are member ids
resolved to `rules.MemberFacts` through `facts`).

A vote may carry a `roster` ({"excluded": [{member, reason, note}], "present": [ids], "written": [{member,
opinion}]}). Its `facts` freeze the electorate as the service found it on the vote date: `facts["electorate"]`
lists the ids of the branch's full members, and `facts[str(id)]` holds each one's {full,
disciplinary_probation, name}. With a roster the counts it gives (should_attend, present, written_yes) may be
left out: they are derived from the roster (`rules.roster_counts`); counts that are given must agree
(`rules.check_roster`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, fields
from typing import Any

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core import crypto, id_number, permissions, pinyin
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.core.workdays import CHINA
from grassroots.documents import selectors as document_selectors
from grassroots.documents.models import Document
from grassroots.orgs.models import Org

from . import rules, statements
from .choices import DossierDocumentKind, EventKind, Stage
from .models import Applicant, RecruitmentEvent, RecruitmentPolicy

API_VALIDATION = "API-VALIDATION"
PEOPLE_FIELDS = frozenset({"mentors", "sponsors"})
VOTE_FIELD = "votes"
ROSTER_FIELD = "roster"
# The counts a roster gives: optional in a payload that has a roster.
ROSTER_COUNTS = ("should_attend", "present", "written_yes")
ELECTORATE = "electorate"


def policy_row(org: Org, on: dt.date) -> RecruitmentPolicy | None:
    """The stored policy in force for `org` on `on`: among the rows of the org and its ancestors with
    `effective_from` on or before `on`, the deepest org's latest one. One query; None means the defaults.

    Policies are not confidential (they restate the rules every org applies), so this reads unscoped.
    """
    paths = [org.path[:i] for i in range(org.steplen, len(org.path) + 1, org.steplen)]
    with unscoped():
        rows = list(
            RecruitmentPolicy.objects.unscoped_all()
            .filter(org__path__in=paths, effective_from__lte=on)
            .select_related("org", "created_by")
            .order_by("-effective_from", "-id")
        )
    if not rows:
        return None
    return max(rows, key=lambda r: (len(r.org.path), r.effective_from, r.pk))


def policy_of_row(row: RecruitmentPolicy | None) -> rules.Policy:
    """The rules' `Policy` for a stored row (None: the defaults of RULES.md)."""
    if row is None:
        return rules.Policy()
    return rules.Policy(
        activist_wait_months=row.activist_wait_months,
        training_days=row.training_days,
        training_hours=row.training_hours,
        notice_working_days=row.notice_working_days,
        notice_before=frozenset(row.notice_before),
        extension_months=(row.extension_min_months, row.extension_max_months),
        approval_warn_months=row.approval_warn_months,
        approval_block_months=row.approval_block_months,
        conversion_vote_grace_months=row.conversion_vote_grace_months,
    )


def policy_for(org: Org, on: dt.date) -> rules.Policy:
    """The policy in force for `org` on `on` (`policy_row`), or the defaults of RULES.md."""
    return policy_of_row(policy_row(org, on))


def policy_rows_for(paths: Iterable[str], on: dt.date) -> dict[str, RecruitmentPolicy | None]:
    """`policy_row` of many orgs at once, by org path: one query whatever the number of orgs."""
    wanted = set(paths)
    if not wanted:
        return {}
    steplen = Org.steplen
    prefixes = {p[:i] for p in wanted for i in range(steplen, len(p) + 1, steplen)}
    with unscoped():
        rows = list(
            RecruitmentPolicy.objects.unscoped_all()
            .filter(org__path__in=sorted(prefixes), effective_from__lte=on)
            .select_related("org")
        )
    out: dict[str, RecruitmentPolicy | None] = {}
    for path in wanted:
        mine = [r for r in rows if path.startswith(r.org.path)]
        out[path] = max(mine, key=lambda r: (len(r.org.path), r.effective_from, r.pk)) if mine else None
    return out


def policy_values(policy: rules.Policy) -> dict[str, Any]:
    """A policy as the stored row's fields (RecruitmentPolicy): what the form, the API and `policy_set` use."""
    return {
        "activist_wait_months": policy.activist_wait_months,
        "training_days": policy.training_days,
        "training_hours": policy.training_hours,
        "notice_working_days": policy.notice_working_days,
        "notice_before": sorted(policy.notice_before),
        "extension_min_months": policy.extension_months[0],
        "extension_max_months": policy.extension_months[1],
        "approval_warn_months": policy.approval_warn_months,
        "approval_block_months": policy.approval_block_months,
        "conversion_vote_grace_months": policy.conversion_vote_grace_months,
    }


def policy_history(org: Org) -> list[RecruitmentPolicy]:
    """Every stored policy of `org` and its ancestors, the latest first (the nearest org first on a tie)."""
    paths = [org.path[:i] for i in range(org.steplen, len(org.path) + 1, org.steplen)]
    with unscoped():
        rows = list(
            RecruitmentPolicy.objects.unscoped_all()
            .filter(org__path__in=paths)
            .select_related("org", "created_by")
        )
    return sorted(rows, key=lambda r: (r.effective_from, len(r.org.path), r.pk), reverse=True)


# ---------------------------------------------------------------------------------------------- payloads


def input_fields(kind: str) -> dict[str, tuple[str, bool]]:
    """The payload fields of a step: {name: (type, required)}. Vote counts are flat; people are id lists."""
    out: dict[str, tuple[str, bool]] = {}
    for f in fields(rules.EVENT_TYPES[kind]):
        if f.name == "on":
            continue
        if f.name == VOTE_FIELD:
            for v in fields(rules.VoteCounts):
                out[v.name] = (str(v.type), v.default is MISSING)
        elif f.name in PEOPLE_FIELDS:
            out[f.name] = ("ids", True)
        elif f.name == ROSTER_FIELD:
            out[f.name] = ("roster", False)
        else:
            out[f.name] = (str(f.type), f.default is MISSING and f.default_factory is MISSING)
    return out


def _invalid(message: str, field_name: str | None) -> RuleViolation:
    return RuleViolation(API_VALIDATION, message, field=field_name)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _coerce(name: str, kind: str, value: Any) -> Any:
    if kind == "int" and _is_int(value):
        return value
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "str" and isinstance(value, str):
        return value.strip()
    if kind.startswith("dt.date"):
        if value is None and kind.endswith("None"):
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
    if kind == "ids" and isinstance(value, list | tuple) and all(_is_int(v) for v in value):
        return [int(v) for v in value]
    if kind == "roster":
        roster = _clean_roster(value)
        if roster is not None:
            return roster
    raise _invalid(_("输入有误：%(field)s 的值无效（API-VALIDATION）") % {"field": name}, name)


def _clean_roster(value: Any) -> dict[str, Any] | None:
    """A roster's shape checked and normalized (None: malformed). Each member appears once per list."""
    if not isinstance(value, dict) or set(value) - {"excluded", "present", "written"}:
        return None
    excluded, present, written = value.get("excluded", []), value.get("present", []), value.get("written", [])
    if not all(isinstance(v, list | tuple) for v in (excluded, present, written)):
        return None
    if not all(_is_int(v) for v in present):
        return None
    rows = [*excluded, *written]
    if not all(isinstance(r, dict) and _is_int(r.get("member")) for r in rows):
        return None
    if not all(set(r) <= {"member", "reason", "note"} for r in excluded) or not all(
        set(r) <= {"member", "opinion"} for r in written
    ):
        return None
    texts: list[Any] = []
    for r in excluded:
        texts += [r.get("reason"), r.get("note", "")]
    texts += [r.get("opinion") for r in written]
    if not all(isinstance(t, str) for t in texts):
        return None
    for ids in ([r["member"] for r in excluded], list(present), [r["member"] for r in written]):
        if len(set(ids)) != len(ids):
            return None
    return {
        "excluded": [
            {"member": r["member"], "reason": r["reason"], "note": r.get("note", "").strip()}
            for r in excluded
        ],
        "present": sorted(present),
        "written": [{"member": r["member"], "opinion": r["opinion"]} for r in written],
    }


def clean_payload(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload of a `kind` step with its values checked and typed; unknown or missing fields refused."""
    if kind not in rules.EVENT_TYPES:
        raise _invalid(_("输入有误：未知的步骤“%(event)s”（API-VALIDATION）") % {"event": kind}, "event")
    known = input_fields(kind)
    step = EventKind(kind).label
    unknown = sorted(set(payload) - set(known))
    if unknown:
        raise _invalid(
            _("输入有误：“%(step)s”没有这些字段：%(names)s（API-VALIDATION）")
            % {"step": step, "names": "、".join(unknown)},
            unknown[0],
        )
    missing = [name for name, (_type, required) in known.items() if required and payload.get(name) is None]
    if payload.get(ROSTER_FIELD) is not None:
        missing = [name for name in missing if name not in ROSTER_COUNTS]
    if missing:
        raise _invalid(
            _("输入有误：“%(step)s”须填写：%(names)s（API-VALIDATION）")
            % {"step": step, "names": "、".join(missing)},
            missing[0],
        )
    return {name: _coerce(name, known[name][0], value) for name, value in payload.items()}


def stored_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """A cleaned payload as JSON (dates as ISO strings)."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in payload.items()}


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
    return cls(on=on, **data, **kwargs)


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
    return timeline_from(
        applicant.birth_date, applicant.applied_on, [(e.kind, e.on, e.payload, e.facts) for e in events]
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


MILESTONE_FIELDS = ("talk_on", "activist_on", "candidate_on", "admitted_on", "converted_on")


def milestones_of(timeline: rules.Timeline) -> dict[str, dt.date | None]:
    """The ledger's milestone dates of a timeline: the first talk, activist and candidate designations, and
    入党时间 / 转正时间 (REC-DATES, `rules.derived_dates`). Stored on the dossier (Applicant.talk_on, …)."""
    first: dict[str, dt.date] = {}
    for event in timeline.events:
        first.setdefault(event.kind, event.on)
    derived = rules.derived_dates(timeline)
    return {
        "talk_on": first.get(EventKind.TALK),
        "activist_on": first.get(EventKind.ACTIVIST_DESIGNATED),
        "candidate_on": first.get(EventKind.CANDIDATE_DESIGNATED),
        "admitted_on": derived.admitted_on,
        "converted_on": derived.converted_on,
    }


def next_for(stage: str, timeline: rules.Timeline, policy: rules.Policy) -> list[rules.NextStep]:
    """`next_of` of a timeline already replayed (the dossier in `stage`)."""
    if stage in rules.TERMINAL:
        return []
    return rules.next_steps(timeline, policy=policy, calendar=CHINA)


def stored_next(steps: Iterable[rules.NextStep]) -> tuple[list[dict[str, Any]], dt.date | None]:
    """The stored form of next steps (`Applicant.next_steps`, dates as ISO text) and the earliest deadline
    among them (`Applicant.next_due_on`; None without one)."""
    out = [
        {
            "event": str(s.event),
            "earliest_on": s.earliest_on.isoformat(),
            "due_by": s.due_by.isoformat() if s.due_by is not None else None,
            "requires": [str(r) for r in s.requires],
        }
        for s in steps
    ]
    dues = [s.due_by for s in steps if s.due_by is not None]
    return out, min(dues) if dues else None


def next_out(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored next steps as the pages show them (the shape of `dossier()["next"]`): dates and labels."""
    return [
        {
            "event": s["event"],
            "label": str(EventKind(s["event"]).label),
            "earliest_on": dt.date.fromisoformat(s["earliest_on"]),
            "due_by": dt.date.fromisoformat(s["due_by"]) if s["due_by"] else None,
            "requires": list(s["requires"]),
        }
        for s in stored
    ]


# ---------------------------------------------------------------------------------------------- reads


def _viewable(scope: Scope) -> Scope:
    """The part of the scope in which the caller may read dossiers (the roles that read member records)."""
    return scope.with_roles(permissions.MEMBER_VIEW)


def search_q(q: str) -> Q:
    """Name, full pinyin or initials (张三 ← "张", "zhangsan", "zs"), or an exact ID number."""
    q = q.strip()
    if len(q) == 18 and q[:17].isdigit():
        return Q(id_number_hash=crypto.keyed_hash(id_number.normalize(q)))
    return pinyin.name_q(q)


def applicant_list(
    *, scope: Scope, org: Org | None = None, stage: str | None = None, q: str = ""
) -> QuerySet[Applicant]:
    """Dossiers the caller may read, in `org`'s subtree (or all of the scope), at `stage`, matching the
    search `q` (`search_q`), sorted by pinyin."""
    if org is not None:
        permissions.require(scope, permissions.MEMBER_VIEW, org.path)
        # The scope cut down to the subtree: one path range rather than the grants' and the subtree's.
        qs = Applicant.objects.within(_viewable(scope).narrowed(org.path))
    else:
        qs = Applicant.objects.within(_viewable(scope))
    if stage:
        qs = qs.filter(stage=stage)
    if q.strip():
        qs = qs.filter(search_q(q))
    return qs.select_related("org").order_by("name_pinyin", "id")


def applicant_get(*, scope: Scope, applicant_id: int) -> Applicant:
    applicant = (
        Applicant.objects.within(_viewable(scope)).filter(pk=applicant_id).select_related("org").first()
    )
    if applicant is None:
        raise NotFound
    return applicant


def applicant_events(*, scope: Scope, applicant: Applicant) -> list[RecruitmentEvent]:
    """The recorded steps of a dossier, oldest first."""
    return list(
        RecruitmentEvent.objects.within(_viewable(scope))
        .filter(applicant=applicant)
        .select_related("recorded_by")
        .order_by("sequence")
    )


EVENT_KEY = RecruitmentEvent._meta.label_lower


def document_out(document: Document) -> dict[str, Any]:
    """A dossier document as the API and the dossier page show it; `event_id` names its step (None: the
    dossier itself)."""
    key = getattr(document, "subject_key", None) or (
        f"{document.subject_type.app_label}.{document.subject_type.model}",
        document.subject_id,
    )
    kind = document.kind
    return {
        "id": document.pk,
        "kind": kind,
        "kind_label": str(DossierDocumentKind(kind).label) if kind in DossierDocumentKind.values else kind,
        "title": document.title,
        "original_name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "event_id": key[1] if key[0] == EVENT_KEY else None,
        "uploaded_by": document.uploaded_by.get_username() if document.uploaded_by_id else None,
        "uploaded_at": document.uploaded_at,
        "withdrawn": document.withdrawn,
        "withdrawn_at": document.withdrawn_at,
        "withdrawn_by": document.withdrawn_by.get_username() if document.withdrawn_by_id else None,
        "withdrawn_reason": document.withdrawn_reason,
        "url": reverse("api:document_content", kwargs={"document_id": document.pk}),
    }


def dossier_documents(
    *, scope: Scope, applicant: Applicant, events: list[RecruitmentEvent] | None = None
) -> list[dict[str, Any]]:
    """Every document of the dossier and of its steps, oldest first: one query (two without `events`)."""
    if events is None:
        events = applicant_events(scope=scope, applicant=applicant)
    rows = document_selectors.documents_for(scope=scope, subjects=[applicant, *events])
    return [document_out(d) for d in rows]


def applicant_event_get(*, scope: Scope, applicant: Applicant, event_id: int) -> RecruitmentEvent:
    """A step of this dossier by id; a step of another dossier (or none) is refused as invalid input."""
    event = RecruitmentEvent.objects.within(_viewable(scope)).filter(pk=event_id, applicant=applicant).first()
    if event is None:
        raise _invalid(_("输入有误：该步骤不属于本档案（API-VALIDATION）"), "event_id")
    return event


def dossier_document_get(*, scope: Scope, applicant: Applicant, document_id: int) -> Document:
    """A document of this dossier (of the applicant or one of its steps); NotFound otherwise."""
    document = document_selectors.document_get(scope=scope, document_id=document_id)
    key = (f"{document.subject_type.app_label}.{document.subject_type.model}", document.subject_id)
    if key == (Applicant._meta.label_lower, applicant.pk):
        return document
    if key[0] == EVENT_KEY:
        with unscoped():
            if RecruitmentEvent.objects.filter(pk=key[1], applicant_id=applicant.pk).exists():
                return document
    raise NotFound


def dossier(*, scope: Scope, applicant: Applicant) -> dict[str, Any]:
    """The dossier as the API and the pages show it: stage, the steps, what may come next and when, and
    the documents (材料) of the dossier and its steps."""
    events = applicant_events(scope=scope, applicant=applicant)
    timeline = timeline_of(applicant, events)
    derived = rules.derived_dates(timeline)
    steps = next_of(applicant, events, policy_for(applicant.org, timezone.localdate()))
    return {
        "id": applicant.pk,
        "org": applicant.org.code,
        "org_name": applicant.org.name,
        "name": applicant.name,
        "sex": applicant.sex,
        "birth_date": applicant.birth_date,
        "id_number": applicant.id_number_masked,
        "applied_on": applicant.applied_on,
        "stage": applicant.stage,
        "stage_label": str(Stage(applicant.stage).label),
        "member_id": applicant.member_id,
        "admitted_on": derived.admitted_on,
        "converted_on": derived.converted_on,
        "probation_ends_on": derived.probation_ends_on,
        "timeline": [
            {
                "id": e.pk,
                "event": e.kind,
                "label": str(EventKind(e.kind).label),
                "on": e.on,
                "payload": e.payload,
                "warnings": e.warnings,
                "recorded_by": e.recorded_by.get_username() if e.recorded_by_id else None,
                "recorded_at": e.recorded_at,
            }
            for e in events
        ],
        "next": [
            {
                "event": s.event,
                "label": str(EventKind(s.event).label),
                "earliest_on": s.earliest_on,
                "due_by": s.due_by,
                "requires": list(s.requires),
            }
            for s in steps
        ],
        "documents": dossier_documents(scope=scope, applicant=applicant, events=events),
    }


BOARD_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY)


# What a card and a to-do item read of a dossier and its org (not the ID number, not the audit dates).
CARD_FIELDS = (
    "id", "name", "name_pinyin", "stage", "applied_on", "next_steps", "next_due_on",
    "org__id", "org__path", "org__code", "org__name", "org__short_name", "org__kind", "org__depth",
)  # fmt: skip


def _open(scope: Scope, org: Org | None) -> QuerySet[Applicant]:
    return applicant_list(scope=scope, org=org).filter(stage__in=BOARD_STAGES)


def _by_urgency(qs: QuerySet[Applicant]) -> QuerySet[Applicant]:
    """Overdue first, then by the nearest deadline, then by pinyin: a dossier is overdue exactly when its
    earliest deadline has passed, so ordering by `next_due_on` (no deadline last) is that order."""
    return qs.order_by(F("next_due_on").asc(nulls_last=True), "name_pinyin", "id")


def card_of(applicant: Applicant, today: dt.date) -> dict[str, Any]:
    """A dossier as the board shows it, from its stored next steps (each marked overdue or not)."""
    steps = [
        s | {"overdue": s["due_by"] is not None and s["due_by"] < today}
        for s in next_out(applicant.next_steps)
    ]
    return {
        "id": applicant.pk,
        "name": applicant.name,
        "org": applicant.org,
        "stage": applicant.stage,
        "applied_on": applicant.applied_on,
        "next": steps,
        "overdue": applicant.next_due_on is not None and applicant.next_due_on < today,
    }


def board_queryset(
    *,
    scope: Scope,
    org: Org | None = None,
    today: dt.date,
    stage: str | None = None,
    overdue_only: bool = False,
) -> QuerySet[Applicant]:
    """Open dossiers of `org`'s subtree (or all of the scope), of one stage if given, most urgent first."""
    qs = _open(scope, org).only(*CARD_FIELDS)
    if stage:
        qs = qs.filter(stage=stage)
    if overdue_only:
        qs = qs.filter(next_due_on__lt=today)
    return _by_urgency(qs)


def pipeline(
    *, scope: Scope, org: Org | None = None, today: dt.date, limit: int, overdue_only: bool = False
) -> dict[str, list[dict[str, Any]]]:
    """The `limit` most urgent open dossiers of each stage (`board_queryset`), with their stored next steps.

    One statement whatever the number of dossiers (statements.top_per_stage): per stage, the first `limit`
    in urgency order, so a large subtree reads a few index entries per stage instead of ranking every open
    dossier."""
    board: dict[str, list[dict[str, Any]]] = {stage: [] for stage in BOARD_STAGES}
    rows = statements.top_per_stage(
        prefixes=_readable_prefixes(scope, org),
        stages=BOARD_STAGES,
        limit=limit,
        overdue_before=today if overdue_only else None,
    )
    for a in sorted(rows, key=lambda a: (a.next_due_on is None, a.next_due_on or today, a.name_pinyin, a.pk)):
        board[a.stage].append(card_of(a, today))
    return board


def _readable_prefixes(scope: Scope, org: Org | None) -> list[str] | None:
    """The subtree paths of `_open(scope, org)`, for the hand-written statements: `org`'s (which the caller
    must be allowed to read), else the roots where the caller reads dossiers (None: the whole tree)."""
    if org is not None:
        permissions.require(scope, permissions.MEMBER_VIEW, org.path)
        return [org.path]
    view = _viewable(scope)
    return None if view.is_system else list(view.roots)


def pipeline_counts(*, scope: Scope, org: Org | None = None, today: dt.date) -> dict[str, dict[str, tuple]]:
    """Open dossiers by stage, each as (count, overdue count): for an org, per direct child (the key is the
    child's path; dossiers of `org` itself are under `org.path`); without one, under "" for the whole scope.
    One grouped statement (statements.stage_counts: the subtree's orgs, then their open dossiers)."""
    rows = statements.stage_counts(
        prefixes=_readable_prefixes(scope, org),
        stages=BOARD_STAGES,
        today=today,
        child_len=len(org.path) + Org.steplen if org is not None else None,
    )
    out: dict[str, dict[str, tuple]] = {}
    for child, stage, n, overdue in rows:
        out.setdefault(child, {})[stage] = (n, overdue)
    return out


@dataclass(frozen=True)
class DueSteps:
    """The to-do of recruitment: the most urgent steps (at most the limit asked for) and how many dossiers
    have a deadline that is overdue or near (`total`), and how many overdue."""

    items: list[dict[str, Any]]
    total: int
    overdue: int


def due_steps(
    *, scope: Scope, today: dt.date, within_days: int = 30, org: Org | None = None, limit: int | None = None
) -> DueSteps:
    """The to-do of recruitment: steps with a deadline (talk within a month, half-yearly assessment, approval
    within 3 months, the conversion vote at the end of probation) that are overdue or due within
    `within_days`, most urgent first, from the stored next steps: a count query and a query of the `limit`
    most urgent dossiers. `rules.next_steps` gives a dossier at most one step with a deadline, so counting
    dossiers counts steps."""
    horizon = today + dt.timedelta(days=within_days)
    # One hand-written statement (statements.due): the due dossiers' narrow columns counted, the wide ones read
    # for the rows shown only. The subtree is the caller's readable part, as `_open` has it.
    rows, total, overdue = statements.due(
        prefixes=_readable_prefixes(scope, org),
        stages=BOARD_STAGES,
        today=today,
        horizon=horizon,
        limit=limit,
    )
    items = []
    for a in rows:
        for step in next_out(a.next_steps):
            if step["due_by"] is not None and step["due_by"] <= horizon:
                items.append(
                    {
                        "applicant_id": a.id,
                        "name": a.name,
                        "org": a.org,
                        "event": step["event"],
                        "label": step["label"],
                        "due_by": step["due_by"],
                        "overdue": step["due_by"] < today,
                    }
                )
    return DueSteps(items=items, total=total, overdue=overdue)


def stage_counts(*, scope: Scope, org: Org) -> dict[str, int]:
    """Open dossiers of `org`'s subtree by stage (the four board stages, zeros included): one grouped
    statement (statements.stage_counts)."""
    rows = statements.stage_counts(
        prefixes=_readable_prefixes(scope, org),
        stages=BOARD_STAGES,
        today=timezone.localdate(),
        child_len=None,
    )
    counts = {str(stage): 0 for stage in BOARD_STAGES}
    counts.update({stage: n for _child, stage, n, _overdue in rows})
    return counts


def can_see_id_number(scope: Scope, applicant: Applicant) -> bool:
    """As for members: the roles that keep the records (members.selectors.can_see_id_number)."""
    return permissions.allows(scope, permissions.ID_NUMBER_VIEW, applicant.org.path)


def applicant_id_number(*, scope: Scope, applicant: Applicant) -> str:
    """The ID number in clear for the roles that need it, masked for everyone else."""
    if applicant.id_number_encrypted and can_see_id_number(scope, applicant):
        return crypto.decrypt(applicant.id_number_encrypted)
    return applicant.id_number_masked


def ledger(
    *,
    scope: Scope,
    org: Org | None = None,
    stage: str | None = None,
    q: str = "",
    admitted_year: int | None = None,
) -> QuerySet[Applicant]:
    """The recruitment ledger (发展党员台账): the dossiers of `org`'s subtree (or the scope) with their stored
    milestone dates (Applicant.talk_on, …, kept by `services.event_record`), sorted by pinyin; only those at
    `stage`, matching `q`, admitted (入党) in `admitted_year` when given. One query, to paginate in SQL; turn
    rows into the ledger's lines with `ledger_line`."""
    qs = applicant_list(scope=scope, org=org, stage=stage, q=q)
    if admitted_year is not None:
        qs = qs.filter(admitted_on__year=admitted_year)
    return qs


def ledger_line(a: Applicant) -> dict[str, Any]:
    """One line of the ledger, as the page and the Excel export show it."""
    return {
        "id": a.pk,
        "name": a.name,
        "sex": a.sex,
        "birth_date": a.birth_date,
        "org": a.org,
        "applied_on": a.applied_on,
        **{name: getattr(a, name) for name in MILESTONE_FIELDS},
        "stage": a.stage,
        "stage_label": str(Stage(a.stage).label),
    }
