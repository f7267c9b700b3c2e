"""Recording who attended, on the meeting's page (htmx): one roster line at a time, guests, and leave — the
member's own request (请假) and the officers' decision. The member's own sign-in is another page's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.http import form_call, form_view

from .. import attendance as reads
from .. import selectors, services
from ..forms import AttendanceForm, GuestForm, LeaveDecideForm, LeaveForm
from ..rules import attendance_rate
from .meetings import detail_context


def _errors_of(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


@login_required
@require_POST
def attendance_record(request, meeting_id, attendance_id):
    """Record one roster line (status, reason). On htmx requests answer the line and the counts; otherwise
    go back to the meeting's page (or show it with the refusal)."""
    scope = request.scope
    line = reads.attendance_get(scope=scope, meeting_id=meeting_id, attendance_id=attendance_id)
    meeting = line.meeting
    form = AttendanceForm(request.POST)
    called = form_call(
        form,
        lambda data: services.attendance_record(
            scope=scope, actor=request.user, meeting=meeting, member=line.member, **data
        ),
    )
    if request.htmx:
        fresh = reads.attendance_get(scope=scope, meeting_id=meeting_id, attendance_id=attendance_id)
        fresh_meeting = fresh.meeting
        context = {
            "a": fresh,
            "meeting": fresh_meeting,
            "recording": True,
            "status_choices": AttendanceForm.base_fields["status"].choices,
            "line_errors": [] if called.ok else _errors_of(form),
            "rate": attendance_rate(
                fresh_meeting.present_count, fresh_meeting.excused_count, fresh_meeting.absent_count
            ),
            "oob": True,
        }
        return render(request, "meetings/_line.html", context, status=200 if called.ok else 422)
    if called.ok:
        messages.success(request, _("已登记 %(name)s 的出席情况") % {"name": line.member.name})
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#line-{line.pk}")
    context = detail_context(request, meeting, errors=_errors_of(form))
    return render(request, "meetings/detail.html", context, status=422)


@login_required
@require_POST
def guest_add(request, meeting_id):
    """Add a guest, present (列席): a member of another org the caller reads."""
    scope = request.scope
    meeting = selectors.meeting_get(scope=scope, meeting_id=meeting_id, roles=selectors.MEETING_EDIT)
    form = GuestForm(request.POST, members=reads.guest_choices(scope=scope, meeting=meeting))
    called = form_call(
        form,
        lambda data: services.guest_add(
            scope=scope,
            actor=request.user,
            meeting=meeting,
            member=reads.member_readable(scope=scope, member_id=data["member"]),
        ),
    )
    if called.ok:
        messages.success(request, _("已添加列席人员 %(name)s") % {"name": called.result.member.name})
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#guests")
    context = detail_context(request, meeting, guest_form=form)
    return render(request, "meetings/detail.html", context, status=422)


@login_required
def leave(request, meeting_id):
    """请假: the member's own request, before the meeting starts, with a reason (MTG-LEAVE). Phone first."""
    scope = request.scope
    meeting, own = reads.meeting_for_leave(scope=scope, meeting_id=meeting_id)
    return form_view(
        request,
        LeaveForm(request.POST or None, initial={"reason": own.leave_reason if own else ""}),
        lambda data: services.leave_request(scope=scope, actor=request.user, meeting=meeting, **data),
        success=reverse("meetings:mine"),
        message=_("请假申请已提交，请等待书记审批"),
        template="meetings/leave.html",
        context=lambda: {"meeting": meeting, "own": own},
        status=422,
    )


@login_required
@require_POST
def leave_decide(request, meeting_id, attendance_id):
    """An officer grants or refuses a pending leave request (MTG-LEAVE)."""
    scope = request.scope
    line = reads.attendance_get(scope=scope, meeting_id=meeting_id, attendance_id=attendance_id)
    form = LeaveDecideForm(request.POST)
    called = form_call(
        form,
        lambda data: services.leave_decide(
            scope=scope, actor=request.user, attendance=line, grant=data["grant"]
        ),
    )
    if called.ok:
        text = _("已准假：%(name)s") if called.result.leave_granted else _("未准假：%(name)s")
        messages.success(request, text % {"name": line.member.name})
        return redirect(reverse("meetings:detail", args=[meeting_id]) + "#leaves")
    context = detail_context(request, line.meeting, errors=_errors_of(form))
    return render(request, "meetings/detail.html", context, status=422)
