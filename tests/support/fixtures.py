"""The shared fixtures, loaded for every test by tests/conftest.py (`pytest_plugins`)."""

from __future__ import annotations

import pytest

from grassroots.accounts.selectors import scope_for_user
from grassroots.core.scoping import Scope
from tests.factories import SYSTEM
from tests.support.api import ApiClient, api_client_for
from tests.support.personas import build_personas, build_tree


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
