"""Every UI URL and every API operation, enumerated rather than written down — API operations from the
OpenAPI schema, UI URLs from the Django URL resolver — and how to call each with branch B's objects.

The scoping sweep (tests/test_scoping_sweep.py) and the query budgets (tests/test_query_budgets.py) both walk
these lists. Path parameters are filled by their name; a new parameter name fails both until it is taught
here (`b_values` in tests.support.world, PK_BY_NAMESPACE), so no new URL escapes them.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from grassroots.api import api

API_PREFIX = "/api/v1/"
# Operations anyone may call: signing in.
PUBLIC_OPERATIONS = {("POST", "/api/v1/auth/token")}
# Operations that act on the caller's own credentials, not on org-owned data.
OWN_CREDENTIAL_OPERATIONS = {("DELETE", "/api/v1/auth/token")}
# Operations on data that belongs to no org (the working-day calendar): not branch B's, so outside the
# branch sweep; tests/workcalendar checks that only the calendar's administrators reach them.
NO_ORG_PREFIXES = ("/api/v1/calendar/",)
# Operations on the caller's own member record (found by their account, never by an id): no branch B object
# to reach; tests/members/test_self_service.py checks they touch nobody else's record.
OWN_RECORD_OPERATIONS = {("GET", "/api/v1/me"), ("PATCH", "/api/v1/me")}
# Signing in at a meeting: a member reaches a meeting by its id outside their grants (a mobile member signs in
# where they attend; the code shown at the meeting is what admits them). Accounts without a member record are
# swept as usual (404); an account with one gets the page without anything of a meeting it is neither expected
# at nor reads, and a refused sign-in — tests/test_scoping_sweep.py checks both as a member of branch A.
MEMBER_SIGN_IN_NAMES = {"meetings:sign_in"}
MEMBER_SIGN_IN_OPERATIONS = {("POST", "/api/v1/meetings/{meeting_id}/sign-in")}
# UI routes outside the sweep: the sign-in pages themselves.
UI_SKIPPED_NAMES = {"accounts:login", "accounts:logout"}
UI_SKIPPED_PREFIXES = ("api/", "i18n/", "static/", "media/", "__debug__/")
# UI routes that answer without a session because a secret in the URL is the credential (a calendar feed's
# token): no sign-in page for the anonymous, and the token opens the feed for whoever holds it, so the
# branch sweep does not apply; each has its own tests (tests/meetings/test_feeds.py: unknown and revoked
# tokens answer 404). They keep their query budget.
UI_PUBLIC_NAMES = {"meetings:ical"}

# Generic primary-key names mean different things in different apps: say which object per namespace.
PK_BY_NAMESPACE = {
    "members": "member_id",
    "transfers": "transfer_id",
    "recruitment": "applicant_id",
    "documents": "document_id",
}
# A path parameter whose name means another object in one namespace: a meeting's page names the meeting's
# own document (`document_id`), not the dossier's document the name stands for elsewhere.
PARAM_BY_NAMESPACE = {("meetings", "document_id"): "meeting_document_id"}
# Names of query and body fields that take an org: the sweep points them at branch B.
ORG_FIELDS = {"org", "parent", "to_org", "org_code", "code"}


def substitute(name: str, values: dict[str, str], where: str, namespace: str | None = None) -> str:
    if (namespace, name) in PARAM_BY_NAMESPACE:
        return values[PARAM_BY_NAMESPACE[namespace, name]]
    if name in values:
        return values[name]
    if name in ("pk", "id") and namespace in PK_BY_NAMESPACE:
        return values[PK_BY_NAMESPACE[namespace]]
    pytest.fail(
        f"{where}: the sweep does not know the path parameter {name!r}. Teach it in tests/support "
        "(world.b_values / endpoints.PK_BY_NAMESPACE) so this URL is checked for scoping."
    )


def body_of(response) -> bytes:
    """The body of a response, downloads (streamed) included."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# ---------------------------------------------------------------------------------------------------------
