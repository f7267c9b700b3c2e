"""The API client of the tests: a token from POST /api/v1/auth/token, then JSON calls with the bearer."""

from __future__ import annotations

import json

from django.test import Client

from tests.support.personas import PASSWORD

API = "/api/v1"


class ApiClient:
    """JSON calls against /api/v1 with an optional bearer token."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.token = token

    def call(self, method: str, path: str, body=None, extra_headers=None, **query):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra_headers or {})
        url = path if path.startswith(API) else API + path
        if method == "get":
            return self.client.get(url, query, headers=headers)
        data = json.dumps(body if body is not None else {})
        return getattr(self.client, method)(url, data, content_type="application/json", headers=headers)

    def get(self, path, headers=None, **query):
        """`headers`: extra request headers (e.g. X-Search, core.id_search)."""
        return self.call("get", path, extra_headers=headers, **query)

    def post(self, path, body=None):
        return self.call("post", path, body)

    def patch(self, path, body=None):
        return self.call("patch", path, body)

    def delete(self, path):
        return self.call("delete", path)


def token_for(username: str, password: str = PASSWORD) -> str:
    """Sign in through the API (the lockout backend sees a real request) and return the bearer token."""
    response = Client().post(
        f"{API}/auth/token",
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def api_client_for(username: str) -> ApiClient:
    """An ApiClient signed in as `username`."""
    return ApiClient(token_for(username))


class PostReadingMiddleware:
    """A middleware that reads `request.POST` before the API sees the request, as a lockout handler or the
    CSRF check may: what Django cannot read then fails in the middleware, outside the API (tests only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            request.POST  # noqa: B018
        return self.get_response(request)
