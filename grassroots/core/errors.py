"""Errors the domain raises. One mapping turns each into an HTTP answer, a form error or a CLI exit."""

from __future__ import annotations

from typing import Any


class RuleViolation(Exception):
    """A write refused by a rule. `rule_id` is a stable anchor from docs/rules.md; `message` is for people."""

    def __init__(self, rule_id: str, message: Any, *, field: str | None = None, params: dict | None = None):
        super().__init__(f"{rule_id}: {message}")
        self.rule_id = rule_id
        self.message = message
        self.field = field
        self.params = params or {}

    def as_dict(self) -> dict[str, Any]:
        """The API's 422 body: the message once (without the id written into it), the rule id, and the
        regulation and article it comes from (`source`, None for the project's own rules)."""
        from .citations import citation

        cited = citation(self.rule_id, self.message)
        return {
            "rule_id": self.rule_id,
            "message": cited.message,
            "source": cited.source,
            "field": self.field,
        }


class NotFound(Exception):
    """Missing or outside the caller's scope: the two are deliberately indistinguishable."""
