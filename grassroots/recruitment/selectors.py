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
from dataclasses import MISSING, fields
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts import permissions
from grassroots.core import crypto, id_number, pinyin
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import Scope, subtree_q, unscoped
from grassroots.core.workdays import CHINA
from grassroots.documents import selectors as document_selectors
from grassroots.documents.models import Document
from grassroots.orgs.models import Org

from . import rules
from .choices import DossierDocumentKind, EventKind, Stage
from .models import Applicant, RecruitmentEvent, RecruitmentPolicy

API_VALIDATION = "API-VALIDATION"
PEOPLE_FIELDS = frozenset({"mentors", "sponsors"})
VOTE_FIELD = "votes"
ROSTER_FIELD = "roster"
# The counts a roster gives: optional in a payload that has a roster.
ROSTER_COUNTS = ("should_attend", "present", "written_yes")
ELECTORATE = "electorate"
_REQUIRED = object()


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


def policies_for(orgs: Iterable[Org], on: dt.date) -> dict[int, rules.Policy]:
    """`policy_for` of many orgs at once, by org id: one query whatever the number of orgs."""
    by_id = {o.pk: o for o in orgs}
    if not by_id:
        return {}
    paths = {o.path[:i] for o in by_id.values() for i in range(o.steplen, len(o.path) + 1, o.steplen)}
    with unscoped():
        rows = list(
            RecruitmentPolicy.objects.unscoped_all()
            .filter(org__path__in=sorted(paths), effective_from__lte=on)
            .select_related("org")
        )
    out = {}
    for pk, org in by_id.items():
        mine = [r for r in rows if org.path.startswith(r.org.path)]
        row = max(mine, key=lambda r: (len(r.org.path), r.effective_from, r.pk)) if mine else None
        out[pk] = policy_of_row(row)
    return out


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
    return rules.Timeline(
        birth_date=applicant.birth_date,
        applied_on=applicant.applied_on,
        events=tuple(build_event(e.kind, e.on, e.payload, e.facts) for e in events),
    )


# ---------------------------------------------------------------------------------------------- reads


def _viewable(scope: Scope) -> Scope:
    """The part of the scope in which the caller may read dossiers (the roles that read member records)."""
    return Scope(
        user_id=scope.user_id,
        grants=tuple(g for g in scope.grants if g.role in permissions.MEMBER_VIEW),
        is_system=scope.is_system,
    )


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
    qs = Applicant.objects.within(_viewable(scope))
    if org is not None:
        permissions.require(scope, permissions.MEMBER_VIEW, org.path)
        qs = qs.filter(subtree_q("org__path", org.path))
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
    steps = (
        []
        if applicant.stage in rules.TERMINAL
        else rules.next_steps(
            timeline, policy=policy_for(applicant.org, timezone.localdate()), calendar=CHINA
        )
    )
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


def pipeline(*, scope: Scope, org: Org | None = None) -> dict[str, list[dict[str, Any]]]:
    """The open dossiers of `org`'s subtree (or all of the scope) by stage, each with its next steps.

    Three queries (the dossiers, all their steps, the policies of their orgs); the next steps come from `rules.next_steps` exactly as
    on the dossier page.
    """
    applicants = list(applicant_list(scope=scope, org=org).filter(stage__in=BOARD_STAGES))
    by_applicant: dict[int, list[RecruitmentEvent]] = {a.pk: [] for a in applicants}
    if applicants:
        rows = (
            RecruitmentEvent.objects.within(_viewable(scope))
            .filter(applicant_id__in=list(by_applicant))
            .order_by("applicant_id", "sequence")
        )
        for row in rows:
            by_applicant[row.applicant_id].append(row)
    today = timezone.localdate()
    policies = policies_for({a.org_id: a.org for a in applicants}.values(), today)
    board: dict[str, list[dict[str, Any]]] = {stage: [] for stage in BOARD_STAGES}
    for a in applicants:
        policy = policies[a.org_id]
        timeline = timeline_of(a, by_applicant[a.pk])
        steps = rules.next_steps(timeline, policy=policy, calendar=CHINA)
        board[a.stage].append(
            {
                "id": a.pk,
                "name": a.name,
                "org": a.org,
                "applied_on": a.applied_on,
                "last_on": by_applicant[a.pk][-1].on if by_applicant[a.pk] else a.applied_on,
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
            }
        )
    return board


