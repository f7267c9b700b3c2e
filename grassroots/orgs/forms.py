"""Input shapes for the org pages. Plain forms: the services check the rules (and code uniqueness)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import OrgKind, UnitKind, UnitRelation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class OrgForm(forms.Form):
    """The editable facts of an org (orgs.services.EDITABLE_FIELDS)."""

    name = forms.CharField(label=_("组织名称"), max_length=200)
    short_name = forms.CharField(label=_("简称"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("组织类别"), choices=OrgKind.choices)
    is_joint = forms.BooleanField(label=_("联合党支部"), required=False)
    unit_name = forms.CharField(label=_("所在单位"), max_length=200, required=False)
    unit_kind = forms.ChoiceField(label=_("单位类型"), choices=UnitKind.choices)
    unit_relation = forms.ChoiceField(label=_("所在单位情况"), choices=UnitRelation.choices)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=60, required=False)
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=DateInput)
    approved_by = forms.CharField(label=_("批准文件"), max_length=200, required=False)
    secretary_vacant_since = forms.DateField(label=_("书记空缺起始"), required=False, widget=DateInput)

    @classmethod
    def initial_from(cls, org) -> dict:
        return {name: getattr(org, name) for name in cls.base_fields}


class OrgCreateForm(OrgForm):
    code = forms.CharField(label=_("组织代码"), max_length=32)

    field_order = ["code", "name", "short_name", "kind"]


class OrgMoveForm(forms.Form):
    parent_code = forms.CharField(
        label=_("新的上级党组织代码"), max_length=32, help_text=_("可在顶部“切换组织”中查找组织代码")
    )
