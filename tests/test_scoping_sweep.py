"""The scoping sweep (acceptance point): for every URL and API operation, a user of branch A gets 404 for
branch B's orgs, members, transfers, recruitment dossiers and documents, a user without any grant gets 404, and an anonymous user gets the
login page (UI) or 401 (API). The in-scope check the other way keeps the sweep from passing vacuously.

Both lists are enumerated, not written down: API operations come from the OpenAPI schema, UI URLs from the
Django URL resolver. Path parameters are filled by their name; a new parameter name fails the sweep until it
is taught here (PATH_VALUES / PK_BY_NAMESPACE), so no new URL escapes it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from grassroots.accounts.models import User
from grassroots.api import api
from grassroots.audit.models import AuditEvent
from grassroots.core.scoping import unscoped
from grassroots.documents.models import Document
from grassroots.members import services as member_services
from grassroots.members.models import Member, Transfer
from grassroots.orgs.models import Org
from grassroots.recruitment import services as recruitment_services
from grassroots.recruitment.models import Applicant, RecruitmentEvent
from tests.factories import SYSTEM, make_id_number, make_member, make_org
from tests.support.personas import PASSWORD

API_PREFIX = "/api/v1/"
# Operations anyone may call: signing in.
PUBLIC_OPERATIONS = {("POST", "/api/v1/auth/token")}
# Operations that act on the caller's own credentials, not on org-owned data.
OWN_CREDENTIAL_OPERATIONS = {("DELETE", "/api/v1/auth/token")}
# UI routes outside the sweep: the sign-in pages themselves.
UI_SKIPPED_NAMES = {"accounts:login", "accounts:logout"}
UI_SKIPPED_PREFIXES = ("api/", "i18n/", "static/", "media/", "__debug__/")

# Branch B's data carries these strings; a response for branch A must contain none of them.
MARK = "SWEEP-B"


# ---------------------------------------------------------------------------------------------------------
# The world: the conftest tree plus branch B data that is easy to recognise in a response.


@pytest.fixture
def world(tree, personas):
    """Branch B with a party group, 王五's letter out of B, and a letter addressed to B from G1."""
    b_group = make_org(tree.b, "B1", f"{MARK} 第一党小组", kind="group")
    today = dt.date.today()
    out_of_b = member_services.transfer_issue(
        scope=SYSTEM,
        actor=None,
        member=tree.wang,
        letter_serial=f"{MARK}-OUT",
        dues_paid_to=today,
        issued_on=today,
        external_org_name=f"{MARK} 外省支部",
    )
    sun = make_member(tree.g1, "孙九")
    into_b = member_services.transfer_issue(
        scope=SYSTEM,
        actor=None,
        member=sun,
        letter_serial=f"{MARK}-IN",
        dues_paid_to=today,
        issued_on=today,
        to_org=tree.b,
    )
    applicant_birth = dt.date(2000, 3, 8)
    applicant = recruitment_services.applicant_create(
        scope=SYSTEM,
        actor=None,
        org=tree.b,
        name="赵申请",
        sex="female",
        birth_date=applicant_birth,
        id_number=make_id_number(applicant_birth, "female"),
        applied_on=dt.date(2025, 3, 3),
    )
    document = recruitment_services.dossier_document_attach(
        scope=SYSTEM,
        actor=None,
        applicant=applicant,
        kind="application_letter",
        title=f"{MARK} 入党申请书",
        file=SimpleUploadedFile("申请书.pdf", f"%PDF-1.4 {MARK}".encode(), "application/pdf"),
    )
    no_grant = User.objects.create_user(username="no_grant", password=PASSWORD)
    return SimpleNamespace(
        tree=tree,
        personas=personas,
        b_group=b_group,
        transfer=out_of_b,
        transfer_in=into_b,
        applicant=applicant,
        document=document,
        no_grant=no_grant,
        markers=(tree.b.name, b_group.name, tree.wang.name, sun.name, applicant.name, MARK),
    )


def b_values(world) -> dict[str, str]:
    """Branch B's objects by path parameter name."""
    return {
        "code": world.tree.b.code,
        "org_code": world.tree.b.code,
        "parent_code": world.tree.b.code,
        "member_id": str(world.tree.wang.pk),
        "transfer_id": str(world.transfer.pk),
        "applicant_id": str(world.applicant.pk),
        "document_id": str(world.document.pk),
    }


