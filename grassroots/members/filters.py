"""The member list's filters, shared by the list page (and the API if it wants them).

Apply to a queryset that is already scoped (members.selectors.member_list); nothing here reads on its own.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Education, MemberStatus, Occupation
from .models import Member
from .selectors import search_q

FLAG_CHOICES = [
    ("is_mobile", _("流动党员")),
    ("is_lost_contact", _("失联党员")),
    ("is_needy", _("困难党员")),
]


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"placeholder": _("姓名、拼音或首字母、电话、身份证号"), "type": "search"}
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("党员状态"), choices=MemberStatus.choices, empty_label=_("全部状态")
    )
    education = django_filters.ChoiceFilter(
        label=_("学历"), choices=Education.choices, empty_label=_("全部学历")
    )
    occupation = django_filters.ChoiceFilter(
        label=_("人员类别"), choices=Occupation.choices, empty_label=_("全部类别")
    )
    flags = django_filters.MultipleChoiceFilter(
        label=_("标记"),
        choices=FLAG_CHOICES,
        method="filter_flags",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Member
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(search_q(value)) if value else queryset

    def filter_flags(self, queryset, name, value):
        for flag in value:
            if flag in dict(FLAG_CHOICES):
                queryset = queryset.filter(**{flag: True})
        return queryset
