"""The shared fixtures, loaded for every test by tests/conftest.py (`pytest_plugins`).

The test clock: the code reads today through `django.utils.timezone.localdate()` and refuses steps dated
after it (REC-NOT-FUTURE). A test that records steps on fixed dates later than the real today (the API road
of tests/support/road.py runs into April 2027) sets today with `today_is(date)`, or takes `road_clock`
(today = ROAD_TODAY, after the whole road). Only `localdate()` called without a value is fixed;
`localdate(value)` converts `value` as before, and `timezone.now()` is left alone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.accounts.selectors import scope_for_user
from grassroots.core.scoping import Scope
from tests.factories import SYSTEM
from tests.support.api import ApiClient, api_client_for
from tests.support.personas import build_personas, build_tree

ROAD_TODAY = dt.date(2027, 12, 31)  # after every step of tests/support/road.py


@pytest.fixture
def today_is(monkeypatch):
    """`today_is(date)`: from now on in this test, `timezone.localdate()` (no value) answers `date`."""
    from django.utils import timezone

    real = timezone.localdate

    def set_today(today: dt.date) -> dt.date:
        def localdate(value=None, timezone=None):
            if value is None:
                return today
            return real(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)
        return today

    return set_today


@pytest.fixture
def road_clock(today_is) -> dt.date:
    """Today is ROAD_TODAY (31 December 2027): every step of the API road lies in the past."""
    return today_is(ROAD_TODAY)


@pytest.fixture
def system_scope() -> Scope:
    return SYSTEM


@pytest.fixture
def tree(db):
    """The persona tree (tests.support.personas)."""
    return build_tree()


@pytest.fixture
def personas(tree):
    """The users of the persona tree, by name."""
    return build_personas(tree)


@pytest.fixture
def scope_of():
    return scope_for_user


@pytest.fixture
def api_as(personas):
    """`api_as("secretary_a")` → an ApiClient signed in as that persona."""
    return api_client_for


@pytest.fixture
def anonymous_api() -> ApiClient:
    return ApiClient()


@pytest.fixture
def secretary(personas) -> ApiClient:
    """The API as branch A's secretary."""
    return api_client_for("secretary_a")


@pytest.fixture(autouse=True)
def _chinese_first():
    """Every test starts in zh-Hans, the default UI language, whatever an earlier test switched to."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()
