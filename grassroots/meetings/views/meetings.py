"""The meetings of an org (组织生活) as its officers keep them: the list (by kind, status and year), arranging a
meeting, its page (facts, roster, guests, leave requests, documents, links to the minutes), changing a planned meeting,
marking it held and cancelling it (MTG-STATUS). Who should attend and the counts are the server's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grassroots.core import permissions
from grassroots.core.http import form_view
from grassroots.orgs import selectors as org_selectors

from .. import attendance as reads
from .. import documents as document_reads
from .. import selectors, services
from ..choices import MEETING_DOCUMENT_KIND, MeetingDocumentKind, MeetingKind, MeetingStatus
from ..filters import MeetingFilter
from ..forms import AttendanceForm, CancelForm, GuestForm, HoldForm, MeetingForm
from ..rules import attendance_rate

PAGE_SIZE = 30


@login_required
@require_GET
def index(request):
    """组织生活 in the main menu: the meeting list of `?org=` or of the caller's first org where they read
    meetings."""
    scope = request.scope
    code = request.GET.get("org", "").strip()
    if code:
        org = org_selectors.org_get(scope=scope, code=code, roles=selectors.MEETING_VIEW)
        return redirect("meetings:list", code=org.code)
    roots = scope.with_roles(selectors.MEETING_VIEW).roots
    if not roots:
        raise Http404
    org = reads.org_at(scope=scope, path=roots[0])
    return redirect("meetings:list", code=org.code)


def kind_choices(org) -> list[tuple[str, str]]:
    """The kinds of meeting `org` holds (selectors.HOLDERS), in the choices' order."""
    return [(value, label) for value, label in MeetingKind.choices if org.kind in selectors.HOLDERS[value]]


@login_required
@require_GET
def meeting_list(request, code):
    """The meetings of an org's subtree, newest first, filtered by kind, status and year; each row links to
    its page and shows its counts, its rate and the 补记 mark of late minutes."""
    scope = request.scope
    org = org_selectors.org_get(scope=scope, code=code, roles=selectors.MEETING_VIEW)
    filterset = MeetingFilter(request.GET.dict() | {"org": org.code}, scope=scope)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"meeting": m, "rate": attendance_rate(m.present_count, m.excused_count, m.absent_count)}
        for m in page
    ]
    year = filterset.form.cleaned_data.get("year") if filterset.is_valid() else None
    year = int(year) if year else timezone.localdate().year
    context = {
        "org": org,
        "filter": filterset,
        "page": page,
        "rows": rows,
        "year": year,
        "year_rate": reads.org_rate(
            scope=scope,
            org=org,
            since=timezone.datetime(year, 1, 1).date(),
            until=timezone.datetime(year, 12, 31).date(),
        ),
        "can_create": permissions.allows(scope, selectors.MEETING_EDIT, org.path) and bool(kind_choices(org)),
    }
    template = "meetings/list.html#results" if request.htmx else "meetings/list.html"
    return render(request, template, context)


def _form(request, org, meeting=None) -> MeetingForm:
    scope = request.scope
    initial = MeetingForm.initial_from(meeting) if meeting else {"planned_on": timezone.localdate()}
    return MeetingForm(
        request.POST or None,
        initial=initial,
        kinds=kind_choices(org),
        members=reads.people_choices(scope=scope, org=org),
    )


def _people(request, org, data: dict) -> dict:
    """The form's member ids as members of the org the caller reads (None: not found, refused by the service)."""
    scope = request.scope
    for name in ("convener", "recorder"):
        pk = data.get(name)
        data[name] = reads.person_in(scope=scope, org=org, member_id=pk) if pk else None
    return data


@login_required
def meeting_create(request, code):
    """Arrange a meeting of the org; the roster and the notices follow (services.meeting_create)."""
    scope = request.scope
    org = org_selectors.org_get(scope=scope, code=code, roles=selectors.MEETING_EDIT)
    return form_view(
        request,
        _form(request, org),
        lambda data: services.meeting_create(
            scope=scope, actor=request.user, org=org, **_people(request, org, data)
        ),
        success=lambda meeting: reverse("meetings:detail", args=[meeting.pk]),
        message=lambda meeting: (
            _("已安排会议，应到 %(n)d 人，已发送会议通知") % {"n": meeting.expected_count}
        ),
        template="meetings/form.html",
        context=lambda: {"org": org, "meeting": None, "title": _("安排会议")},
        status=422,
    )


