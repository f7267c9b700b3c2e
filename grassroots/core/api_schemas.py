"""Schemas shared by every router: the error bodies the API answers with."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class DetailOut(Schema):
    """401, 403 and 404 answers. 404 means "missing or not yours": the two are indistinguishable."""

    detail: str


class RuleErrorOut(Schema):
    """422 answers: a rule refused the write (`rule_id` from docs/rules.md; `message` says why, in Chinese,
    without the id; `source` cites the regulation and article, null for the project's own rules), or the input
    did not parse (`rule_id` "API-VALIDATION", with the parser's errors in `errors`)."""

    rule_id: str
    message: str
    source: str | None = None
    field: str | None = None
    errors: list[dict[str, Any]] | None = None


ERRORS = {401: DetailOut, 403: DetailOut, 404: DetailOut, 422: RuleErrorOut}


def patch_data(payload: Schema, *, nullable: set[str] | frozenset[str]) -> dict[str, Any]:
    """The fields a PATCH sent, for a service's keyword arguments: an explicit null clears the fields in
    `nullable` and is ignored for the others."""
    return {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None or k in nullable}
