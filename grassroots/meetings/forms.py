"""The forms of organizational life; each runs through its service (core.http.form_view)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AttendanceStatus, ExcusalReason, MeetingDocumentKind


class DateInput(forms.DateInput):
    input_type = "date"


class PolicyForm(forms.Form):
    """A new effective-dated meeting policy for an org's subtree (services.policy_set checks it)."""

    effective_from = forms.DateField(label=_("生效日期"), widget=DateInput())
    lectures_per_quarter = forms.IntegerField(label=_("每季度党课次数"))
    minutes_late_days = forms.IntegerField(label=_("会议记录定稿期限（天）"))
    sign_in_opens_before_minutes = forms.IntegerField(label=_("会前开放签到（分钟）"))
    sign_in_closes_after_minutes = forms.IntegerField(label=_("会后关闭签到（分钟）"))
    code_step_seconds = forms.IntegerField(label=_("签到码刷新间隔（秒）"))
    lapse_warn_months = forms.IntegerField(label=_("未参加组织生活提醒月数"))
    lapse_months = forms.IntegerField(label=_("未参加组织生活处置月数"))
    note = forms.CharField(label=_("依据文件或说明"), max_length=200, required=False)


class TalkForm(forms.Form):
    """A heart-to-heart talk (services.talk_record checks who may talk with whom)."""

    held_on = forms.DateField(label=_("谈话日期"), widget=DateInput())
    initiator = forms.TypedChoiceField(label=_("谈话人"), coerce=int)
    counterpart = forms.TypedChoiceField(label=_("谈话对象"), coerce=int)
    topic = forms.CharField(label=_("谈话主题"), max_length=200)
    summary = forms.CharField(label=_("谈话要点"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, members: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *members]
        self.fields["initiator"].choices = choices
        self.fields["counterpart"].choices = choices


class ExcusalForm(forms.Form):
    """An excusal from organizational life (services.excusal_record)."""

    member = forms.TypedChoiceField(label=_("党员"), coerce=int)
    reason_kind = forms.ChoiceField(label=_("原因类别"), choices=ExcusalReason.choices)
    reason = forms.CharField(label=_("具体原因"), max_length=200)
    from_month = forms.DateField(label=_("起始月份"), widget=DateInput())
    until_month = forms.DateField(label=_("截止月份"), required=False, widget=DateInput())

    def __init__(self, *args, members: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—"), *members]


class TimeInput(forms.TimeInput):
    input_type = "time"


class MeetingForm(forms.Form):
    """Arranging a meeting, or changing a planned one (services.meeting_create / meeting_update): the kinds the
    org holds, its members as convener and recorder. Who should attend is derived by the server."""

    kind = forms.ChoiceField(label=_("会议类型"))
    topic = forms.CharField(label=_("会议主题"), max_length=200)
    planned_on = forms.DateField(label=_("会议日期"), widget=DateInput())
    starts_at = forms.TimeField(label=_("开始时间"), required=False, widget=TimeInput())
    ends_at = forms.TimeField(label=_("结束时间"), required=False, widget=TimeInput())
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    convener = forms.TypedChoiceField(label=_("主持人"), coerce=int, required=False, empty_value=None)
    recorder = forms.TypedChoiceField(label=_("记录人"), coerce=int, required=False, empty_value=None)
    agenda = forms.CharField(
        label=_("议程"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, kinds: list[tuple[str, str]], members: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        people = [("", "—"), *members]
        self.fields["convener"].choices = people
        self.fields["recorder"].choices = people

    @staticmethod
    def initial_from(meeting) -> dict:
        return {
            "kind": meeting.kind,
            "topic": meeting.topic,
            "planned_on": meeting.planned_on,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "place": meeting.place,
            "convener": meeting.convener_id,
            "recorder": meeting.recorder_id,
            "agenda": meeting.agenda,
        }


class HoldForm(forms.Form):
    """Marking a meeting held (services.meeting_hold)."""

    held_on = forms.DateField(label=_("召开日期"), widget=DateInput())


class CancelForm(forms.Form):
    """Cancelling a planned meeting (services.meeting_cancel): those expected are told why."""

    reason = forms.CharField(label=_("取消原因"), max_length=200)


class AttendanceForm(forms.Form):
    """One line of the roster as an officer records it (services.attendance_record)."""

    status = forms.ChoiceField(label=_("出席情况"), choices=AttendanceStatus.choices)
    reason = forms.CharField(label=_("请假或缺席原因"), max_length=200, required=False)


class GuestForm(forms.Form):
    """A guest present at the meeting (services.guest_add)."""

    member = forms.TypedChoiceField(label=_("列席人员"), coerce=int)

    def __init__(self, *args, members: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—"), *members]


class LeaveForm(forms.Form):
    """A member's own request for leave (services.leave_request)."""

    reason = forms.CharField(
        label=_("请假事由"), max_length=200, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 200})
    )


class LeaveDecideForm(forms.Form):
    """An officer's decision on a leave request (services.leave_decide)."""

    grant = forms.TypedChoiceField(
        label=_("审批"),
        choices=[("1", _("准假")), ("0", _("不准假"))],
        coerce=lambda v: v == "1",
    )


class MeetingDocumentForm(forms.Form):
    """A document (材料) kept with the meeting (services.meeting_document_attach); the file's type, content and
    size are checked by the service (DOC-TYPE, DOC-SIZE, DOC-EMPTY, DOC-ARCHIVE)."""

    file = forms.FileField(label=_("文件"), allow_empty_file=True)
    kind = forms.ChoiceField(label=_("材料类别"), choices=MeetingDocumentKind.choices)
    title = forms.CharField(label=_("材料名称"), max_length=200, required=False)


class DocumentWithdrawForm(forms.Form):
    """Withdrawing a wrong upload (services.meeting_document_withdraw): the reason stays with it."""

    reason = forms.CharField(label=_("撤回理由"), max_length=200)