@login_required
def meeting_edit(request, meeting_id):
    """Change a planned meeting (MTG-STATUS); the roster is derived again while nothing is recorded."""
    scope = request.scope
    meeting = selectors.meeting_get(scope=scope, meeting_id=meeting_id, roles=selectors.MEETING_EDIT)
    return form_view(
        request,
        _form(request, meeting.org, meeting),
        lambda data: services.meeting_update(
            scope=scope, actor=request.user, meeting=meeting, **_people(request, meeting.org, data)
        ),
        success=reverse("meetings:detail", args=[meeting.pk]),
        message=_("会议安排已修改"),
        template="meetings/form.html",
        context=lambda: {"org": meeting.org, "meeting": meeting, "title": _("修改会议安排")},
        status=422,
    )


def detail_context(request, meeting, **bound) -> dict[str, Any]:
    """What the meeting's page shows; `bound` carries a form that failed in place of its empty one."""
    scope = request.scope
    lines = reads.lines_of(meeting)
    final = services.is_final(meeting)
    editor = permissions.allows(scope, selectors.MEETING_EDIT, meeting.org.path)
    recording = editor and not final and meeting.status != MeetingStatus.CANCELLED
    own = next((a for a in lines if a.member.user_id and a.member.user_id == request.user.pk), None)
    return {
        "meeting": meeting,
        "org": meeting.org,
        "final": final,
        "late_entry": bool(getattr(getattr(meeting, "minutes", None), "is_late_entry", False)),
        "editor": editor,
        "recording": recording,
        "planned": meeting.status == MeetingStatus.PLANNED,
        "can_change": editor and not final and meeting.status == MeetingStatus.PLANNED,
        "can_show_code": recording and services.may_show_code(scope, request.user, meeting),
        "expected": [a for a in lines if a.expected],
        "guests": [a for a in lines if not a.expected],
        "leaves": reads.leave_requests_of(lines),
        "rate": attendance_rate(meeting.present_count, meeting.excused_count, meeting.absent_count),
        "status_choices": AttendanceForm.base_fields["status"].choices,
        "guest_form": bound.get("guest_form")
        or (GuestForm(members=reads.guest_choices(scope=scope, meeting=meeting)) if recording else None),
        "own": own,
        "errors": bound.get("errors", []),
        # Documents may be filed after the minutes are final: they are not part of the frozen record.
        "documents": document_reads.meeting_documents(scope=scope, meeting=meeting),
        "can_attach": editor,
        "document_kinds": MeetingDocumentKind.choices,
        "default_document_kind": MEETING_DOCUMENT_KIND,
        "upload_errors": bound.get("upload_errors", []),
        "withdraw_error": bound.get("withdraw_error"),
    }


@login_required
@require_GET
def meeting_detail(request, meeting_id):
    """The meeting's page: facts, roster with each line's status (recorded in place by its officers), guests,
    leave requests, the minutes link and the held / cancel actions."""
    meeting = selectors.meeting_get(scope=request.scope, meeting_id=meeting_id)
    return render(request, "meetings/detail.html", detail_context(request, meeting))


@login_required
def meeting_hold(request, meeting_id):
    """Mark a planned meeting held, on a day not after today (MTG-STATUS, MTG-DATES)."""
    scope = request.scope
    meeting = selectors.meeting_get(scope=scope, meeting_id=meeting_id, roles=selectors.MEETING_EDIT)
    return form_view(
        request,
        HoldForm(request.POST or None, initial={"held_on": min(meeting.planned_on, timezone.localdate())}),
        lambda data: services.meeting_hold(
            scope=scope,
            actor=request.user,
            meeting=meeting,
            held_on=data["held_on"],
            today=timezone.localdate(),
        ),
        success=reverse("meetings:detail", args=[meeting.pk]),
        message=_("会议已标记为已召开"),
        template="meetings/action.html",
        context=lambda: {
            "meeting": meeting,
            "title": _("标记会议已召开"),
            "explain": _(
                "会议召开后标记；召开日期不能晚于今天。尚未登记的出席情况可继续登记，会议记录定稿时未登记者记为缺席。"
            ),
            "button": _("标记已召开"),
        },
        status=422,
    )


@login_required
def meeting_cancel(request, meeting_id):
    """Cancel a planned meeting with a reason (MTG-STATUS); those expected get a notice."""
    scope = request.scope
    meeting = selectors.meeting_get(scope=scope, meeting_id=meeting_id, roles=selectors.MEETING_EDIT)
    return form_view(
        request,
        CancelForm(request.POST or None),
        lambda data: services.meeting_cancel(scope=scope, actor=request.user, meeting=meeting, **data),
        success=reverse("meetings:detail", args=[meeting.pk]),
        message=_("会议已取消，已通知应到人员"),
        template="meetings/action.html",
        context=lambda: {
            "meeting": meeting,
            "title": _("取消会议"),
            "explain": _(
                "取消后会议保留在记录中并标为已取消，不能再召开或登记出席；应到人员将收到取消通知。"
            ),
            "button": _("确认取消会议"),
            "danger": True,
        },
        status=422,
    )
