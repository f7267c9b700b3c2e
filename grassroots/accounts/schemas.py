from __future__ import annotations

from ninja import Field, Schema


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = Field(
        None,
        description="The current code of the user's authenticator (TOTP); required when the user has enrolled one.",
    )


class TokenOut(Schema):
    token: str
