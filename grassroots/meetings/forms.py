"""The forms of organizational life; each runs through its service (core.http.form_view)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ExcusalReason


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
