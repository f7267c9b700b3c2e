"""A list whose length is known without counting it: for the page's `Paginator` and the API's `@paginated`.

A paginator counts its list (`SELECT COUNT(*)`) to number the pages; over a large subtree that count costs
more than the page itself (2M members: about a second on SQLite). Where the number is already known — from
maintained figures, or from counts the page has read anyway — wrap the lazy queryset:

    page = Paginator(Counted(qs, known_total), PAGE_SIZE).get_page(number)

Both paginators then take the count from it and only slice the queryset (one query for the page's rows).
The caller answers for the number being exactly the queryset's length; the tests of each use compare it
with `COUNT(*)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet


class Counted:
    """A lazy queryset with its length known from elsewhere; `count` is a number or a function giving it
    (called at most once, when a paginator asks)."""

    def __init__(self, queryset: QuerySet, count: int | Callable[[], int]):
        self.queryset = queryset
        self._count = count

    def count(self) -> int:
        if callable(self._count):
            self._count = int(self._count())
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: Any):
        return self.queryset[key]

    def __iter__(self):
        return iter(self.queryset)

    def all(self) -> Counted:
        """Itself: django-ninja's paginator counts `queryset.all().count()`."""
        return self

    @property
    def ordered(self) -> bool:
        """Whether the queryset is ordered (Django's Paginator warns about an unordered list)."""
        return self.queryset.ordered
