"""Bearer-token authentication for the JSON API and the caller every operation receives.

A token resolves to its user (accounts.services.token_user); the caller's Scope is built in the one place
scopes are built (accounts.selectors.scope_for_user) and handed to selectors and services explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from ninja.security import HttpBearer

from grassroots.core.scoping import Scope


@dataclass(frozen=True)
class ApiCaller:
    """What an authenticated API request carries as `request.auth`."""

    user: object
    scope: Scope
    token: str


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; unknown, expired and revoked tokens answer 401."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiCaller | None:
        from grassroots.accounts.selectors import scope_for_user
        from grassroots.accounts.services import token_user

        token = token.strip()
        if not token:
            return None
        user = token_user(token)
        if user is None:
            return None
        return ApiCaller(user=user, scope=scope_for_user(user), token=token)


def caller(request: HttpRequest) -> ApiCaller:
    """The authenticated caller of an API operation (set by BearerToken)."""
    return request.auth  # type: ignore[attr-defined]
