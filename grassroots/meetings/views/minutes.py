"""The minutes page of a meeting (会议记录): the draft editor, finalize and confirm, the final text with its
补记 mark, amendments beside the original, votes, appraisal grades, and the 记录与存证不符 mark when the stored
record no longer matches its seal. Nothing here edits final minutes, attendance or votes: every form goes
through a service that refuses with MTG-MINUTES-FINAL once final.

The forms are kept here (their only page) until the app grows a forms module."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from grassroots.core import permissions
from grassroots.core.http import form_call
from grassroots.members import selectors as member_selectors

from .. import selectors, services
from ..choices import AppraisalGrade, MeetingKind, MinutesState, UnqualifiedHandling, VoteSubject

VOTING_KINDS = (MeetingKind.GENERAL_MEETING, MeetingKind.COMMITTEE_MEETING)


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("会议记录"), max_length=100_000, widget=forms.Textarea, strip=False
    )


class FinalizeForm(forms.Form):
    """Finalizing is a clear act: the recorder ticks that they checked the record (定稿后不能修改)."""

    confirm = forms.BooleanField(label=gettext_lazy("我已核对，定稿后不能修改"), required=True)


class AmendmentForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("更正内容"), max_length=100_000, widget=forms.Textarea)
    reason = forms.CharField(label=gettext_lazy("更正理由"), max_length=200)


class VoteForm(forms.Form):
    subject = forms.ChoiceField(label=gettext_lazy("表决事项"), choices=VoteSubject.choices)
    motion = forms.CharField(label=gettext_lazy("议题"), max_length=200)
    member = forms.TypedChoiceField(
        label=gettext_lazy("所涉党员"), required=False, coerce=int, empty_value=None
    )
    yes = forms.IntegerField(label=gettext_lazy("赞成"), min_value=0, max_value=1_000_000)
    no = forms.IntegerField(label=gettext_lazy("反对"), min_value=0, max_value=1_000_000, initial=0)
    abstain = forms.IntegerField(label=gettext_lazy("弃权"), min_value=0, max_value=1_000_000, initial=0)
    reference = forms.CharField(label=gettext_lazy("关联记录"), required=False, max_length=60)

    def __init__(self, *args, roster=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—")] + [(row["member"], row["name"]) for row in roster]


class AppraisalForm(forms.Form):
    """One row per member of the roster: grade, handling (for an unqualified member) and a note."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            pk = row["member"]
            self.fields[f"grade_{pk}"] = forms.ChoiceField(
                label=row["name"],
                required=False,
                choices=[("", "—"), *AppraisalGrade.choices],
                initial=row["grade"],
            )
            self.fields[f"handling_{pk}"] = forms.ChoiceField(
                label=_("处置"),
                required=False,
                choices=[("", "—"), *UnqualifiedHandling.choices],
                initial=row["handling"],
            )
            self.fields[f"note_{pk}"] = forms.CharField(
                label=_("备注"), required=False, max_length=200, initial=row["note"]
            )

    def grades(self) -> dict:
        data = self.cleaned_data
        return {
            row["member"]: (
                data[f"grade_{row['member']}"],
                data[f"handling_{row['member']}"],
                data[f"note_{row['member']}"],
            )
            for row in self.rows
            if data.get(f"grade_{row['member']}")
        }

    def lines(self):
        return [
            (
                row,
                self[f"grade_{row['member']}"],
                self[f"handling_{row['member']}"],
                self[f"note_{row['member']}"],
            )
            for row in self.rows
        ]


def _page(request, meeting, *, status=200, **bound):
    """The minutes page, with any bound form that failed in place of its empty one."""
    scope = request.scope
    minutes = selectors.minutes_of(meeting)
    final = minutes is not None and minutes.state != MinutesState.DRAFT
    editor = permissions.allows(scope, selectors.MEETING_EDIT, meeting.org.path)
    votes = selectors.votes_of(meeting) if meeting.kind in VOTING_KINDS else []
    appraisal = selectors.appraisal_rows(meeting) if meeting.kind == MeetingKind.APPRAISAL else []
    roster = appraisal
    vote_form = None
    if meeting.kind in VOTING_KINDS and editor and not final:
        if not roster:
            roster = selectors.appraisal_rows(meeting)
        vote_form = bound.get("vote_form") or VoteForm(roster=roster)
    should_attend, present = services.vote_roster(meeting) if vote_form is not None else (0, 0)
    policy = selectors.policy_for(meeting.org, meeting.held_on or meeting.planned_on)
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "final": final,
        "editor": editor,
        "can_draft": not final and services.may_draft(scope, request.user, meeting),
        "can_finalize": not final and services.may_act_as(scope, request.user, meeting, meeting.recorder),
        "can_confirm": minutes is not None
        and minutes.state == MinutesState.FINALIZED
        and services.may_act_as(scope, request.user, meeting, meeting.convener),
        "can_amend": final and services.may_amend(scope, request.user, meeting),
        "can_show_code": not final
        and meeting.status != "cancelled"
        and services.may_show_code(scope, request.user, meeting),
        "amendments": selectors.amendments_of(meeting) if final else [],
        "votes": votes,
        "vote_form": vote_form,
        "vote_should_attend": should_attend,
        "vote_present": present,
        "appraisal": appraisal,
        "appraisal_form": (bound.get("appraisal_form") or AppraisalForm(rows=appraisal))
        if appraisal and editor and not final
        else None,
        "excellent_cap": len(appraisal) // 3,
        "minutes_form": bound.get("minutes_form")
        or MinutesForm(initial={"text": minutes.text if minutes else ""}),
        "amendment_form": bound.get("amendment_form") or AmendmentForm(),
        "finalize_error": bound.get("finalize_error"),
        "late_days": policy.minutes_late_days,
        "findings": services.meeting_seal_findings(meeting) if final else [],
        "saved": bound.get("saved"),
    }
    return render(request, "meetings/minutes.html", context, status=status)


