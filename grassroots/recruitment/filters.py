"""The filters of recruitment's lists: one filterset each, shared by the pages and the API (core.filters).

- `ApplicantFilter`: the dossiers (发展党员档案) of the ledger page, its .xlsx export and print view, and of
  `GET /recruitment/applicants` — the same list, so the same filters.
- `BoardFilter`: the board's inputs (org, one stage, overdue only) and the cards of one stage.

Each is built with the caller's scope and starts from a scoped selector; `?org=CODE` narrows to that org's
subtree (NotFound when missing or out of scope, like any other fetch). A value the page cannot use (an unknown
stage, a year out of range) is ignored there, as before; the API refuses it (422)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.scoping import Scope
from grassroots.orgs import selectors as org_selectors

from . import selectors
from .choices import BOARD_STAGES, Stage
from .models import Applicant

# The first year anyone can have been admitted (the Party's founding), as the ledger's year filter accepts.
FIRST_YEAR = 1921


def _org(scope: Scope, data):
    return org_selectors.org_if_named(scope=scope, code=(data or {}).get("org"))


class YearFilter(django_filters.NumberFilter):
    """A whole year (`?year=2024`), not a decimal."""

    field_class = forms.IntegerField


class _Values:
    def value(self, name: str):
        """The cleaned value of one filter (None when absent or not valid: the page ignores it)."""
        self.errors  # noqa: B018 - validates the form
        return self.form.cleaned_data.get(name)


class ApplicantFilter(_Values, django_filters.FilterSet):
    """The dossiers the caller may read (the ledger page and its exports, `GET /recruitment/applicants`),
    sorted by pinyin. `self.org` is the org of `?org=`, if any; `value(name)` a filter's cleaned value."""

    org = django_filters.CharFilter(
        label=_("组织代码"),
        method="filter_org",
        max_length=32,
        help_text="Code of an org: dossiers of its whole subtree",
    )
    q = django_filters.CharFilter(
        label=_("搜索"),
        method="filter_q",
        max_length=60,
        help_text="Name, pinyin, initials (zs → 张三), an exact ID number or its last four characters",
    )
    stage = django_filters.ChoiceFilter(label=_("阶段"), choices=Stage.choices, empty_label=_("全部"))
    year = YearFilter(
        label=_("入党年份"),
        method="filter_year",
        min_value=FIRST_YEAR,
        max_value=9999,
        help_text="Year of admission (入党): dossiers admitted that year",
    )

    class Meta:
        model = Applicant
        fields: list[str] = []

    def __init__(self, data=None, *, scope: Scope, **kwargs):
        self.scope = scope
        self.org = _org(scope, data)
        super().__init__(data, queryset=selectors.applicant_list(scope=scope, org=self.org), **kwargs)

    def filter_org(self, queryset, name, value):
        return queryset  # the queryset is already the org's subtree (applicant_list checks the roles there)

    def filter_q(self, queryset, name, value):
        return queryset.filter(selectors.search_q(value, self.scope)) if value.strip() else queryset

    def filter_year(self, queryset, name, value):
        return queryset if value is None else queryset.filter(admitted_on__year=value)


OVERDUE = [("1", _("逾期"))]


class BoardFilter(_Values, django_filters.FilterSet):
    """The board's inputs: `?org=` (its subtree), `?stage=` (one of the board's stages: every card of it, a
    page at a time, instead of each stage's most urgent), `?overdue=1` (only dossiers with an overdue step). `self.org` is the org of `?org=`, if any. `qs` is the open dossiers, most urgent first (selectors.board_queryset); the whole board reads its
    columns with `selectors.pipeline(…, overdue_only=self.overdue_only)` instead."""

    org = django_filters.CharFilter(
        label=_("组织代码"), method="filter_org", max_length=32, help_text="Code of an org: its subtree only"
    )
    stage = django_filters.ChoiceFilter(label=_("阶段"), choices=[(s, Stage(s).label) for s in BOARD_STAGES])
    overdue = django_filters.ChoiceFilter(
        label=_("逾期"),
        choices=OVERDUE,
        method="filter_overdue",
        help_text="1: dossiers with an overdue step",
    )

    class Meta:
        model = Applicant
        fields: list[str] = []

    def __init__(self, data=None, *, scope: Scope, today: dt.date | None = None, **kwargs):
        self.scope = scope
        self.today = today or timezone.localdate()
        self.org = _org(scope, data)
        queryset = selectors.board_queryset(scope=scope, org=self.org, today=self.today)
        super().__init__(data, queryset=queryset, **kwargs)

    @property
    def overdue_only(self) -> bool:
        return self.value("overdue") == "1"

    def filter_org(self, queryset, name, value):
        return queryset  # the queryset is already the org's subtree

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(next_due_on__lt=self.today) if value == "1" else queryset
