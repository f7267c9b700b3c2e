"""Bearer-token authentication for the JSON API.

A token resolves to its user (accounts.services.token_user); the caller's Scope is built in the one place
scopes are built (accounts.selectors.scope_for_user) and handed to selectors and services explicitly.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from grassroots.core.api_auth import ApiCaller

from .selectors import scope_for_user
from .services import token_user


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; unknown, expired and revoked tokens answer 401."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiCaller | None:
        token = token.strip()
        if not token:
            return None
        user = token_user(token)
        if user is None:
            return None
        return ApiCaller(user=user, scope=scope_for_user(user), token=token)
