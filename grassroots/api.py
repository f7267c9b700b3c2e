"""The JSON API: one NinjaAPI at /api/v1/, one router per app, and the one mapping from domain errors to HTTP.

Every operation except POST /auth/token needs `Authorization: Bearer <token>`; the caller's scope travels in
`request.auth` (set by grassroots.accounts.api_auth, read with grassroots.core.api_auth.caller). Errors:
  RuleViolation → 422 {rule_id, message, source, field} (core.citations); input that does not parse → 422 with rule_id "API-VALIDATION";
  NotFound / Http404 → 404 {detail} (missing and out of scope answer the same); PermissionDenied → 403 {detail};
  no or bad token → 401 {detail}; a body Django cannot read → 400 {detail} (malformed multipart or JSON,
  wrong content type) or 413 {detail} (over DATA_UPLOAD_MAX_MEMORY_SIZE); an unexpected error → 500 {detail}.
Errors raised before or outside the API (unknown path, wrong method, a middleware reading the body) answer
the same JSON (grassroots.core.api_errors). `GrassrootsAPI.get_openapi_schema` documents the common error
answers on every operation, so no operation lists them by hand.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from grassroots.accounts.api import router as accounts_router
from grassroots.accounts.api_auth import BearerToken
from grassroots.core.api_errors import client_error_answer, detail_for, json_error
from grassroots.core.api_schemas import DetailOut, RuleErrorOut
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.hygiene import HygieneParser
from grassroots.documents.api import router as documents_router
from grassroots.meetings.api import router as meetings_router
from grassroots.meetings.api.cadence import orgs_router as meetings_orgs_router
from grassroots.members.api import router as members_router
from grassroots.orgs.api import router as orgs_router
from grassroots.recruitment.api import router as recruitment_router
from grassroots.workcalendar.api import router as calendar_router

API_VALIDATION = "API-VALIDATION"


# The error answers every operation may give, documented centrally: status → (schema, description, when).
# "auth": only operations that need a bearer token; "body": only operations that read a request body.
COMMON_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: (
        "DetailOut",
        "The body could not be read (malformed JSON or multipart, wrong content type).",
        "body",
    ),
    401: ("DetailOut", "No bearer token, or an unknown, expired or revoked one.", "auth"),
    403: ("DetailOut", "The caller's role may not do this.", "auth"),
    404: ("DetailOut", "Not found, or outside the caller's scope (the two answer the same).", None),
    405: ("DetailOut", "The operation does not take this method.", None),
    413: ("RuleErrorOut", "The body is over the size limit (rule INPUT-SIZE).", "body"),
    422: ("RuleErrorOut", "A rule refused the request, or its input did not parse.", None),
}


class GrassrootsAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI document lists every error answer of every operation (COMMON_ERRORS)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema


def document_errors(schema: dict[str, Any]) -> None:
    """Add COMMON_ERRORS to each operation of `schema` (an OpenAPI document) where they apply, keeping the
    answers an operation declares itself."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, model in (("DetailOut", DetailOut), ("RuleErrorOut", RuleErrorOut)):
        if name not in components:
            components[name] = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for status, (name, description, when) in COMMON_ERRORS.items():
                if when == "auth" and not operation.get("security"):
                    continue
                if when == "body" and "requestBody" not in operation:
                    continue
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                    },
                )


# HygieneParser: every body, query and form is checked for refused characters, integers out of range and
# implausible dates (INPUT-TEXT, INPUT-INT, INPUT-DATE) before it reaches an operation (core/hygiene.py).
api = GrassrootsAPI(
    title="Grassroots API", version="1", urls_namespace="api", auth=BearerToken(), parser=HygieneParser()
)


@api.exception_handler(SuspiciousOperation)
@api.exception_handler(BadRequest)
@api.exception_handler(MultiPartParserError)
def _unreadable(request: HttpRequest, exc: Exception):
    return client_error_answer(exc)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    """The API's own HTTP errors (ninja's): a body it cannot parse answers in the site's language."""
    if exc.status_code == 400:
        return json_error(400, detail_for(400))
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(RuleViolation)
def _rule_violation(request: HttpRequest, exc: RuleViolation):
    return api.create_response(request, exc.as_dict(), status=422)


@api.exception_handler(NotFound)
@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception):
    return api.create_response(request, {"detail": _("未找到")}, status=404)


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied):
    return api.create_response(request, {"detail": _("没有权限")}, status=403)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError):
    errors = [{k: v for k, v in e.items() if k in ("type", "loc", "msg")} for e in exc.errors]
    first = errors[0] if errors else {}
    names = [str(part) for part in first.get("loc", ()) if isinstance(part, str)]
    field = names[-1] if names and names[-1] not in ("body", "query", "path", "payload") else None
    message = first.get("msg", "")
    return api.create_response(
        request,
        {
            "rule_id": API_VALIDATION,
            "message": _("输入有误：%(field)s %(msg)s") % {"field": field or "", "msg": message},
            "source": None,
            "field": field,
            "errors": errors,
        },
        status=422,
    )


api.add_router("/auth", accounts_router)
api.add_router("/orgs", orgs_router)
api.add_router("/orgs", meetings_orgs_router)
api.add_router("/", members_router)
api.add_router("/meetings", meetings_router)
api.add_router("/recruitment", recruitment_router)
api.add_router("/documents", documents_router)
api.add_router("/calendar", calendar_router)
