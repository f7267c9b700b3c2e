"""Setting the meeting policy of a subtree (`policy_set`): effective-dated, append-only rows (MTG-POLICY)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import hygiene, permissions
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.orgs.models import Org

from .. import rules, selectors
from ..models import MeetingPolicy

# The bounds of the meeting policy's values (MTG-POLICY): (low, high) inclusive; besides,
# 0 < lapse_warn_months ≤ lapse_months ≤ 24 (rules.check_lapse_policy).
POLICY_BOUNDS: dict[str, tuple[int, int]] = {
    "lectures_per_quarter": (1, 12),
    "minutes_late_days": (1, 60),
    "sign_in_opens_before_minutes": (0, 240),
    "sign_in_closes_after_minutes": (0, 240),
    "code_step_seconds": (15, 300),
    "lapse_warn_months": (1, rules.MAX_LAPSE_MONTHS),
    "lapse_months": (1, rules.MAX_LAPSE_MONTHS),
}


def policy_problem(values) -> tuple[str, str] | None:
    """(field, "bounds" | "order") of the first unlawful value of a meeting policy, or None."""
    for name, (low, high) in POLICY_BOUNDS.items():
        value = values.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return name, "bounds"
    try:
        rules.check_lapse_policy(values["lapse_warn_months"], values["lapse_months"])
    except ValueError:
        return "lapse_warn_months", "order"
    return None


def _violation(field: str, reason: str) -> RuleViolation:
    if reason == "order":
        return RuleViolation(
            "MTG-POLICY",
            _("提醒月数须大于 0 且不超过处置月数，处置月数不超过 24（MTG-POLICY）"),
            field=field,
        )
    low, high = POLICY_BOUNDS[field]
    return RuleViolation(
        "MTG-POLICY",
        _("%(field)s 须为 %(low)s 到 %(high)s 之间的整数（MTG-POLICY）")
        % {"field": MeetingPolicy._meta.get_field(field).verbose_name, "low": low, "high": high},
        field=field,
    )


@transaction.atomic
def policy_set(
    *, scope: Scope, actor, org: Org, effective_from: dt.date, note: str = "", **values: Any
) -> MeetingPolicy:
    """Set the meeting policy of `org`'s subtree from `effective_from` (a new row: policies are append-only).
    Values not given are those in force for `org` on that date. Org admins of `org` only."""
    permissions.require(scope, permissions.ADMIN, org.path)
    unknown = sorted(set(values) - set(selectors.POLICY_FIELDS))
    if unknown:
        raise RuleViolation(
            "MTG-POLICY",
            _("没有这些规则参数：%(names)s（MTG-POLICY）") % {"names": "、".join(unknown)},
            field=unknown[0],
        )
    if not isinstance(effective_from, dt.date):
        raise RuleViolation("MTG-POLICY", _("请填写生效日期（MTG-POLICY）"), field="effective_from")
    hygiene.check_date(effective_from, field="effective_from")
    note = (note or "").strip()
    hygiene.check_text(note, field="note")
    data = dataclasses.asdict(selectors.policy_for(org, effective_from))
    data.update({k: v for k, v in values.items() if v is not None})
    problem = policy_problem(data)
    if problem is not None:
        raise _violation(*problem)
    row = MeetingPolicy(
        org=org,
        effective_from=effective_from,
        note=note[:200],
        created_by=actor if getattr(actor, "pk", None) else None,
        **data,
    )
    with unscoped():
        row.save(force_insert=True)
    record(
        actor=actor,
        action="meetings.policy",
        target=row,
        org_id=org.pk,
        label=f"{org.name} {effective_from.isoformat()}",
        changes={k: [None, v] for k, v in data.items()}
        | {"effective_from": [None, effective_from.isoformat()], "note": [None, row.note]},
    )
    return row
