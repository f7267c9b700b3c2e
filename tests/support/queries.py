"""Query counts: how many queries a call makes, and the few-vs-many comparison that proves a page or an
operation does not issue a query per row (its count with a few rows equals its count with many)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(call: Callable[[], Any]) -> tuple[int, Any]:
    """(number of queries, result) of `call()` on the default database."""
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured), result


@dataclass(frozen=True)
class Growth:
    few: int  # queries of the call before `grow`
    many: int  # queries of the same call after it
    result: Any  # what the call returned after `grow` (a response, say)


def few_vs_many(call: Callable[[], Any], grow: Callable[[], Any], *, warm: bool = True) -> Growth:
    """Count `call()` (after one warming call: session, content types), run `grow()` (more rows), count
    `call()` again, and assert both counts are equal."""
    if warm:
        call()
    few, _ = count_queries(call)
    grow()
    many, result = count_queries(call)
    assert many == few, f"{many} queries with many rows, {few} with a few: a query per row?"
    return Growth(few=few, many=many, result=result)