def _errors_of(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


def _back(meeting, anchor=""):
    return redirect(reverse("meetings:minutes", args=[meeting.pk]) + anchor)


@login_required
def minutes(request, meeting_id):
    """The minutes page (readers of the org see it; the forms appear to those who may use them)."""
    meeting = selectors.meeting_get(scope=request.scope, meeting_id=meeting_id)
    return _page(request, meeting)


@login_required
@require_POST
def minutes_save(request, meeting_id):
    """Save the draft; on htmx requests answer the editor's status line only."""
    meeting = selectors.meeting_get(scope=request.scope, meeting_id=meeting_id)
    form = MinutesForm(request.POST)
    called = form_call(
        form,
        lambda data: services.minutes_save(scope=request.scope, actor=request.user, meeting=meeting, **data),
    )
    if request.htmx:
        return render(
            request,
            "meetings/_minutes_saved.html",
            {"form": form, "ok": called.ok, "at": timezone.localtime()},
            status=200 if called.ok else 422,
        )
    if called.ok:
        messages.success(request, _("会议记录草稿已保存"))
        return _back(meeting, "#draft")
    if services.is_final(meeting):  # no editor on final minutes: the page explains the refusal at the top
        return _page(request, meeting, status=422, finalize_error=_errors_of(form))
    return _page(request, meeting, status=422, minutes_form=form)


@login_required
@require_POST
def minutes_finalize(request, meeting_id):
    meeting = selectors.meeting_get(scope=request.scope, meeting_id=meeting_id)
    form = FinalizeForm(request.POST)
    called = form_call(
        form,
        lambda data: services.minutes_finalize(
            scope=request.scope, actor=request.user, meeting=meeting, today=timezone.localdate()
        ),
    )
    if called.ok:
        messages.success(request, _("会议记录已定稿并存证；此后只能添加更正说明"))
        return _back(meeting)
    return _page(request, meeting, status=422, finalize_error=_errors_of(form))


@login_required
@require_POST
def minutes_confirm(request, meeting_id):
    meeting = selectors.meeting_get(scope=request.scope, meeting_id=meeting_id)
    form = forms.Form(request.POST)
    called = form_call(
        form, lambda data: services.minutes_confirm(scope=request.scope, actor=request.user, meeting=meeting)
    )
    if called.ok:
        messages.success(request, _("主持人已确认会议记录"))
        return _back(meeting)
    return _page(request, meeting, status=422, finalize_error=_errors_of(form))


@login_required
@require_POST
def amendment_add(request, meeting_id):
    meeting = selectors.meeting_get(scope=request.scope, meeting_id=meeting_id)
    form = AmendmentForm(request.POST)
    called = form_call(
        form,
        lambda data: services.amendment_add(scope=request.scope, actor=request.user, meeting=meeting, **data),
    )
    if called.ok:
        messages.success(request, _("更正说明已添加，原记录保持不变"))
        return _back(meeting, f"#amendment-{called.result.pk}")
    return _page(request, meeting, status=422, amendment_form=form)


@login_required
@require_POST
def vote_record(request, meeting_id):
    meeting = selectors.meeting_get(scope=request.scope, meeting_id=meeting_id, roles=selectors.MEETING_EDIT)
    form = VoteForm(request.POST, roster=selectors.appraisal_rows(meeting))

    def act(data):
        member_id = data.pop("member")
        member = member_selectors.member_get(scope=request.scope, member_id=member_id) if member_id else None
        return services.vote_record(
            scope=request.scope, actor=request.user, meeting=meeting, member=member, **data
        )

    called = form_call(form, act)
    if called.ok:
        messages.success(request, _("表决结果已记录"))
        return _back(meeting, "#votes")
    if services.is_final(meeting):  # nothing to show the form on: the page explains the refusal
        return _page(request, meeting, status=422, finalize_error=_errors_of(form))
    return _page(request, meeting, status=422, vote_form=form)


@login_required
@require_POST
def appraisal_record(request, meeting_id):
    meeting = selectors.meeting_get(scope=request.scope, meeting_id=meeting_id, roles=selectors.MEETING_EDIT)
    form = AppraisalForm(request.POST, rows=selectors.appraisal_rows(meeting))
    called = form_call(
        form,
        lambda data: services.appraisal_record(
            scope=request.scope, actor=request.user, meeting=meeting, grades=form.grades()
        ),
    )
    if called.ok:
        messages.success(request, _("评议等次已保存"))
        return _back(meeting, "#appraisal")
    if services.is_final(meeting):
        return _page(request, meeting, status=422, finalize_error=_errors_of(form))
    return _page(request, meeting, status=422, appraisal_form=form)