# Generic primary-key names mean different things in different apps: say which object per namespace.
PK_BY_NAMESPACE = {
    "members": "member_id",
    "transfers": "transfer_id",
    "recruitment": "applicant_id",
    "documents": "document_id",
}
# Names of query and body fields that take an org: the sweep points them at branch B.
ORG_FIELDS = {"org", "parent", "to_org", "org_code", "code"}


def substitute(name: str, values: dict[str, str], where: str, namespace: str | None = None) -> str:
    if name in values:
        return values[name]
    if name in ("pk", "id") and namespace in PK_BY_NAMESPACE:
        return values[PK_BY_NAMESPACE[namespace]]
    pytest.fail(
        f"{where}: the sweep does not know the path parameter {name!r}. Teach it in tests/test_scoping_sweep.py "
        "(b_values / PK_BY_NAMESPACE) so this URL is checked for scoping."
    )


def db_state() -> dict:
    """Everything a refused call must leave untouched."""
    with unscoped():
        return {
            "orgs": list(Org.objects.unscoped_all().order_by("pk").values()),
            "members": list(Member.objects.unscoped_all().order_by("pk").values()),
            "transfers": list(Transfer.objects.unscoped_all().order_by("pk").values()),
            "applicants": list(Applicant.objects.unscoped_all().order_by("pk").values()),
            "recruitment_events": RecruitmentEvent.objects.unscoped_all().count(),
            "documents": list(Document.objects.unscoped_all().order_by("pk").values()),
            "audit": AuditEvent.objects.unscoped_all().count(),
        }


