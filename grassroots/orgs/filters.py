"""The org list's filters: one filterset shared by the tree pages and `GET /orgs` (core.filters)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from grassroots.core.scoping import Scope

from . import selectors
from .models import Org


class OrgFilter(django_filters.FilterSet):
    """One level of the tree: the caller's top-level orgs, or the open children of `?parent=CODE`
    (NotFound when that org is missing or out of scope). `self.parent` is that org, if any."""

    parent = django_filters.CharFilter(
        label=_("上级组织代码"),
        method="filter_parent",
        max_length=32,
        help_text="Code of an org: list its children instead of the top level",
    )

    class Meta:
        model = Org
        fields: list[str] = []

    def __init__(self, data=None, *, scope: Scope, **kwargs):
        self.parent = selectors.org_if_named(scope=scope, code=(data or {}).get("parent"))
        super().__init__(data, queryset=selectors.org_list(scope=scope, parent=self.parent), **kwargs)

    def filter_parent(self, queryset, name, value):
        return queryset  # the queryset is already the parent's children
