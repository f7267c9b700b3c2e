"""Excusals from organizational life (MEM-LAPSE-6M): `excusal_record`. Append-only: a range recorded in error
is followed by a new record; the lapse watch reads every range recorded. And `lapse_refresh`: the stored
lapse state of a subtree brought in line with the watch (core.derived "lapse")."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import derived, hygiene, permissions
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.models import Member
from grassroots.orgs.models import Org

from .. import lapse_store, rules, selectors
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
    lapse_store.sync_on_commit([member.pk], today=timezone.localdate())
    return excusal


def lapse_refresh(
    *,
    scope: Scope,
    actor,
    org: Org | None = None,
    batch_size: int | None = None,
    today: dt.date | None = None,
) -> lapse_store.Synced:
    """Rewrite the stored lapse state of `org`'s subtree (or of the caller's whole scope) that differs from the
    lapse watch on `today`, in batches (one transaction each); one audit event per subtree where something
    changed. Org admins (permissions.ADMIN). Run nightly: the months roll over."""
    today = today or timezone.localdate()
    done = lapse_store.Synced()
    for prefix in derived.subtrees(scope, org.path if org is not None else None, permissions.ADMIN):
        found = lapse_store.sync(prefix, today=today, batch_size=batch_size or lapse_store.BATCH)
        done.add(found)
        if found.inserted or found.changed or found.deleted:
            with unscoped():
                target = org or (Org.objects.unscoped_all().filter(path=prefix).first() if prefix else None)
            if target is not None:
                with transaction.atomic():
                    record(
                        actor=actor,
                        action="meetings.lapse_refresh",
                        target=target,
                        org_id=target.pk,
                        changes={"rows_corrected": [None, found.inserted + found.changed + found.deleted]},
                    )
    return done
