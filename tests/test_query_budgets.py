"""Query budgets (tests/support/budgets.py): every page and every API operation the scoping sweep enumerates
makes at most its budgeted number of queries, as an in-scope user (the county's org admin) on branch B's
objects in the sweep's world. A page or operation without a budget fails, so a new one must declare it; an
entry for a page or operation that no longer exists fails too."""

from __future__ import annotations

import json
import os

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client

from grassroots.accounts.models import User
from tests.support.budgets import OPERATIONS, PAGES, Budget
from tests.support.endpoints import API_OPERATIONS, UI_URLS, api_urls, call_api_url, fetch, ui_path
from tests.support.queries import count_queries
from tests.support.world import api_token, b_values

USER = "county_admin"
# Set to a file name to append the measured counts (JSON lines) when setting budgets.
MEASURED = os.environ.get("GRASSROOTS_QUERY_COUNTS")


def measured(key: str, count: int) -> None:
    if MEASURED:
        with open(MEASURED, "a", encoding="utf-8") as out:
            out.write(json.dumps({"key": key, "count": count}) + "\n")


def within_budget(key: str, budget: Budget | None, call) -> None:
    """Count `call()` in a transaction rolled back afterwards, from cold caches, against `budget`."""
    if isinstance(budget, dict):
        budget = budget[connection.vendor]
    with transaction.atomic():
        ContentType.objects.clear_cache()
        count, response = count_queries(call)
        transaction.set_rollback(True)
    measured(key, count)
    if budget is None:
        pytest.fail(f"{key} has no query budget ({count} measured): add it to tests/support/budgets.py")
    assert response.status_code < 500, f"{key}: {response.status_code}"
    assert count <= budget, f"{key}: {count} queries, budget {budget}"


CASES = [pytest.param("page", url, id=f"page {url.name}") for url in UI_URLS] + [
    pytest.param("operation", op, id=f"operation {op.operation_id}") for op in API_OPERATIONS
]


@pytest.mark.parametrize(("kind", "target"), CASES)
def test_queries_within_budget_when_in_scope_user_opens_page_or_calls_operation(world, kind, target):
    values = b_values(world)
    if kind == "page":
        client = Client()
        client.force_login(User.objects.get(username=USER))
        path = ui_path(target, values)
        within_budget(target.name, PAGES.get(target.name), lambda: fetch(client, path))
    else:
        token = api_token(world, USER)
        for url in api_urls(target, values):
            within_budget(
                f"{target.operation_id} {url}",
                OPERATIONS.get(target.operation_id),
                lambda url=url: call_api_url(target, url, values, token),
            )


def test_every_budget_names_a_page_or_operation_that_exists():
    assert set(PAGES) - {u.name for u in UI_URLS} == set()
    assert set(OPERATIONS) - {op.operation_id for op in API_OPERATIONS} == set()
