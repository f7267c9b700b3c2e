"""`{% cited rule_id message %}`: a refusal or warning as people read it (core/_citation.html): the message once,
依据：《…》第…条 and the rule id as a small muted label."""

from __future__ import annotations

from django import template

from grassroots.core.citations import citation

register = template.Library()


@register.inclusion_tag("core/_citation.html")
def cited(rule_id: str, message: object) -> dict:
    return {"c": citation(rule_id, message)}
