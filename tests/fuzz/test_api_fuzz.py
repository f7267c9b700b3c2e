"""Schemathesis over the OpenAPI document, in process (WSGI) against the test database.

Each operation is called with data generated from its schema — valid (positive) and invalid (negative) — as
the county's org admin and as a member, with the operation's path parameters set to branch B's objects of the
sweep's world. Every answer must be documented: no server error, a documented status code and content type,
and a body that conforms to the documented schema for that status. Bounded for CI: FUZZ_EXAMPLES generated
examples per operation in the fuzzing phase (default 10; the coverage phase adds each schema's boundary
cases), derandomized, so a run is reproducible; `FUZZ_EXAMPLES=200 make fuzz` for a longer run
(docs/operations.md).
"""

from __future__ import annotations

import copy
import os
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from grassroots.api import api
from tests.support.api import token_for
from tests.support.world import b_values

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The personas the API is fuzzed as: the county's org admin (every write of the tree) and a member of B.
FUZZ_USERS = ("county_admin", "member_b")

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
SCHEMA.config.generation.update(max_examples=EXAMPLES, deterministic=True)


@contextmanager
def _connection_kept():
    """Django's WSGI handler closes the connection at the end of each request (close_old_connections), which
    would end the test's transaction; the test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def fuzz_world(sweep_world, django_db_blocker):
    with django_db_blocker.unblock():
        sweep_world.fuzz_tokens = {name: token_for(name) for name in FUZZ_USERS}
    return sweep_world


@pytest.fixture(scope="module")
def wsgi_handler():
    return WSGIHandler()


@pytest.fixture
def wsgi_app(wsgi_handler):
    """The project's WSGI application, for one test (the connection kept open while it runs)."""
    with _connection_kept():
        yield wsgi_handler


@pytest.mark.parametrize("username", FUZZ_USERS)
@SCHEMA.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented_when_fuzzed(case, username, fuzz_world, wsgi_app, db):
    # Valid path parameters name branch B's objects, so generated bodies reach the services (the 404 of an
    # unknown id is fuzzed by the negative cases, which keep their invalid path parameters).
    negative_path = case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH)
    if case.path_parameters and not negative_path:
        objects = b_values(fuzz_world)
        for name in case.path_parameters:
            if name in objects:
                case.path_parameters[name] = objects[name]
    headers = {"Authorization": f"Bearer {fuzz_world.fuzz_tokens[username]}"}
    case.call_and_validate(headers=headers, checks=CHECKS, app=wsgi_app)


# The fuzz can fail: its checks catch a server error and an answer the document does not list.


def _bearer(world) -> dict:
    return {"Authorization": f"Bearer {world.fuzz_tokens['county_admin']}"}


def test_fuzz_checks_fail_when_an_operation_answers_with_a_server_error(
    fuzz_world, wsgi_app, db, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr("grassroots.orgs.api.selectors.org_get", broken)
    case = SCHEMA["/api/v1/orgs/{code}"]["GET"].Case(path_parameters={"code": fuzz_world.tree.b.code})
    with pytest.raises(FailureGroup) as failed:
        case.call_and_validate(headers=_bearer(fuzz_world), checks=CHECKS, app=wsgi_app)
    assert "Server error" in str(failed.value)


def test_fuzz_checks_fail_when_an_answer_is_not_in_the_document(fuzz_world, wsgi_app, db):
    document = copy.deepcopy(api.get_openapi_schema(path_prefix="/api/v1/"))
    del document["paths"]["/api/v1/orgs/{code}"]["get"]["responses"][404]
    schema = schemathesis.openapi.from_dict(document)
    case = schema["/api/v1/orgs/{code}"]["GET"].Case(path_parameters={"code": "NO-SUCH-ORG"})
    with pytest.raises(FailureGroup) as failed:
        case.call_and_validate(headers=_bearer(fuzz_world), checks=CHECKS, app=wsgi_app)
    assert "Undocumented" in str(failed.value)
