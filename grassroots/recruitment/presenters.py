"""How recruitment data is shown: pure shaping of rows and dicts for the pages, the API and the Excel
exports — stored next steps with their labels, board cards, document and ledger lines, the summary of a
recorded step, the rows of the per-person summary (发展党员纪实表), the per-child table of the board. No
queries and no decisions: the selectors read, the rules decide, these functions only arrange what they got.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core.workdays import WorkdayCalendar
from grassroots.documents.models import Document
from grassroots.documents.selectors import icon

from . import rules
from .choices import (
    BOARD_STAGES,
    STEP_DOCUMENT_KIND,
    ActivistSource,
    Decider,
    DossierDocumentKind,
    EventKind,
    ProbationOutcome,
    Stage,
    VoteExclusionReason,
    VoteOpinion,
)
from .models import MILESTONE_FIELDS, Applicant, RecruitmentEvent
from .payloads import BOOL_CHOICES, FIELD_LABELS, PEOPLE_FIELDS, clean_payload

EVENT_KEY = RecruitmentEvent._meta.label_lower

# ---------------------------------------------------------------------------------------------- next steps


def next_out(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored next steps as the pages show them (the shape of `dossier()["next"]`): dates and labels."""
    return [
        {
            "event": s["event"],
            "label": str(EventKind(s["event"]).label),
            "earliest_on": dt.date.fromisoformat(s["earliest_on"]),
            "due_by": dt.date.fromisoformat(s["due_by"]) if s["due_by"] else None,
            "requires": list(s["requires"]),
            # Steps stored before they carried their rule get it at the next `recruitment_refresh`.
            "rule_id": s.get("rule_id", ""),
        }
        for s in stored
    ]


def with_overdue(steps: list[dict[str, Any]], today) -> list[dict[str, Any]]:
    return [s | {"overdue": s["due_by"] is not None and s["due_by"] < today} for s in steps]


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


# ---------------------------------------------------------------------------------------------- board


def child_rows(children, counts: dict[str, dict[str, tuple]]) -> tuple[list[dict], dict | None]:
    """Per direct child org (`children`, party groups left out by the caller): open dossiers per stage and how
    many have an overdue step, from the grouped counts (`selectors.pipeline_counts`); and the totals.
    ([], None) without such children."""
    if not children:
        return [], None
    rows = []
    for child in children:
        by_stage = counts.get(child.path, {})
        if child.ended_on and not by_stage:
            continue
        rows.append(
            {
                "org": child,
                "stages": [(s, Stage(s).label, by_stage.get(s, (0, 0))[0]) for s in BOARD_STAGES],
                "total": sum(n for n, _o in by_stage.values()),
                "overdue": sum(o for _n, o in by_stage.values()),
            }
        )
    totals = stage_totals(counts)
    return rows, {
        "stages": [(s, Stage(s).label, totals[s][0]) for s in BOARD_STAGES],
        "total": sum(n for n, _o in totals.values()),
        "overdue": sum(o for _n, o in totals.values()),
    }


def stage_totals(counts: dict[str, dict[str, tuple]]) -> dict[str, tuple[int, int]]:
    """(count, overdue) per board stage, added up over the children's rows."""
    out = {s: (0, 0) for s in BOARD_STAGES}
    for by_stage in counts.values():
        for s, (n, o) in by_stage.items():
            out[s] = (out[s][0] + n, out[s][1] + o)
    return out


# ---------------------------------------------------------------------------------------------- dossier


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


def exclusion_text(reason: str, note: str) -> str:
    if reason == VoteExclusionReason.DISCIPLINARY_PROBATION:
        return _("受留党察看处分，没有表决权")
    label = str(VoteExclusionReason(reason).label) if reason in VoteExclusionReason.values else reason
    return f"{label}：{note}" if note else label


