"""The JSON API: one NinjaAPI at /api/v1/, one router per app, and the one mapping from domain errors to HTTP.

Every operation except POST /auth/token needs `Authorization: Bearer <token>`; the caller's scope travels in
`request.auth` (set by grassroots.accounts.api_auth, read with grassroots.core.api_auth.caller). Errors:
  RuleViolation → 422 {rule_id, message, source, field} (core.citations); input that does not parse → 422 with rule_id "API-VALIDATION";
  NotFound / Http404 → 404 {detail} (missing and out of scope answer the same); PermissionDenied → 403 {detail};
  no or bad token → 401 {detail}.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from grassroots.accounts.api import router as accounts_router
from grassroots.accounts.api_auth import BearerToken
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.hygiene import HygieneParser
from grassroots.documents.api import router as documents_router
from grassroots.members.api import router as members_router
from grassroots.orgs.api import router as orgs_router
from grassroots.recruitment.api import router as recruitment_router
from grassroots.workcalendar.api import router as calendar_router

API_VALIDATION = "API-VALIDATION"

# HygieneParser: every body, query and form is checked for refused characters, integers out of range and
# implausible dates (INPUT-TEXT, INPUT-INT, INPUT-DATE) before it reaches an operation (core/hygiene.py).
api = NinjaAPI(
    title="Grassroots API", version="1", urls_namespace="api", auth=BearerToken(), parser=HygieneParser()
)


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
api.add_router("/", members_router)
api.add_router("/recruitment", recruitment_router)
api.add_router("/documents", documents_router)
api.add_router("/calendar", calendar_router)
