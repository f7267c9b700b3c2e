"""API tokens: sign in with a password (and a two-factor code) for a bearer token, and revoke it; an
administrator forces a user to change their password."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from grassroots.core.api_auth import caller
from grassroots.core.api_schemas import DetailOut, RuleErrorOut

from . import services
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


@router.post("/token", auth=None, response={200: TokenOut, 400: DetailOut, 401: DetailOut, 422: RuleErrorOut})
def token_create(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for a bearer token. The body must be JSON (`application/json`):
    any other body is refused with 400 before the password is checked. Login lockout (django-axes) counts
    every failed check, a wrong or missing `otp` included; a locked account gets 401 even with the right
    password. A user with an authenticator must send its code as `otp`; a user who must enrol one first, or
    whom an administrator asked to change their password, gets 401 with the reason."""
    if request.content_type != "application/json":
        return Status(400, {"detail": _("请求体必须是 JSON（Content-Type: application/json）")})
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
