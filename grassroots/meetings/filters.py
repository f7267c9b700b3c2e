"""The filters of organizational life's lists: one filterset per list, shared by the page and the API."""

import datetime as dt

import django_filters
from django.utils.translation import gettext_lazy as _

from grassroots.core.scoping import Scope
from grassroots.orgs import selectors as org_selectors

from . import selectors
from .choices import MeetingKind, MeetingStatus
from .models import Meeting, Talk


class TalkFilter(django_filters.FilterSet):
    """The talks of `?org=CODE`'s subtree (the whole scope without it), of `?year=` when given."""

    org = django_filters.CharFilter(
        label=_("组织代码"),
        method="filter_org",
        max_length=32,
        help_text="Code of an org: its subtree's talks",
    )
    year = django_filters.NumberFilter(
        label=_("年度"), method="filter_year", min_value=1921, max_value=2200, help_text="Year of the talk"
    )

    class Meta:
        model = Talk
        fields: list[str] = []

    def __init__(self, data=None, *, scope: Scope, **kwargs):
        self.org = org_selectors.org_if_named(scope=scope, code=(data or {}).get("org"))
        super().__init__(data, queryset=selectors.talk_list(scope=scope, org=self.org), **kwargs)

    def filter_org(self, queryset, name, value):
        return queryset  # the queryset is already the org's subtree

    def filter_year(self, queryset, name, value):
        return queryset.filter(held_on__year=int(value))


class MeetingFilter(django_filters.FilterSet):
    """The meetings of `?org=CODE`'s subtree (the whole scope without it), by `?kind=`, `?status=` and `?year=`
    of the meeting date, newest first: the meeting list page and `GET /meetings`."""

    org = django_filters.CharFilter(
        label=_("组织代码"),
        method="filter_org",
        max_length=32,
        help_text="Code of an org: its subtree's meetings",
    )
    kind = django_filters.ChoiceFilter(
        label=_("会议类型"), choices=MeetingKind.choices, empty_label=_("全部类型"), help_text="Meeting kind"
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=MeetingStatus.choices, empty_label=_("全部状态"), help_text="Meeting status"
    )
    year = django_filters.NumberFilter(
        label=_("年度"),
        method="filter_year",
        min_value=1921,
        max_value=2200,
        help_text="Year of the meeting date",
    )

    class Meta:
        model = Meeting
        fields: list[str] = []

    def __init__(self, data=None, *, scope: Scope, **kwargs):
        self.org = org_selectors.org_if_named(scope=scope, code=(data or {}).get("org"))
        readers = scope.with_roles(selectors.MEETING_VIEW)
        super().__init__(data, queryset=selectors.meeting_list(scope=readers, org=self.org), **kwargs)

    def filter_org(self, queryset, name, value):
        return queryset  # the queryset is already the org's subtree

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(planned_on__gte=dt.date(year, 1, 1), planned_on__lte=dt.date(year, 12, 31))

    def filter_from(self, queryset, name, value):
        return queryset.filter(planned_on__gte=value)

    def filter_to(self, queryset, name, value):
        return queryset.filter(planned_on__lte=value)


# `?from=` and `?to=` (the API's names; `from` is a keyword, so they are added after the class): meetings on or
# after / on or before a day (the meeting's planned day).
MeetingFilter.base_filters["from"] = django_filters.DateFilter(
    label=_("起始日期"), method="filter_from", help_text="Meetings on or after this day"
)
MeetingFilter.base_filters["to"] = django_filters.DateFilter(
    label=_("截止日期"), method="filter_to", help_text="Meetings on or before this day"
)
