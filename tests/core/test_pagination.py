"""`core.pagination.Counted`: a paginator takes the known count from it and only slices the queryset."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.core.pagination import Counted
from grassroots.orgs.models import Org
from tests.factories import SYSTEM


def test_paginator_takes_the_known_count_and_reads_one_sliced_page(tree):
    calls = []

    def known() -> int:
        calls.append(1)
        return 5

    rows = Org.objects.within(SYSTEM).order_by("path")
    with CaptureQueriesContext(connection) as ctx:
        page = Paginator(Counted(rows, known), 2).get_page(3)
        listed = [o.code for o in page.object_list]
    assert (page.paginator.count, page.paginator.num_pages, page.has_next()) == (5, 3, False)
    assert listed == [o.code for o in rows[4:6]]
    assert len(ctx.captured_queries) == 1 and "COUNT" not in ctx.captured_queries[0]["sql"].upper()
    assert calls == [1]


def test_api_paginator_counts_through_all(tree):
    rows = Org.objects.within(SYSTEM).order_by("path")
    counted = Counted(rows, 7)
    assert counted.all().count() == 7 and len(counted) == 7 and counted.ordered
    assert [o.pk for o in counted] == [o.pk for o in rows]