def api_token(username: str) -> str:
    response = Client().post(
        f"{API_PREFIX}auth/token",
        json.dumps({"username": username, "password": PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def body_of(response) -> bytes:
    """The body of a response, downloads (streamed) included."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def leaks(world, content: bytes) -> list[str]:
    text = content.decode("utf-8", errors="replace")
    with contextlib.suppress(ValueError):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return [m for m in world.markers if m in text]


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
    def path_params(self) -> list[str]:
        return [p["name"] for p in self.spec.get("parameters", []) if p["in"] == "path"]

    @property
    def query_params(self) -> list[dict]:
        return [p for p in self.spec.get("parameters", []) if p["in"] == "query"]

    @property
    def is_public(self) -> bool:
        return not self.spec.get("security")


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


def call_api(op: ApiOperation, values: dict[str, str], token: str | None) -> list:
    path = op.path
    for name in op.path_params:
        path = path.replace("{" + name + "}", substitute(name, values, str(op)))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    client = Client()
    sent = request_body(op, values)
    responses = []
    for query in query_variants(op, values):
        url = path + ("?" + urlencode(query) if query else "")
        if sent is None:
            response = client.generic(op.method, url, headers=headers)
        elif sent[0] == "multipart/form-data":
            assert op.method == "POST", f"{op}: multipart only on POST"
            for f in sent[1].values():
                if hasattr(f, "seek"):
                    f.seek(0)
            response = client.post(url, sent[1], headers=headers)
        else:
            response = client.generic(
                op.method, url, json.dumps(sent[1]), content_type="application/json", headers=headers
            )
        responses.append((url, response))
    return responses


API_OPERATIONS = api_operations()
SCOPED_API_OPERATIONS = [
    op for op in API_OPERATIONS if (op.method, op.path) not in PUBLIC_OPERATIONS | OWN_CREDENTIAL_OPERATIONS
]


def test_every_api_operation_needs_a_token_when_not_listed_as_public():
    public = {(op.method, op.path) for op in API_OPERATIONS if op.is_public}
    assert public == PUBLIC_OPERATIONS


def test_sweep_sees_the_api_when_schema_is_enumerated():
    seen = {str(op) for op in API_OPERATIONS}
    assert {"GET /api/v1/orgs/{code}", "GET /api/v1/members/{member_id}", "GET /api/v1/members"} <= seen
    assert {
        "GET /api/v1/documents/{document_id}/content",
        "POST /api/v1/recruitment/applicants/{applicant_id}/documents",
    } <= seen
    assert len(SCOPED_API_OPERATIONS) >= 14


@pytest.mark.parametrize("op", [op for op in API_OPERATIONS if not op.is_public], ids=str)
def test_401_when_anonymous_calls_api_operation(world, op):
    before = db_state()
    for url, response in call_api(op, b_values(world), token=None):
        assert response.status_code == 401, f"{op} → {url}: {response.status_code}"
    assert db_state() == before


@pytest.mark.parametrize("op", SCOPED_API_OPERATIONS, ids=str)
@pytest.mark.parametrize("username", ["secretary_a", "no_grant"])
def test_404_or_nothing_of_branch_b_when_outsider_calls_api_operation(world, op, username):
    token = api_token(username)
    before = db_state()
    for url, response in call_api(op, b_values(world), token):
        if op.path_params or op.method != "GET":
            # The object (in the path or the body) is branch B's: it must look missing.
            assert response.status_code == 404, f"{op} → {url} as {username}: {response.status_code}"
            assert response.json() == {"detail": "未找到"}
        else:
            assert response.status_code in (200, 404), f"{op} → {url} as {username}: {response.status_code}"
        assert not leaks(world, body_of(response)), f"{op} → {url} as {username} shows branch B"
    assert db_state() == before


@pytest.mark.parametrize("op", SCOPED_API_OPERATIONS, ids=str)
def test_in_scope_user_reaches_branch_b_when_calling_api_operation(world, op):
    """The sweep above must not pass because an operation answers 404 to everyone."""
    for username in ("secretary_b", "county_admin"):
        token = api_token(username)
        with transaction.atomic():
            for url, response in call_api(op, b_values(world), token):
                assert response.status_code not in (401, 404), f"{op} → {url} as {username}"
                assert response.status_code < 500
                if op.method == "GET":
                    assert response.status_code == 200, f"{op} → {url} as {username}: {response.content}"
                    assert leaks(world, body_of(response)), f"{op} → {url} as {username} shows none of B"
            transaction.set_rollback(True)


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


def fetch(client: Client, path: str):
    """GET the page; a POST-only view (405) is tried with an empty POST instead."""
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path, {})
    return response


UI_URLS = ui_urls()
UI_OBJECT_URLS = [u for u in UI_URLS if u.params]


def login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


def test_sweep_sees_the_ui_when_resolver_is_walked():
    names = {u.name for u in UI_URLS}
    assert "home" in names
    assert all(not n.startswith("accounts:log") for n in names)


@pytest.mark.parametrize("url", UI_URLS, ids=str)
def test_login_page_when_anonymous_opens_ui_url(world, url):
    path = build_ui_url(url, b_values(world))
    response = fetch(Client(), path)
    assert response.status_code == 302, f"{path}: {response.status_code}"
    assert response["Location"].startswith(login_url()), f"{path} → {response['Location']}"


@pytest.mark.parametrize("url", UI_URLS, ids=str)
@pytest.mark.parametrize("username", ["secretary_a", "no_grant"])
def test_404_or_nothing_of_branch_b_when_outsider_opens_ui_url(world, url, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    before = db_state()
    if url.params:
        path = build_ui_url(url, b_values(world))
        response = fetch(client, path)
        assert response.status_code == 404, f"{path} as {username}: {response.status_code}"
    else:
        org = world.tree.b.code
        path = build_ui_url(url, b_values(world)) + "?" + urlencode({"org": org, "parent": org, "code": org})
        response = fetch(client, path)
        assert response.status_code in (200, 302, 404), f"{path} as {username}: {response.status_code}"
    assert not leaks(world, body_of(response)), f"{path} as {username} shows branch B"
    assert db_state() == before


@pytest.mark.parametrize("url", UI_OBJECT_URLS, ids=str)
def test_in_scope_user_reaches_branch_b_when_opening_ui_url(world, url):
    """The sweep above must not pass because a page answers 404 to everyone."""
    for username in ("secretary_b", "county_admin"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        path = build_ui_url(url, b_values(world))
        with transaction.atomic():
            response = fetch(client, path)
            transaction.set_rollback(True)
        assert response.status_code not in (302, 404), f"{path} as {username}: {response.status_code}"
        assert response.status_code < 500
        if url.name.endswith(":detail"):
            assert response.status_code == 200, f"{path} as {username}: {response.status_code}"


def test_sweep_fails_loudly_when_a_path_parameter_is_unknown():
    with pytest.raises(pytest.fail.Exception, match="meeting_id"):
        substitute("meeting_id", {"code": "B"}, "meetings:detail")
    with pytest.raises(pytest.fail.Exception, match="'pk'"):
        substitute("pk", {"member_id": "1"}, "meetings:detail", namespace="meetings")