# API operations, from the OpenAPI schema.


@dataclass(frozen=True)
class ApiOperation:
    method: str
    path: str
    spec: dict

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def operation_id(self) -> str:
        return self.spec["operationId"]

    @property
    def path_params(self) -> list[str]:
        return [p["name"] for p in self.spec.get("parameters", []) if p["in"] == "path"]

    @property
    def query_params(self) -> list[dict]:
        return [p for p in self.spec.get("parameters", []) if p["in"] == "query"]

    @property
    def is_public(self) -> bool:
        return not self.spec.get("security")


@functools.cache
def openapi_schema() -> dict:
    return api.get_openapi_schema(path_prefix=API_PREFIX)


def api_operations() -> list[ApiOperation]:
    schema = openapi_schema()
    return [
        ApiOperation(method.upper(), path, spec)
        for path, methods in schema["paths"].items()
        for method, spec in methods.items()
    ]


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def sample_value(schema: dict, node: dict):
    """A value that passes input validation for `node`, so the call reaches the scope check."""
    node = _resolve(schema, node)
    if "enum" in node:
        return node["enum"][0]
    if "const" in node:
        return node["const"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            options = [o for o in node[key] if _resolve(schema, o).get("type") != "null"]
            return sample_value(schema, options[0])
    kind = node.get("type")
    if kind == "object":
        return {name: sample_value(schema, node["properties"][name]) for name in node.get("required", [])}
    if kind == "array":
        return []
    if kind in ("integer", "number"):
        return max(1, node.get("minimum", 1))
    if kind == "boolean":
        return False
    if node.get("format") == "date":
        return dt.date.today().isoformat()
    if node.get("format") == "date-time":
        return dt.datetime.now(dt.UTC).isoformat()
    return "SWEEP-A-" + "x" * max(0, node.get("minLength", 1) - 8)


def _file_fields(schema: dict, node: dict) -> list[str]:
    props = node.get("properties", {})
    return [name for name, p in props.items() if _resolve(schema, p).get("format") == "binary"]


def request_body(op: ApiOperation, values: dict[str, str]) -> tuple[str, dict] | None:
    """(content type, body) of a call that passes input validation: JSON, or multipart with a small valid
    PDF in every file field (so an upload reaches the scope check, and in scope succeeds)."""
    contents = op.spec.get("requestBody", {}).get("content", {})
    media = next((m for m in ("application/json", "multipart/form-data") if m in contents), None)
    if media is None:
        if contents:
            pytest.fail(f"{op}: the sweep cannot send a {sorted(contents)} body; teach it")
        return None
    schema = openapi_schema()
    node = _resolve(schema, contents[media]["schema"])
    files = _file_fields(schema, node)
    body = sample_value(schema, {**node, "required": [n for n in node.get("required", []) if n not in files]})
    for name in node.get("properties", {}):
        if name in ORG_FIELDS:
            body[name] = values["code"]
    for name in files:
        body[name] = SimpleUploadedFile("sweep.pdf", b"%PDF-1.4 sweep", "application/pdf")
    return media, body


def query_variants(op: ApiOperation, values: dict[str, str]) -> list[dict[str, str]]:
    """Query strings pointing every org filter at branch B; one variant per value of a required choice."""
    variants: list[dict[str, str]] = [{}]
    for param in op.query_params:
        name, schema = param["name"], _resolve(openapi_schema(), param.get("schema", {}))
        if name in ORG_FIELDS:
            variants = [v | {name: values["code"]} for v in variants]
        elif param.get("required"):
            if "enum" not in schema:
                pytest.fail(f"{op}: the sweep cannot fill the required query parameter {name!r}; teach it")
            variants = [v | {name: choice} for v in variants for choice in schema["enum"]]
    return variants


def api_urls(op: ApiOperation, values: dict[str, str]) -> list[str]:
    """The URLs `call_api` calls for `op`: its path filled in, once per query variant."""
    path = op.path
    for name in op.path_params:
        path = path.replace("{" + name + "}", substitute(name, values, str(op)))
    return [path + ("?" + urlencode(query) if query else "") for query in query_variants(op, values)]


def call_api_url(op: ApiOperation, url: str, values: dict[str, str], token: str | None, client=None):
    """One call of `op` at `url` (from `api_urls`), with a body that passes input validation."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    client = client or Client()
    sent = request_body(op, values)
    if sent is None:
        return client.generic(op.method, url, headers=headers)
    if sent[0] == "multipart/form-data":
        assert op.method == "POST", f"{op}: multipart only on POST"
        return client.post(url, sent[1], headers=headers)
    return client.generic(
        op.method, url, json.dumps(sent[1]), content_type="application/json", headers=headers
    )


def call_api(op: ApiOperation, values: dict[str, str], token: str | None) -> list:
    """[(url, response)] of `op` called once per query variant."""
    client = Client()
    return [(url, call_api_url(op, url, values, token, client)) for url in api_urls(op, values)]


API_OPERATIONS = api_operations()
SCOPED_API_OPERATIONS = [
    op
    for op in API_OPERATIONS
    if (op.method, op.path) not in PUBLIC_OPERATIONS | OWN_CREDENTIAL_OPERATIONS | OWN_RECORD_OPERATIONS
    and not op.path.startswith(NO_ORG_PREFIXES)
]


# ---------------------------------------------------------------------------------------------------------
# UI URLs, from the Django URL resolver.


@dataclass(frozen=True)
class UiUrl:
    name: str
    namespace: str | None
    route: str
    params: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.name} ({self.route})"


def _walk(patterns, prefix: str = "", namespaces: tuple[str, ...] = (), params: tuple[str, ...] = ()):
    """Every leaf route under `patterns`, with the path parameters of the route and its includes."""
    out: list[UiUrl] = []
    for p in patterns:
        route = prefix + str(p.pattern)
        if route.startswith(UI_SKIPPED_PREFIXES):
            continue
        here = (*params, *p.pattern.regex.groupindex)
        if isinstance(p, URLResolver):
            ns = (*namespaces, p.namespace) if p.namespace else namespaces
            out.extend(_walk(p.url_patterns, route, ns, here))
        elif isinstance(p, URLPattern):
            if not p.name:
                pytest.fail(f"UI route {route!r} has no name: name it so the scoping sweep can reverse it")
            name = ":".join((*namespaces, p.name))
            out.append(UiUrl(name, namespaces[-1] if namespaces else None, route, here))
    return out


def ui_urls() -> list[UiUrl]:
    seen: dict[str, UiUrl] = {}
    for url in _walk(get_resolver().url_patterns):
        if url.name not in UI_SKIPPED_NAMES:
            seen.setdefault(url.name, url)
    return list(seen.values())


def build_ui_url(url: UiUrl, values: dict[str, str]) -> str:
    kwargs = {name: substitute(name, values, str(url), url.namespace) for name in url.params}
    return reverse(url.name, kwargs=kwargs)


def ui_path(url: UiUrl, values: dict[str, str]) -> str:
    """The URL with branch B's objects in its path; a URL without parameters gets branch B's code in the
    org filters of its query string instead."""
    path = build_ui_url(url, values)
    if url.params:
        return path
    org = values["code"]
    return path + "?" + urlencode({"org": org, "parent": org, "code": org})


def fetch(client: Client, path: str):
    """GET the page; a POST-only view (405) is tried with an empty POST instead."""
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path, {})
    return response


UI_URLS = ui_urls()
UI_OBJECT_URLS = [u for u in UI_URLS if u.params]
# The URLs the branch sweep walks: all but the public ones.
UI_SWEPT_URLS = [u for u in UI_URLS if u.name not in UI_PUBLIC_NAMES]
UI_SWEPT_OBJECT_URLS = [u for u in UI_OBJECT_URLS if u.name not in UI_PUBLIC_NAMES]
