"""Input shapes for the org pages. Plain forms: the services check the rules (and code uniqueness)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CommitteeRole, OrgKind, UnitKind, UnitRelation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class OrgPickerInput(forms.TextInput):
    """An org chosen by name, pinyin or initials from a search box (templates/_org_picker.html): the search
    asks `url` (an htmx fragment of radio buttons named after the field, valued by org code), so the form
    still receives the chosen org's code. `label` names the org already chosen when the form is shown again."""

    def __init__(self, attrs=None, url: str = "", label: str = ""):
        super().__init__(attrs)
        self.url = url
        self.label = label


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
        label=_("新的上级党组织"),
        max_length=32,
        widget=OrgPickerInput,
        help_text=_("输入组织名称、拼音、首字母或组织代码查找，从结果中选择"),
    )

    def __init__(self, *args, picker_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_code"].widget.url = picker_url


# The posts the election form fills, in the order of the form: (role, several people may hold it).
ELECT_POSTS = (
    (CommitteeRole.SECRETARY, False),
    (CommitteeRole.DEPUTY_SECRETARY, True),
    (CommitteeRole.ORGANIZATION_OFFICER, False),
    (CommitteeRole.PUBLICITY_OFFICER, False),
    (CommitteeRole.DISCIPLINE_OFFICER, False),
    (CommitteeRole.MEMBER, True),
)


class CommitteeElectForm(forms.Form):
    """An election (换届): the date, the term and who holds which post. Candidates are the org's members."""

    elected_on = forms.DateField(label=_("选举日期"), widget=DateInput)
    term_years = forms.IntegerField(label=_("任期（年）"), min_value=1, max_value=5)

    def __init__(self, *args, candidates: list[tuple[int, str]], today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        choices = [(str(pk), label) for pk, label in candidates]
        for role, several in ELECT_POSTS:
            if several:
                self.fields[role] = forms.MultipleChoiceField(
                    label=role.label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                )
            else:
                self.fields[role] = forms.ChoiceField(
                    label=role.label, choices=[("", _("（空缺）")), *choices], required=False
                )

    def clean_elected_on(self):
        day = self.cleaned_data["elected_on"]
        if day > self.today:
            raise forms.ValidationError(_("选举日期不能晚于今天"))
        return day

    def _picked(self, role: str) -> list[str]:
        value = self.cleaned_data.get(role) or []
        return list(value) if isinstance(value, list) else [value]

    def clean(self):
        data = super().clean()
        seen: dict[str, str] = {}
        any_post = False
        for role, _several in ELECT_POSTS:
            for pk in self._picked(role):
                any_post = True
                if pk in seen:
                    self.add_error(
                        role,
                        _("同一人只能担任一个职务（已任%(role)s）") % {"role": CommitteeRole(seen[pk]).label},
                    )
                else:
                    seen[pk] = role
        if not any_post and not self.errors:
            self.add_error(CommitteeRole.SECRETARY, _("请至少选择一名委员"))
        return data

    def posts(self) -> list[tuple[int, str]]:
        """(member id, role) for every post filled, in the order of the form."""
        out = []
        for role, _several in ELECT_POSTS:
            out.extend((int(pk), str(role)) for pk in self._picked(role))
        return out
