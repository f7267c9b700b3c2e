from __future__ import annotations

from ninja import Schema


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