def roster_summary(payload: dict[str, Any], names: dict[int, str]) -> list[tuple[str, str]]:
    """应到 / 实到 / 书面意见 / 不计入应到, with names, then the secret ballot's counts."""
    roster = payload["roster"]

    def who(pk: int) -> str:
        return names.get(pk, f"#{pk}")

    present = "、".join(who(pk) for pk in roster["present"])
    written = "、".join(
        "{}（{}）".format(who(r["member"]), VoteOpinion(r["opinion"]).label) for r in roster["written"]
    )
    excluded = "、".join(
        "{}（{}）".format(who(r["member"]), exclusion_text(r["reason"], r.get("note", "")))
        for r in roster["excluded"]
    )
    out = [
        (str(_("应到")), str(payload["should_attend"])),
        (str(_("实到")), f"{payload['present']}（{present}）" if present else str(payload["present"])),
    ]
    if written:
        out.append((str(_("书面意见")), written))
    if excluded:
        out.append((str(_("不计入应到")), excluded))
    return out


def value_text(name: str, value: Any, names: dict[int, str]) -> str:
    if name in PEOPLE_FIELDS:
        return "、".join(names.get(pk, f"#{pk}") for pk in value)
    if isinstance(value, bool):
        return str(dict(BOOL_CHOICES.get(name, ((True, _("是")), (False, _("否")))))[value])
    choices = {"source": ActivistSource, "decided_by": Decider, "outcome": ProbationOutcome}
    if name in choices and value in choices[name].values:
        return str(choices[name](value).label)
    return str(value)


def step_summary(payload: dict[str, Any], names: dict[int, str]) -> list[tuple[str, str]]:
    skip = {"candidates"}
    head: list[tuple[str, str]] = []
    if "roster" in payload:
        skip |= {"roster", "should_attend", "present", "written_yes"}
        head = roster_summary(payload, names)
    return head + [
        (str(FIELD_LABELS.get(name, name)), value_text(name, value, names))
        for name, value in payload.items()
        if name not in skip and value not in ("", None)
    ]


def vote_outcome(passed: bool | None) -> list[tuple[str, str]]:
    """A vote's outcome as the first line of its summary (表决结果 通过 / 未通过); nothing for other steps."""
    if passed is None:
        return []
    return [(str(_("表决结果")), str(_("通过")) if passed else str(_("未通过")))]


def named_ids(payload: dict[str, Any]) -> set[int]:
    ids = {pk for n in PEOPLE_FIELDS for pk in payload.get(n, [])}
    roster = payload.get("roster")
    if roster:
        ids |= set(roster["present"]) | {r["member"] for r in roster["written"] + roster["excluded"]}
    return ids


def arrange_dossier(data: dict[str, Any], names: dict[int, str], today: dt.date) -> dict[Any, list[dict]]:
    """The dossier (`selectors.dossier`) arranged for its page, in place: each step with the summary of its
    payload (people named by `names`), its documents and the kind a new one defaults to; each document with
    its icon; the next steps marked overdue. Returns the documents by step id (None: the dossier's own)."""
    by_step: dict[int | None, list[dict[str, Any]]] = {}
    for d in data["documents"]:
        d["icon"] = icon(d["content_type"])
        by_step.setdefault(d["event_id"], []).append(d)
    for e in data["timeline"]:
        e["summary"] = vote_outcome(e.get("passed")) + step_summary(e["payload"], names)
        e["documents"] = by_step.get(e["id"], [])
        e["document_kind"] = STEP_DOCUMENT_KIND[e["event"]]
    data["next"] = with_overdue(data["next"], today)
    return by_step


# ---------------------------------------------------------------------------------------------- summary

# The rows of the per-person summary (发展党员纪实表), in the order of the procedure. Steps that may be
# recorded several times (assessments, notices) get one row each; the optional ones only when recorded.
SUMMARY_STEPS = (
    EventKind.TALK,
    EventKind.ACTIVIST_DESIGNATED,
    EventKind.MENTORS_ASSIGNED,
    EventKind.ASSESSMENT,
    EventKind.CANDIDATE_DESIGNATED,
    EventKind.SPONSORS_ASSIGNED,
    EventKind.POLITICAL_REVIEW,
    EventKind.TRAINING_COMPLETED,
    EventKind.PRE_REVIEW,
    EventKind.PUBLIC_NOTICE,
    EventKind.BRANCH_VOTE,
    EventKind.APPROVAL,
    EventKind.OATH,
    EventKind.CONVERSION_VOTE,
    EventKind.CONVERSION_APPROVAL,
)
SUMMARY_OPTIONAL_STEPS = (EventKind.PROBATION_EXTENDED, EventKind.PROBATION_CANCELLED)


