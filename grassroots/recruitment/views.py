"""Recruitment pages (发展党员): the pipeline board of an org, the dossier with its timeline and next steps,
the form that records one step, and the form that opens a dossier. Thin: the rules live in rules.py and are
applied by services.event_record; a refusal is shown with its rule id and nothing is saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.selectors import grants_of
from grassroots.core import permissions, xlsx
from grassroots.core.errors import RuleViolation
from grassroots.core.http import add_rule_violation, not_found_as_404
from grassroots.core.workdays import workday_period_end
from grassroots.documents import services as document_services
from grassroots.members import selectors as member_selectors
from grassroots.members.choices import MemberStatus
from grassroots.orgs import selectors as org_selectors
from grassroots.orgs.choices import OrgKind

from . import ledgers, rules, selectors, services
from .choices import (
    DOSSIER_DOCUMENT_KIND,
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
from .forms import (
    BOOL_CHOICES,
    FIELD_LABELS,
    ApplicantForm,
    DocumentForm,
    EventForm,
    PolicyForm,
    StepDocumentForm,
    WithdrawForm,
)

# A column of the whole board shows the most urgent cards; one stage at a time pages through all of them.
BOARD_COLUMN_LIMIT = 30
BOARD_PAGE_SIZE = 60
# The ledger page shows this many rows at a time; the Excel export has them all.
LEDGER_PAGE_SIZE = 100


def _with_overdue(steps: list[dict[str, Any]], today) -> list[dict[str, Any]]:
    return [s | {"overdue": s["due_by"] is not None and s["due_by"] < today} for s in steps]


def _child_rows(scope, org, counts: dict[str, dict[str, tuple]]) -> tuple[list[dict], dict | None]:
    """Per direct child org (party groups aside): open dossiers per stage and how many have an overdue step,
    from the grouped counts (`selectors.pipeline_counts`); and the totals. ([], None) without such children."""
    children = [
        c
        for c in org_selectors.org_children(scope=scope, org=org, include_ended=True)
        if c.kind != OrgKind.GROUP
    ]
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
                "stages": [(s, Stage(s).label, by_stage.get(s, (0, 0))[0]) for s in selectors.BOARD_STAGES],
                "total": sum(n for n, _o in by_stage.values()),
                "overdue": sum(o for _n, o in by_stage.values()),
            }
        )
    totals = _totals(counts)
    return rows, {
        "stages": [(s, Stage(s).label, totals[s][0]) for s in selectors.BOARD_STAGES],
        "total": sum(n for n, _o in totals.values()),
        "overdue": sum(o for _n, o in totals.values()),
    }


def _totals(counts: dict[str, dict[str, tuple]]) -> dict[str, tuple[int, int]]:
    """(count, overdue) per board stage, added up over the children's rows."""
    out = {s: (0, 0) for s in selectors.BOARD_STAGES}
    for by_stage in counts.values():
        for s, (n, o) in by_stage.items():
            out[s] = (out[s][0] + n, out[s][1] + o)
    return out


def _single_org(request):
    """The one org whose dossiers the caller reads, when their grants name exactly one (None otherwise)."""
    orgs = {
        g.org.pk: g.org
        for g in grants_of(request.user)
        if g.role in permissions.MEMBER_VIEW and g.org.ended_on is None
    }
    return next(iter(orgs.values())) if len(orgs) == 1 else None


