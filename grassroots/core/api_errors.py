"""Every error of the JSON API is JSON, whoever raises it.

Most API errors are answered by the API's own exception handlers (grassroots/api.py). Some happen before the
API sees the request or outside it: a body too large or a malformed multipart body found while a middleware
reads `request.POST`, an unknown path under /api/ (the URL resolver's 404), a method the operation does not
take (the API's empty 405), an unexpected exception (500). For paths under /api/ these answer here, in the
shape of `core.api_schemas.DetailOut` (`{"detail": "…"}`); every other path keeps the site's error pages.

- `bad_request`, `permission_denied`, `page_not_found`, `server_error`: Django's error handlers
  (`handler400` … `handler500` in grassroots/urls.py).
- `api_error_answer(request, response)`: an error response of an /api/ path that is not JSON (the 405 of an
  operation asked with another method) becomes JSON, keeping its status and `Allow` header
  (`core.middleware.DomainErrorMiddleware` calls it).
- `client_error_answer(exception)`: the JSON answer to a request Django could not read, for the API's own
  exception handler too: malformed → 400 `{"detail"}`; a body over DATA_UPLOAD_MAX_MEMORY_SIZE → 413 with the
  refusal of rule INPUT-SIZE (`RuleErrorOut`, as core.middleware.InputHygieneMiddleware answers a body
  declared over REQUEST_MAX_BYTES).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from .errors import RuleViolation
from .hygiene import INPUT_SIZE

API_PREFIX = "/api/"
JSON = "application/json"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status: int, detail: str) -> JsonResponse:
    """`{"detail": …}` with `status`, never cached (an error says nothing lasting)."""
    response = JsonResponse({"detail": str(detail)}, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def detail_for(status: int) -> str:
    """The message of an error answered without a more precise one."""
    messages = {
        400: _("请求无法解析"),
        401: _("需要登录"),
        403: _("没有权限"),
        404: _("未找到"),
        405: _("不支持该请求方法"),
        413: _("请求内容过大"),
    }
    if status in messages:
        return messages[status]
    return _("服务器内部错误") if status >= 500 else _("请求无法处理")


def too_large(limit: int) -> RuleViolation:
    """The refusal of a body over `limit` bytes (rule INPUT-SIZE)."""
    return RuleViolation(
        INPUT_SIZE, _("请求内容过大：不能超过 %(limit)s MB") % {"limit": f"{limit / (1024 * 1024):g}"}
    )


def client_error_answer(exception: Exception) -> JsonResponse:
    """A request Django could not read: its body over DATA_UPLOAD_MAX_MEMORY_SIZE (413 INPUT-SIZE), or
    malformed (400)."""
    if isinstance(exception, RequestDataTooBig):
        refusal = too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
        response = JsonResponse(refusal.as_dict(), status=413, json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "no-store"
        return response
    return json_error(400, detail_for(400))


def api_error_answer(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """An /api/ error response that is not JSON, made JSON with the same status (and `Allow` header)."""
    if not is_api(request) or response.status_code < 400:
        return response
    if response.get("Content-Type", "").startswith(JSON):
        return response
    answer = json_error(response.status_code, detail_for(response.status_code))
    for header in ("Allow", "WWW-Authenticate", "Retry-After"):
        if header in response:
            answer[header] = response[header]
    return answer


def bad_request(request: HttpRequest, exception: Exception, template_name: str = "400.html") -> HttpResponse:
    if is_api(request):
        return client_error_answer(exception)
    return defaults.bad_request(request, exception, template_name)


def permission_denied(
    request: HttpRequest, exception: Exception, template_name: str = "403.html"
) -> HttpResponse:
    if is_api(request):
        return json_error(403, detail_for(403))
    return defaults.permission_denied(request, exception, template_name)


def page_not_found(
    request: HttpRequest, exception: Exception, template_name: str = "404.html"
) -> HttpResponse:
    if is_api(request):
        return json_error(404, detail_for(404))
    return defaults.page_not_found(request, exception, template_name)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    if is_api(request):
        return json_error(500, detail_for(500))
    return defaults.server_error(request, template_name)
