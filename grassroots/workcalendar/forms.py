"""The calendar page's forms (services check what they carry)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.orgs.forms import DateInput

from .choices import DayKind
from .rules import NAME_MAX

SCHEDULE_HELP = _(
    "按国务院办公厅通知逐行填写，例如：“春节 2027-02-06 至 2027-02-13 放假”、“春节 2027-02-14 上班”。"
    "“放假”可省略；以 # 开头的行忽略。"
)


class DayForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DateInput())
    kind = forms.ChoiceField(label=_("类别"), choices=DayKind.choices)
    name = forms.CharField(label=_("节日"), max_length=NAME_MAX)


class ScheduleForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput())
    text = forms.CharField(label=_("整年安排"), widget=forms.Textarea(), help_text=SCHEDULE_HELP)


class RemoveForm(forms.Form):
    day = forms.IntegerField(widget=forms.HiddenInput())
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


class ConfirmForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput())
    note = forms.CharField(label=_("依据文件"), max_length=200, required=False)
