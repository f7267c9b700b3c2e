"""API tokens: sign in with a password for a bearer token, and revoke it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from grassroots.core.api_auth import caller
from grassroots.core.api_schemas import DetailOut, RuleErrorOut

from . import services
from .schemas import TokenIn, TokenOut

router = Router(tags=["auth"])


def _refused(request: HttpRequest) -> Status:
    locked = bool(getattr(request, "axes_locked_out", False))
    # The lockout is recorded and enforced by axes; keep its middleware from answering with the HTML
    # lockout page, so API clients always get the same JSON 401.
    request.axes_locked_out = False
    detail = _("登录失败次数过多，账号已暂时锁定，请稍后再试") if locked else _("用户名或密码不正确")
    return Status(401, {"detail": detail})


@router.post("/token", auth=None, response={200: TokenOut, 401: DetailOut, 422: RuleErrorOut})
def token_create(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for a bearer token. Login lockout (django-axes) applies."""
    try:
        key = services.token_issue(request=request, username=payload.username, password=payload.password)
    except PermissionError:
        return _refused(request)
    return Status(200, {"token": key})


@router.delete("/token", response={204: None, 401: DetailOut})
def token_delete(request: HttpRequest):
    """Revoke the bearer token this request was made with."""
    services.token_revoke(key=caller(request).token)
    return Status(204, None)