def due_steps(*, scope: Scope, today: dt.date, within_days: int = 30, org: Org | None = None) -> list[dict]:
    """The to-do of recruitment: steps with a deadline (talk within a month, half-yearly assessment, approval
    within 3 months, the conversion vote at the end of probation) that are overdue or due within
    `within_days`, most urgent first."""
    horizon = today + dt.timedelta(days=within_days)
    out = []
    for cards in pipeline(scope=scope, org=org).values():
        for card in cards:
            for step in card["next"]:
                if step["due_by"] is not None and step["due_by"] <= horizon:
                    out.append(
                        {
                            "applicant_id": card["id"],
                            "name": card["name"],
                            "org": card["org"],
                            "event": step["event"],
                            "label": step["label"],
                            "due_by": step["due_by"],
                            "overdue": step["due_by"] < today,
                        }
                    )
    return sorted(out, key=lambda s: (s["due_by"], s["name"]))


def stage_counts(*, scope: Scope, org: Org) -> dict[str, int]:
    """Open dossiers of `org`'s subtree by stage (the four board stages, zeros included): one grouped query."""
    rows = (
        applicant_list(scope=scope, org=org)
        .filter(stage__in=BOARD_STAGES)
        .values_list("stage")
        .annotate(n=Count("*"))
        .order_by()
    )
    counts = {str(stage): 0 for stage in BOARD_STAGES}
    counts.update(dict(rows))
    return counts


def child_stage_counts(*, scope: Scope, org: Org) -> dict[str, dict[str, int]]:
    """For each direct child of `org` (by its path): open dossiers of its subtree by stage, in one query
    grouped by the child's path prefix. Dossiers of `org` itself are under `org.path`."""
    child_len = len(org.path) + Org.steplen
    rows = (
        applicant_list(scope=scope, org=org)
        .filter(stage__in=BOARD_STAGES)
        .annotate(child=Substr("org__path", 1, child_len))
        .values("child", "stage")
        .annotate(n=Count("*"))
        .order_by()
    )
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        out.setdefault(row["child"], {})[row["stage"]] = row["n"]
    return out


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
) -> list[dict[str, Any]]:
    """The recruitment ledger (发展党员台账): every dossier of `org`'s subtree (or the scope) with the dates of
    its milestones, sorted by pinyin; only those at `stage`, matching `q`, admitted (入党) in `admitted_year`
    when given. Two queries, whatever the number of dossiers."""
    applicants = list(applicant_list(scope=scope, org=org, stage=stage, q=q))
    by_applicant: dict[int, list[RecruitmentEvent]] = {a.pk: [] for a in applicants}
    if applicants:
        rows = (
            RecruitmentEvent.objects.within(_viewable(scope))
            .filter(applicant_id__in=list(by_applicant))
            .order_by("applicant_id", "sequence")
        )
        for row in rows:
            by_applicant[row.applicant_id].append(row)
    out = []
    for a in applicants:
        events = by_applicant[a.pk]
        derived = rules.derived_dates(timeline_of(a, events))
        first = {}
        for e in events:
            first.setdefault(e.kind, e.on)
        out.append(
            {
                "id": a.pk,
                "name": a.name,
                "sex": a.sex,
                "birth_date": a.birth_date,
                "org": a.org,
                "applied_on": a.applied_on,
                "talk_on": first.get(EventKind.TALK),
                "activist_on": first.get(EventKind.ACTIVIST_DESIGNATED),
                "candidate_on": first.get(EventKind.CANDIDATE_DESIGNATED),
                "admitted_on": derived.admitted_on,
                "converted_on": derived.converted_on,
                "stage": a.stage,
                "stage_label": str(Stage(a.stage).label),
            }
        )
    if admitted_year is not None:
        out = [r for r in out if r["admitted_on"] is not None and r["admitted_on"].year == admitted_year]
    return out
