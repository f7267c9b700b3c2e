"""API tokens: sign in with a password (and a two-factor code) for a bearer token, and revoke it; an
administrator forces a user to change their password."""

from __future__ import annotations

import json

import pydantic
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import ValidationError

from grassroots.core.api_auth import caller
from grassroots.core.api_schemas import DetailOut, RuleErrorOut

from . import lockout, services
from .schemas import TokenIn, TokenOut

router = Router(tags=["auth"])


def _refusal_detail(request: HttpRequest, reason: str) -> str:
    if getattr(request, "axes_locked_out", False):
        return _("登录失败次数过多，账号已暂时锁定，请稍后再试")
    return {
        "otp": _("需要正确的动态验证码（otp）"),
        "enrol": _("您的角色要求两步验证：请先在网页上绑定身份验证器"),
        "password_change": _("管理员要求您修改密码：请先在网页上修改密码"),
    }.get(reason, _("用户名或密码不正确"))


def _refused(request: HttpRequest, reason: str) -> Status:
    detail = _refusal_detail(request, reason)
    # The lockout is recorded and enforced by axes; keep its middleware from answering with the HTML
    # lockout page, so API clients always get the same JSON 401.
    request.axes_locked_out = False
    return Status(401, {"detail": detail})


class _MalformedBody(Exception):
    """A sign-in body that is not a JSON object (`username` is what could be read of it, if anything)."""

    def __init__(self, username: str | None):
        super().__init__(username)
        self.username = username


_UNREADABLE = (MultiPartParserError, SuspiciousOperation, ValueError, OSError)


def _username_in(request: HttpRequest) -> str | None:
    """The username a malformed body names, read as form fields or as JSON; None when there is none."""
    name = None
    try:
        name = request.POST.get("username")
    except _UNREADABLE:
        lockout.settle_form_fields(request)
    if not name:
        try:
            data = json.loads(request.body)
        except _UNREADABLE:
            data = None
        name = data.get("username") if isinstance(data, dict) else None
    return name[:150] if isinstance(name, str) and name else None


def _credentials(request: HttpRequest) -> TokenIn:
    """The body, read strictly before any password is checked: JSON (`application/json`) holding an object,
    else _MalformedBody; a JSON object that does not fit TokenIn → 422 API-VALIDATION (ninja's handler)."""
    if request.content_type != "application/json":
        raise _MalformedBody(_username_in(request))
    try:
        data = json.loads(request.body)
    except RequestDataTooBig:
        raise  # 413 INPUT-SIZE, as for every API body over the limit (core.api_errors)
    except _UNREADABLE as exc:
        raise _MalformedBody(None) from exc
    if not isinstance(data, dict):
        raise _MalformedBody(None)
    try:
        return TokenIn.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = [
            {"type": e["type"], "loc": ("body", "payload", *e["loc"]), "msg": e["msg"]} for e in exc.errors()
        ]
        raise ValidationError(errors) from exc


_TOKEN_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": TokenIn.model_json_schema()}},
    }
}


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 400: DetailOut, 401: DetailOut, 422: RuleErrorOut},
    openapi_extra=_TOKEN_BODY,
)
def token_create(request: HttpRequest):
    """Exchange a username and password for a bearer token (body: TokenIn as `application/json`).

    The body is read before any password is checked: any other content type, or a body that is not a JSON
    object, is refused with 400 and never reaches the password check, so it cannot tell a right password
    from a wrong one; such an attempt still counts toward the lockout of the username it names. Login
    lockout (django-axes) counts every failed check, a wrong or missing `otp` included; a locked account
    gets 401 even with the right password. A user with an authenticator must send its code as `otp`; a user
    who must enrol one first, or whom an administrator asked to change their password, gets 401 with the
    reason."""
    try:
        payload = _credentials(request)
    except _MalformedBody as exc:
        if exc.username:
            lockout.count_failure(request, exc.username)
            request.axes_locked_out = False  # answer in JSON, not with axes' HTML lockout page
        return Status(400, {"detail": _("请求体必须是 JSON 对象（Content-Type: application/json）")})
    try:
        key = services.token_issue(
            request=request, username=payload.username, password=payload.password, otp=payload.otp
        )
    except services.SignInRefused as exc:
        return _refused(request, exc.reason)
    return Status(200, {"token": key})


@router.delete("/token", response={204: None, 401: DetailOut})
def token_delete(request: HttpRequest):
    """Revoke the bearer token this request was made with."""
    services.token_revoke(key=caller(request).token)
    return Status(204, None)


@router.post(
    "/users/{user_id}/password-reset",
    response={204: None, 401: DetailOut, 403: DetailOut, 404: DetailOut},
)
def user_password_reset(request: HttpRequest, user_id: int):
    """Force a user to change their password at their next sign-in (org admin over one of the user's
    grants): every API token of theirs is revoked and none is issued until they have changed it."""
    api = caller(request)
    services.password_reset_force(scope=api.scope, actor=api.user, user_id=user_id)
    return Status(204, None)
