"""Excusals from organizational life (MEM-LAPSE-6M): `excusal_record`. Append-only: a range recorded in error
is followed by a new record; the lapse watch reads every range recorded."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import hygiene, permissions
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.models import Member
from grassroots.orgs.models import Org

from .. import rules, selectors
from ..choices import ExcusalReason
from ..models import LapseExcusal


@transaction.atomic
def excusal_record(
    *,
    scope: Scope,
    actor,
    member: Member,
    reason_kind: str,
    reason: str,
    from_month: dt.date,
    until_month: dt.date | None = None,
) -> LapseExcusal:
    """Record a proper reason (mobile, sick, abroad, other) for `member` not attending organizational life
    from `from_month` to `until_month` (inclusive; None: still running). Secretaries and officers of the
    member's org."""
    with unscoped():
        org = Org.objects.unscoped_all().get(pk=member.org_id)
    permissions.require(scope, selectors.MEETING_EDIT, org.path)
    if reason_kind not in ExcusalReason.values:
        raise RuleViolation("MEM-LAPSE-6M", _("请选择原因类别（MEM-LAPSE-6M）"), field="reason_kind")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("MEM-LAPSE-6M", _("请填写具体原因（MEM-LAPSE-6M）"), field="reason")
    hygiene.check_text(reason, field="reason")
    if not isinstance(from_month, dt.date):
        raise RuleViolation("MEM-LAPSE-6M", _("请填写起始月份（MEM-LAPSE-6M）"), field="from_month")
    hygiene.check_date(from_month, field="from_month")
    from_month = rules.month_start(from_month)
    if until_month is not None:
        hygiene.check_date(until_month, field="until_month")
        until_month = rules.month_start(until_month)
        if until_month < from_month:
            raise RuleViolation(
                "MEM-LAPSE-6M", _("截止月份不能早于起始月份（MEM-LAPSE-6M）"), field="until_month"
            )
    excusal = LapseExcusal(
        member=member,
        reason_kind=reason_kind,
        reason=reason[:200],
        from_month=from_month,
        until_month=until_month,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    with unscoped():
        excusal.save(force_insert=True)
    record(
        actor=actor,
        action="meetings.excusal",
        target=excusal,
        org_id=org.pk,
        label=f"{member.name} {from_month:%Y-%m}",
        changes={
            "member": [None, member.pk],
            "reason_kind": [None, reason_kind],
            "reason": [None, excusal.reason],
            "from_month": [None, from_month.isoformat()],
            "until_month": [None, until_month.isoformat() if until_month else None],
        },
    )
    return excusal