@login_required
@require_GET
@not_found_as_404
def board(request):
    """The pipeline board (发展党员看板): open dossiers by stage, each with its next step and earliest date;
    ?stage= keeps one stage, ?overdue=1 the dossiers with an overdue step. For an org with child orgs, a table
    of each child's counts (各下级组织发展党员情况), every count opening the board behind it; with
    ?format=xlsx that table is exported."""
    scope = request.scope
    code = request.GET.get("org", "").strip()
    if not code:
        home = _single_org(request)
        if home is not None:
            # One org to look after: its board, with the per-child table where it has children.
            query = request.GET.copy()
            query["org"] = home.code
            return redirect(f"{reverse('recruitment:board')}?{query.urlencode()}")
    org = org_selectors.org_get(scope=scope, code=code) if code else None
    stage = request.GET.get("stage", "")
    if stage not in selectors.BOARD_STAGES:
        stage = ""
    overdue_only = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    counts = selectors.pipeline_counts(scope=scope, org=org, today=today)
    children, totals = _child_rows(scope, org, counts) if org is not None else ([], None)
    if request.GET.get("format") == "xlsx" and children:
        return xlsx.response(
            ledgers.children_workbook(org=org, rows=children, totals=totals, on=today),
            filename=_("%(org)s-各下级组织发展党员情况-%(date)s.xlsx")
            % {"org": org.name, "date": today.isoformat()},
            fallback=f"recruitment-children-{org.code}-{today.isoformat()}.xlsx",
        )
    per_stage = _totals(counts)
    page = None
    if stage:
        # One stage: every card, a page at a time (a count and a page of rows).
        rows = selectors.board_queryset(
            scope=scope, org=org, today=today, stage=stage, overdue_only=overdue_only
        )
        page = Paginator(rows, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
        cards = {stage: [selectors.card_of(a, today) for a in page.object_list]}
    else:
        # The whole board: the most urgent cards of each stage, in one query.
        cards = selectors.pipeline(
            scope=scope, org=org, today=today, limit=BOARD_COLUMN_LIMIT, overdue_only=overdue_only
        )
    columns = []
    for key in selectors.BOARD_STAGES:
        if stage and key != stage:
            continue
        n, overdue = per_stage[key]
        count = overdue if overdue_only else n
        columns.append(
            {
                "stage": key,
                "label": Stage(key).label,
                "count": count,
                "cards": cards[key],
                "limit": BOARD_PAGE_SIZE if stage else BOARD_COLUMN_LIMIT,
                "more": 0 if stage else max(0, count - BOARD_COLUMN_LIMIT),
            }
        )
    context = {
        "org": org,
        "columns": columns,
        "stage": stage,
        "overdue_only": overdue_only,
        "stages": [(key, Stage(key).label) for key in selectors.BOARD_STAGES],
        "children": children,
        "totals": totals,
        "total": sum(c["count"] for c in columns),
        "page": page,
        "today": today,
        "can_create": org is not None
        and org.kind == OrgKind.BRANCH
        and not org.ended_on
        and permissions.allows(scope, permissions.MEMBER_EDIT, org.path),
    }
    return render(request, "recruitment/board.html", context)


@login_required
@require_GET
@not_found_as_404
def ledger(request):
    """The ledger (发展党员台账): every dossier with its milestone dates; printable (A4), ?format=xlsx exports."""
    scope = request.scope
    code = request.GET.get("org", "").strip()
    org = org_selectors.org_get(scope=scope, code=code) if code else None
    today = timezone.localdate()
    stage = request.GET.get("stage", "")
    if stage not in Stage.values:
        stage = ""
    q = request.GET.get("q", "").strip()
    year_text = request.GET.get("year", "").strip()
    year = int(year_text) if year_text.isdigit() and 1921 <= int(year_text) <= 9999 else None
    rows = selectors.ledger(scope=scope, org=org, stage=stage or None, q=q, admitted_year=year)
    title_org = org.name if org else _("本人管理范围")
    if year is not None:
        title_org = _("%(org)s %(year)s年入党") % {"org": title_org, "year": year}
    if request.GET.get("format") == "xlsx":
        return xlsx.response(
            ledgers.ledger_workbook(
                rows=(selectors.ledger_line(a) for a in rows.iterator(chunk_size=2000)),
                title_org=title_org,
                on=today,
            ),
            filename=_("%(org)s-发展党员台账-%(date)s.xlsx") % {"org": title_org, "date": today.isoformat()},
            fallback=f"recruitment-{org.code if org else 'all'}-{today.isoformat()}.xlsx",
        )
    page = Paginator(rows, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "rows": [selectors.ledger_line(a) for a in page.object_list],
        "page": page,
        "count": page.paginator.count,
        "first_number": page.start_index(),
        "today": today,
        "title_org": title_org,
        "stage": stage,
        "stages": Stage.choices,
        "q": q,
        "year": year,
        "years": range(today.year, today.year - 10, -1),
    }
    return render(request, "recruitment/ledger.html", context)


@login_required
@not_found_as_404
def create(request, code):
    """Open a dossier for someone who applied in writing (入党申请人)."""
    scope = request.scope
    org = org_selectors.org_get(scope=scope, code=code)
    permissions.require(scope, permissions.MEMBER_EDIT, org.path)
    form = ApplicantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            applicant = services.applicant_create(
                scope=scope, actor=request.user, org=org, **form.cleaned_data
            )
        except RuleViolation as exc:
            add_rule_violation(form, exc)
        else:
            messages.success(request, _("已登记入党申请人"))
            return redirect("recruitment:detail", pk=applicant.pk)
    context = {"form": form, "org": org, "title": _("登记入党申请人")}
    return render(request, "recruitment/applicant_form.html", context)


def _people(scope, org) -> list[tuple[int, str]]:
    """The branch's full members: who may be a mentor or a sponsor (REC-MENTORS, REC-SPONSORS)."""
    qs = member_selectors.member_list(scope=scope, org=org, status=MemberStatus.FULL, direct_only=True)
    return list(qs.values_list("pk", "name"))


VOTE_KINDS = frozenset({EventKind.BRANCH_VOTE, EventKind.CONVERSION_VOTE})


def _electorate(scope, org, on: dt.date) -> list[tuple[int, str, bool]]:
    """The branch's full members on the vote date, each with whether they are under 留党察看 then."""
    members = member_selectors.full_members_on(scope=scope, org=org, on=on)
    return [(m.pk, m.name, member_selectors.under_disciplinary_probation(m, on)) for m in members]


def _posted_date(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.POST.get("on") or request.GET.get("on") or "")
    except ValueError:
        return timezone.localdate()


def _exclusion_text(reason: str, note: str) -> str:
    if reason == VoteExclusionReason.DISCIPLINARY_PROBATION:
        return _("受留党察看处分，没有表决权")
    label = str(VoteExclusionReason(reason).label) if reason in VoteExclusionReason.values else reason
    return f"{label}：{note}" if note else label


def _roster_summary(payload: dict[str, Any], names: dict[int, str]) -> list[tuple[str, str]]:
    """应到 / 实到 / 书面意见 / 不计入应到, with names, then the secret ballot's counts."""
    roster = payload["roster"]

    def who(pk: int) -> str:
        return names.get(pk, f"#{pk}")

    present = "、".join(who(pk) for pk in roster["present"])
    written = "、".join(
        "{}（{}）".format(who(r["member"]), VoteOpinion(r["opinion"]).label) for r in roster["written"]
    )
    excluded = "、".join(
        "{}（{}）".format(who(r["member"]), _exclusion_text(r["reason"], r.get("note", "")))
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


def _value_text(name: str, value: Any, names: dict[int, str]) -> str:
    if name in selectors.PEOPLE_FIELDS:
        return "、".join(names.get(pk, f"#{pk}") for pk in value)
    if isinstance(value, bool):
        return str(dict(BOOL_CHOICES.get(name, ((True, _("是")), (False, _("否")))))[value])
    choices = {"source": ActivistSource, "decided_by": Decider, "outcome": ProbationOutcome}
    if name in choices and value in choices[name].values:
        return str(choices[name](value).label)
    return str(value)


def _summary(payload: dict[str, Any], names: dict[int, str]) -> list[tuple[str, str]]:
    skip = {"candidates"}
    head: list[tuple[str, str]] = []
    if "roster" in payload:
        skip |= {"roster", "should_attend", "present", "written_yes"}
        head = _roster_summary(payload, names)
    return head + [
        (str(FIELD_LABELS.get(name, name)), _value_text(name, value, names))
        for name, value in payload.items()
        if name not in skip and value not in ("", None)
    ]


def _named_ids(payload: dict[str, Any]) -> set[int]:
    ids = {pk for n in selectors.PEOPLE_FIELDS for pk in payload.get(n, [])}
    roster = payload.get("roster")
    if roster:
        ids |= set(roster["present"]) | {r["member"] for r in roster["written"] + roster["excluded"]}
    return ids


def _icon(content_type: str) -> str:
    """A bootstrap-icons class for a document's type."""
    if content_type == "application/pdf":
        return "bi-file-earmark-pdf"
    if content_type.startswith("image/"):
        return "bi-file-earmark-image"
    if "word" in content_type:
        return "bi-file-earmark-word"
    if "sheet" in content_type or "excel" in content_type:
        return "bi-file-earmark-excel"
    return "bi-file-earmark-text"


def _dossier_context(request, applicant) -> dict[str, Any]:
    scope = request.scope
    today = timezone.localdate()
    data = selectors.dossier(scope=scope, applicant=applicant)
    ids = sorted({pk for e in data["timeline"] for pk in _named_ids(e["payload"])})
    names = {pk: m.name for pk, m in member_selectors.members_by_id(scope=scope, ids=ids).items()}
    by_step: dict[int | None, list[dict[str, Any]]] = {}
    for d in data["documents"]:
        d["icon"] = _icon(d["content_type"])
        by_step.setdefault(d["event_id"], []).append(d)
    for e in data["timeline"]:
        e["summary"] = _summary(e["payload"], names)
        e["documents"] = by_step.get(e["id"], [])
        e["document_kind"] = STEP_DOCUMENT_KIND[e["event"]]
    data["next"] = _with_overdue(data["next"], today)
    return {
        "applicant": applicant,
        "dossier": data,
        "org": applicant.org,
        "today": today,
        "can_edit": permissions.allows(scope, permissions.MEMBER_EDIT, applicant.org.path)
        and applicant.stage not in rules.TERMINAL,
        "ancestors": org_selectors.org_ancestors(scope=scope, org=applicant.org),
        # The steps the stage graph allows at the dossier's stage (rules.GRAPH), in the procedure's order.
        "kinds": [(k, label) for k, label in EventKind.choices if k in rules.GRAPH.get(applicant.stage, {})],
        # Documents may be added to any dossier the caller edits, closed ones included (archives get filed).
        "can_attach": permissions.allows(scope, permissions.MEMBER_EDIT, applicant.org.path),
        "dossier_documents": by_step.get(None, []),
        "dossier_document_kind": DOSSIER_DOCUMENT_KIND,
        "document_kinds": DossierDocumentKind.choices,
    }


@login_required
@require_GET
@not_found_as_404
def detail(request, pk):
    """The dossier: the stage, the recorded steps, and what may come next, from when and by when."""
    applicant = selectors.applicant_get(scope=request.scope, applicant_id=pk)
    return render(request, "recruitment/detail.html", _dossier_context(request, applicant))


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


def _milestone(label, on=None, details="", recorded_by="", warnings=()) -> dict[str, Any]:
    return {
        "label": str(label),
        "on": on,
        "details": details,
        "recorded_by": recorded_by or "",
        "warnings": list(warnings),
    }


def _milestones(applicant, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every milestone of the dossier with its date, details, recorder and warnings; empty rows for the steps
    not yet taken. Built from the dossier's timeline (selectors.dossier): nothing here decides anything."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for e in data["timeline"]:
        by_kind.setdefault(e["event"], []).append(e)
    rows = [_milestone(_("提出入党申请"), applicant.applied_on)]
    for kind in (*SUMMARY_STEPS, *SUMMARY_OPTIONAL_STEPS):
        label = EventKind(kind).label
        events = by_kind.get(kind, [])
        if not events and kind in SUMMARY_OPTIONAL_STEPS:
            continue
        if not events:
            rows.append(_milestone(label))
        for e in events:
            details = [f"{name} {value}" for name, value in e["summary"]]
            if kind == EventKind.PUBLIC_NOTICE and e["payload"].get("working_days"):
                start = dt.date.fromisoformat(e["payload"].get("start_on") or e["on"].isoformat())
                end = workday_period_end(start, e["payload"]["working_days"]).end
                details.insert(0, _("公示期 %(start)s 至 %(end)s") % {"start": start, "end": end})
            rows.append(_milestone(label, e["on"], "；".join(details), e["recorded_by"], e["warnings"]))
    rows.append(_milestone(_("入党时间"), data["admitted_on"]))
    rows.append(_milestone(_("转正时间"), data["converted_on"]))
    return rows


@login_required
@require_GET
@not_found_as_404
def summary(request, pk):
    """The per-person summary (发展党员纪实表): an A4 page of every milestone, to print and sign;
    ?format=xlsx exports the same rows."""
    scope = request.scope
    applicant = selectors.applicant_get(scope=scope, applicant_id=pk)
    context = _dossier_context(request, applicant)
    rows = _milestones(applicant, context["dossier"])
    id_number = selectors.applicant_id_number(scope=scope, applicant=applicant)
    if request.GET.get("format") == "xlsx":
        today = context["today"]
        return xlsx.response(
            ledgers.summary_workbook(applicant=applicant, id_number=id_number, rows=rows, on=today),
            filename=_("%(name)s-发展党员纪实表-%(date)s.xlsx")
            % {"name": applicant.name, "date": today.isoformat()},
            fallback=f"recruitment-summary-{applicant.pk}-{today.isoformat()}.xlsx",
        )
    return render(
        request,
        "recruitment/summary.html",
        context | {"rows": rows, "id_number": id_number, "catalogue": _catalogue(context["dossier"])},
    )


def _catalogue(dossier: dict[str, Any]) -> list[dict[str, Any]]:
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


@login_required
@not_found_as_404
def event(request, pk):
    """Record one step (?event=KIND). A refusal names the rule and the earliest lawful date; nothing is
    saved."""
    scope = request.scope
    applicant = selectors.applicant_get(scope=scope, applicant_id=pk)
    permissions.require(scope, permissions.MEMBER_EDIT, applicant.org.path)
    kind = request.POST.get("event") or request.GET.get("event") or ""
    if kind not in EventKind.values:
        # The last of the stored next steps (kept equal to the live ones by every step and refresh).
        upcoming = selectors.next_out(applicant.next_steps)
        kind = upcoming[-1]["event"] if upcoming else ""
    if not kind:
        messages.info(request, _("该档案已办结，不能再记录步骤"))
        context = _dossier_context(request, applicant)
        return render(request, "recruitment/event_form.html", context | {"form": None, "refusal": None})
    on = _posted_date(request)
    form = EventForm(
        request.POST or None,
        kind=kind,
        people=_people(scope, applicant.org),
        electorate=_electorate(scope, applicant.org, on) if kind in VOTE_KINDS else None,
        initial={"on": on},
    )
    document_form = StepDocumentForm(
        request.POST or None,
        request.FILES or None,
        prefix="document",
        initial={"kind": STEP_DOCUMENT_KIND[kind]},
    )
    refusal = None
    if request.method == "POST" and form.is_valid() and document_form.is_valid():
        doc = document_form.cleaned_data
        upload = (
            services.Upload(
                file=doc["file"], kind=doc["kind"] or STEP_DOCUMENT_KIND[kind], title=doc["title"]
            )
            if doc.get("file") is not None
            else None
        )
        try:
            services.event_record(
                scope=scope,
                actor=request.user,
                applicant=applicant,
                kind=kind,
                on=form.cleaned_data["on"],
                payload=form.payload(),
                upload=upload,
            )
        except RuleViolation as exc:
            refusal = exc
            if exc.field in form.fields:
                form.fields[exc.field].widget.attrs["aria-invalid"] = "true"
                form.add_error(exc.field, str(exc.message))
            elif exc.field in document_form.fields:
                document_form.add_error(exc.field, str(exc.message))
        else:
            messages.success(request, _("已记录：%(step)s") % {"step": EventKind(kind).label})
            return redirect(reverse("recruitment:detail", args=[applicant.pk]))
    # The page around the form, read only when it is shown (a recorded step redirects).
    context = _dossier_context(request, applicant) | {
        "form": form,
        "document_form": document_form,
        "kind": kind,
        "kind_label": EventKind(kind).label,
        "refusal": refusal,
    }
    return render(request, "recruitment/event_form.html", context)


def _errors_of(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


@login_required
@require_POST
@not_found_as_404
def document_upload(request, pk):
    """Keep a document (材料) with the dossier or one of its steps (`event`). A refusal (DOC-TYPE, DOC-SIZE,
    DOC-EMPTY) is shown on the dossier page next to the upload form; nothing is saved."""
    scope = request.scope
    applicant = selectors.applicant_get(scope=scope, applicant_id=pk)
    permissions.require(scope, permissions.MEMBER_EDIT, applicant.org.path)
    form = DocumentForm(request.POST, request.FILES)
    event_id = request.POST.get("event") or None
    if form.is_valid():
        data = form.cleaned_data
        try:
            event = (
                selectors.applicant_event_get(scope=scope, applicant=applicant, event_id=data["event"])
                if data["event"] is not None
                else None
            )
            services.dossier_document_attach(
                scope=scope,
                actor=request.user,
                applicant=applicant,
                kind=data["kind"],
                title=data["title"],
                file=data["file"],
                event=event,
            )
        except RuleViolation as exc:
            add_rule_violation(form, exc)
        else:
            messages.success(
                request, _("已上传材料：%(title)s") % {"title": data["title"] or data["file"].name}
            )
            anchor = f"#step-{event.pk}" if event is not None else "#documents"
            return redirect(reverse("recruitment:detail", args=[applicant.pk]) + anchor)
    context = _dossier_context(request, applicant)
    context["upload_error"] = {"event_id": str(event_id or ""), "messages": _errors_of(form)}
    return render(request, "recruitment/detail.html", context)


@login_required
@require_POST
@not_found_as_404
def document_withdraw(request, pk, document_id):
    """Withdraw a wrong upload (撤回), with a reason: it stays on the dossier, struck through."""
    scope = request.scope
    applicant = selectors.applicant_get(scope=scope, applicant_id=pk)
    document = selectors.dossier_document_get(scope=scope, applicant=applicant, document_id=document_id)
    permissions.require(scope, permissions.MEMBER_EDIT, applicant.org.path)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            document_services.document_withdraw(
                scope=scope, actor=request.user, document=document, reason=form.cleaned_data["reason"]
            )
        except RuleViolation as exc:
            add_rule_violation(form, exc)
        else:
            messages.success(request, _("已撤回材料：%(title)s") % {"title": document.title})
            return redirect(reverse("recruitment:detail", args=[applicant.pk]) + f"#document-{document.pk}")
    context = _dossier_context(request, applicant)
    context["withdraw_error"] = {"document_id": document.pk, "messages": _errors_of(form)}
    return render(request, "recruitment/detail.html", context)


def _policy_initial(policy, today) -> dict[str, Any]:
    return {"effective_from": today, **selectors.policy_values(policy)}


@login_required
@not_found_as_404
def policy(request, code):
    """The recruitment policy (发展党员工作规则参数) in force for an org today, where it comes from, its history;
    org admins of the org add a new effective-dated policy for its subtree."""
    scope = request.scope
    org = org_selectors.org_get(scope=scope, code=code)
    today = timezone.localdate()
    row = selectors.policy_row(org, today)
    current = selectors.policy_of_row(row)
    can_edit = permissions.allows(scope, permissions.ADMIN, org.path)
    if request.method == "POST":
        permissions.require(scope, permissions.ADMIN, org.path)
    form = PolicyForm(request.POST or None, initial=_policy_initial(current, today)) if can_edit else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.policy_set(scope=scope, actor=request.user, org=org, **data)
        except RuleViolation as exc:
            add_rule_violation(form, exc)
        else:
            messages.success(request, _("已保存发展党员工作规则参数"))
            return redirect("recruitment:policy", code=org.code)
    values = [
        (_("申请后确定积极分子的最短月数"), current.activist_wait_months),
        (_("集中培训天数"), current.training_days),
        (_("集中培训学时"), current.training_hours),
        (_("公示工作日数"), current.notice_working_days),
        (_("须公示的步骤"), "、".join(str(EventKind(k).label) for k in sorted(current.notice_before)) or "—"),
        (_("延长预备期（月）"), "{}–{}".format(*current.extension_months)),
        (_("审批提醒月数"), current.approval_warn_months),
        (_("审批期限月数"), current.approval_block_months),
        (_("转正讨论宽限月数"), current.conversion_vote_grace_months),
    ]
    context = {
        "org": org,
        "today": today,
        "row": row,
        "values": values,
        "history": selectors.policy_history(org),
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "recruitment/policy.html", context)
