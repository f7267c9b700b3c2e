"""The caller every JSON API operation receives (the bearer auth that sets it lives in accounts.api_auth)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from grassroots.core.scoping import Scope


@dataclass(frozen=True)
class ApiCaller:
    """What an authenticated API request carries as `request.auth`."""

    user: object
    scope: Scope
    token: str


def caller(request: HttpRequest) -> ApiCaller:
    """The authenticated caller of an API operation (set by BearerToken)."""
    return request.auth  # type: ignore[attr-defined]
