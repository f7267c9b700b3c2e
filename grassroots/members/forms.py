"""Input shapes for member records. Plain forms, not ModelForms: the services check the rules and uniqueness
(a ModelForm's unique checks would query the fail-closed manager)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.orgs.forms import DateInput, OrgPickerInput

from .choices import END_STATUSES, Education, JoinedHow, LostContactReason, MemberStatus, Occupation, Sex


class MemberForm(forms.Form):
    """Profile fields (members.services.PROFILE_FIELDS) plus the ID number."""

    name = forms.CharField(label=_("姓名"), max_length=60)
    former_names = forms.CharField(label=_("曾用名"), max_length=120, required=False)
    sex = forms.ChoiceField(label=_("性别"), choices=Sex.choices)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, initial="汉族")
    native_place = forms.CharField(label=_("籍贯"), max_length=60, required=False)
    birth_date = forms.DateField(label=_("出生日期"), widget=DateInput)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, min_length=0)
    education = forms.ChoiceField(label=_("学历"), choices=Education.choices)
    occupation = forms.ChoiceField(label=_("人员类别"), choices=Occupation.choices)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("家庭住址"), max_length=200, required=False)
    unit_name = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    work_post = forms.CharField(label=_("工作岗位"), max_length=60, required=False)
    started_work_on = forms.DateField(label=_("参加工作时间"), required=False, widget=DateInput)
    admitted_on = forms.DateField(label=_("入党时间"), widget=DateInput)
    converted_on = forms.DateField(
        label=_("转正时间"),
        required=False,
        widget=DateInput,
        help_text=_("预备期满之日：入党时间满一年，延长预备期的顺延"),
    )
    probation_extension_months = forms.IntegerField(
        label=_("延长预备期月数"), min_value=0, max_value=12, initial=0, required=False
    )
    party_group = forms.ChoiceField(label=_("党小组"), required=False)
    is_mobile = forms.BooleanField(label=_("流动党员"), required=False)
    mobile_to = forms.CharField(label=_("外出流向"), max_length=200, required=False)
    mobile_since = forms.DateField(label=_("外出日期"), required=False, widget=DateInput)
    is_lost_contact = forms.BooleanField(label=_("失联党员"), required=False)
    lost_contact_since = forms.DateField(label=_("失去联系日期"), required=False, widget=DateInput)
    lost_contact_reason = forms.ChoiceField(
        label=_("失去联系情形"), required=False, choices=[("", "—"), *LostContactReason.choices]
    )
    is_needy = forms.BooleanField(label=_("困难党员"), required=False)
    disciplinary_probation_from = forms.DateField(
        label=_("留党察看起始日期"), required=False, widget=DateInput
    )
    disciplinary_probation_until = forms.DateField(
        label=_("留党察看期满日期"),
        required=False,
        widget=DateInput,
        help_text=_("留党察看期限为一年或两年；期满之日起恢复党员权利"),
    )

    def __init__(self, *args, groups=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {g.code: g for g in groups}
        self.fields["party_group"].choices = [("", "—"), *((g.code, g.name) for g in groups)]
        if editing:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("留空表示不修改")

    def clean_probation_extension_months(self):
        return self.cleaned_data.get("probation_extension_months") or 0

    def clean_party_group(self):
        code = self.cleaned_data.get("party_group")
        return self.groups.get(code) if code else None

    @staticmethod
    def initial_from(member) -> dict:
        initial = {name: getattr(member, name) for name in MemberForm.base_fields if name != "id_number"}
        initial["party_group"] = member.party_group.code if member.party_group else ""
        return initial


class MemberCreateForm(MemberForm):
    status = forms.ChoiceField(
        label=_("党员状态"),
        choices=[
            (MemberStatus.FULL, MemberStatus.FULL.label),
            (MemberStatus.PROBATIONARY, MemberStatus.PROBATIONARY.label),
        ],
    )
    joined_how = forms.ChoiceField(
        label=_("进入本支部方式"), choices=JoinedHow.choices, initial=JoinedHow.RECRUITED
    )

    field_order = [
        "name",
        "sex",
        "birth_date",
        "id_number",
        "status",
        "admitted_on",
        "converted_on",
        "probation_extension_months",
        "joined_how",
    ]


class MemberEndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("方式"),
        choices=[(MemberStatus.SUSPENDED, MemberStatus.SUSPENDED.label)]
        + [(s.value, s.label) for s in END_STATUSES],
    )
    ended_on = forms.DateField(label=_("日期"), widget=DateInput)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)
    document = forms.CharField(label=_("决定文件"), max_length=200, required=False)


class TransferIssueForm(forms.Form):
    to_org_code = forms.CharField(
        label=_("接收党组织"),
        max_length=32,
        required=False,
        widget=OrgPickerInput,
        help_text=_("转往本系统内的党组织时：输入组织名称、拼音、首字母或组织代码查找，从结果中选择"),
    )
    external_org_name = forms.CharField(
        label=_("系统外党组织名称"), max_length=200, required=False, help_text=_("转往系统外时填写")
    )
    letter_serial = forms.CharField(label=_("介绍信编号"), max_length=40)
    issued_on = forms.DateField(label=_("开具日期"), widget=DateInput)
    dues_paid_to = forms.DateField(label=_("党费交至"), widget=DateInput, help_text=_("所交党费的最后一个月"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, picker_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org_code"].widget.url = picker_url


class TransferReceiveForm(forms.Form):
    received_on = forms.DateField(label=_("接收日期"), widget=DateInput)


class TransferReceiptForm(forms.Form):
    returned_on = forms.DateField(label=_("回执退回日期"), widget=DateInput)


class TransferCancelForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)
    cancelled_on = forms.DateField(label=_("撤销日期"), widget=DateInput)


class TransferReissueForm(forms.Form):
    letter_serial = forms.CharField(label=_("新介绍信编号"), max_length=40)
    issued_on = forms.DateField(label=_("开具日期"), widget=DateInput)
    reason = forms.CharField(
        label=_("撤销原介绍信的原因"),
        max_length=200,
        required=False,
        help_text=_("原介绍信尚未撤销时必填，如：介绍信已过期、信息有误"),
    )
    dues_paid_to = forms.DateField(
        label=_("党费交至"), widget=DateInput, required=False, help_text=_("留空则沿用原介绍信")
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class OwnContactForm(forms.Form):
    """What a member may change on their own record (members.services.member_update_own)."""

    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("家庭住址"), max_length=200, required=False)
