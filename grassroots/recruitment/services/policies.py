"""Setting the recruitment policy of a subtree (`policy_set`): effective-dated, append-only rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import permissions
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.orgs.models import Org

from .. import selectors
from ..models import Applicant, RecruitmentPolicy
from .next_steps import _refresh_next

POLICY_INT_FIELDS = (
    "activist_wait_months",
    "training_days",
    "training_hours",
    "notice_working_days",
    "extension_min_months",
    "extension_max_months",
    "approval_warn_months",
    "approval_block_months",
    "conversion_vote_grace_months",
)
POLICY_MAX_VALUE = 120
# rules.Policy's ValueError messages → (field, message for people)
_POLICY_ERRORS = {
    "extension_months": (
        "extension_max_months",
        _("延长预备期须满足 0 < 最短月数 ≤ 最长月数 ≤ 12（REC-POLICY）"),
    ),
    "notice_before": ("notice_before", _("须公示的步骤中有不需要公示的步骤（REC-POLICY）")),
    "approval_warn_months": (
        "approval_warn_months",
        _("审批提醒月数不能超过审批期限月数（REC-POLICY）"),
    ),
    "notice and training": (
        "notice_working_days",
        _("公示工作日数、培训天数和培训学时须为正数（REC-POLICY）"),
    ),
}


def _policy_violation(error: ValueError) -> RuleViolation:
    text = str(error)
    for prefix, (field_name, message) in _POLICY_ERRORS.items():
        if text.startswith(prefix):
            return RuleViolation("REC-POLICY", message, field=field_name)
    return RuleViolation("REC-POLICY", _("发展党员工作规则参数无效（REC-POLICY）"), field=None)


@transaction.atomic
def policy_set(
    *, scope: Scope, actor, org: Org, effective_from: dt.date, note: str = "", **values: Any
) -> RecruitmentPolicy:
    """Set the recruitment policy of `org`'s subtree from `effective_from` (a new row: policies are
    append-only). Values not given are those in force for `org` on that date. Org admins of `org` only."""
    permissions.require(scope, permissions.ADMIN, org.path)
    unknown = sorted(set(values) - set(POLICY_INT_FIELDS) - {"notice_before"})
    if unknown:
        raise RuleViolation(
            "REC-POLICY",
            _("没有这些规则参数：%(names)s（REC-POLICY）") % {"names": "、".join(unknown)},
            field=unknown[0],
        )
    if not isinstance(effective_from, dt.date):
        raise RuleViolation("REC-POLICY", _("请填写生效日期（REC-POLICY）"), field="effective_from")
    current = selectors.policy_for(org, effective_from)
    data: dict[str, Any] = selectors.policy_values(current)
    data.update(values)
    for name in POLICY_INT_FIELDS:
        value = data[name]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= POLICY_MAX_VALUE:
            raise RuleViolation(
                "REC-POLICY",
                _("%(field)s 须为 0 到 %(max)s 之间的整数（REC-POLICY）")
                % {"field": RecruitmentPolicy._meta.get_field(name).verbose_name, "max": POLICY_MAX_VALUE},
                field=name,
            )
    notice_before = data["notice_before"]
    if isinstance(notice_before, str) or not all(isinstance(k, str) for k in notice_before):
        raise RuleViolation(
            "REC-POLICY", _("须公示的步骤中有不需要公示的步骤（REC-POLICY）"), field="notice_before"
        )
    data["notice_before"] = sorted(set(notice_before))
    row = RecruitmentPolicy(org=org, effective_from=effective_from, note=note.strip(), **data)
    try:
        selectors.policy_of_row(row)
    except ValueError as error:
        raise _policy_violation(error) from None
    row.created_by = actor if getattr(actor, "pk", None) else None
    row.save(force_insert=True)
    if effective_from <= timezone.localdate():
        # In force already: the stored next steps of the subtree's open dossiers whose policy it now is.
        with unscoped():
            _refresh_next(
                Applicant.objects.unscoped_all(), org=org, today=timezone.localdate(), changed_policy=True
            )
    record(
        actor=actor,
        action="recruitment.policy",
        target=row,
        org_id=org.pk,
        label=f"{org.name} {effective_from.isoformat()}",
        changes={k: [None, v] for k, v in data.items()}
        | {"effective_from": [None, effective_from.isoformat()], "note": [None, row.note]},
    )
    return row