def milestone(label, on=None, details="", recorded_by="", warnings=()) -> dict[str, Any]:
    return {
        "label": str(label),
        "on": on,
        "details": details,
        "recorded_by": recorded_by or "",
        "warnings": list(warnings),
    }


def notice_period(on: dt.date, payload: dict[str, Any], calendar: WorkdayCalendar) -> tuple[dt.date, dt.date]:
    """The first and last day of a recorded public notice (its stored payload; REC-NOTICE), counted with
    `calendar` (the stored working-day calendar)."""
    notice = rules.PublicNotice(on=on, **clean_payload(EventKind.PUBLIC_NOTICE, payload))
    return notice.starts_on, notice.period(calendar).end


def milestone_rows(applicant, data: dict[str, Any], calendar: WorkdayCalendar) -> list[dict[str, Any]]:
    """Every milestone of the dossier with its date, details, recorder and warnings; empty rows for the steps
    not yet taken. Built from the dossier's timeline (selectors.dossier): nothing here decides anything."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for e in data["timeline"]:
        if e.get("void"):  # a voided step (REC-VOID) is no milestone
            continue
        by_kind.setdefault(e["event"], []).append(e)
    rows = [milestone(_("提出入党申请"), applicant.applied_on)]
    for kind in (*SUMMARY_STEPS, *SUMMARY_OPTIONAL_STEPS):
        label = EventKind(kind).label
        events = by_kind.get(kind, [])
        if not events and kind in SUMMARY_OPTIONAL_STEPS:
            continue
        if not events:
            rows.append(milestone(label))
        for e in events:
            details = [f"{name} {value}" for name, value in e["summary"]]
            if kind == EventKind.PUBLIC_NOTICE and e["payload"].get("working_days"):
                start, end = notice_period(e["on"], e["payload"], calendar)
                details.insert(0, _("公示期 %(start)s 至 %(end)s") % {"start": start, "end": end})
            rows.append(milestone(label, e["on"], "；".join(details), e["recorded_by"], e["warnings"]))
    rows.append(milestone(_("入党时间"), data["admitted_on"]))
    rows.append(milestone(_("转正时间"), data["converted_on"]))
    return rows


def catalogue(dossier: dict[str, Any]) -> list[dict[str, Any]]:
    """The materials catalogue (材料目录) of the summary: every document not withdrawn, with the step it
    belongs to (or the dossier itself), in the order they were filed."""
    steps = {e["id"]: e for e in dossier["timeline"]}
    out = []
    for doc in dossier["documents"]:
        if doc["withdrawn"]:
            continue
        step = steps.get(doc["event_id"])
        out.append(
            doc
            | {
                "step_label": step["label"] if step else _("档案材料"),
                "step_on": step["on"] if step else None,
            }
        )
    return out


# ---------------------------------------------------------------------------------------------- ledger and policy


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


def policy_lines(policy: rules.Policy) -> list[tuple[Any, Any]]:
    """The values of a policy as the policy page lists them: (label, value) in the order of the procedure."""
    return [
        (_("申请后确定积极分子的最短月数"), policy.activist_wait_months),
        (_("集中培训天数"), policy.training_days),
        (_("集中培训学时"), policy.training_hours),
        (_("公示工作日数"), policy.notice_working_days),
        (_("须公示的步骤"), "、".join(str(EventKind(k).label) for k in sorted(policy.notice_before)) or "—"),
        (_("延长预备期（月）"), "{}–{}".format(*policy.extension_months)),
        (_("审批提醒月数"), policy.approval_warn_months),
        (_("审批期限月数"), policy.approval_block_months),
        (_("转正讨论宽限月数"), policy.conversion_vote_grace_months),
    ]
