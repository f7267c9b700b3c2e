from __future__ import annotations

from django.db.models import Q

from grassroots.core import permissions
from grassroots.core.scoping import Scope, unscoped

from .models import AuditEvent


def history_for(
    *, scope: Scope, target_type: str, target_id: int, path: str, limit: int = 200
) -> list[AuditEvent]:
    """The events about one object (an org, a member), newest first.

    Access is decided on the object's current place in the tree (`path`): a member's whole history,
    including what was written while they belonged to another org, goes with the member.
    """
    permissions.require(scope, permissions.AUDIT_VIEW, path)
    with unscoped():
        return list(
            AuditEvent.objects.unscoped_all()
            .filter(target_type=target_type, target_id=target_id)
            .select_related("actor")
            .order_by("-id")[:limit]
        )


def history_for_unowned(*, records: dict, limit: int = 200) -> list[AuditEvent]:
    """The events about records that belong to no org (the working-day calendar), newest first: `records` maps
    a target type ("workcalendar.calendarday") to its ids (a list or a queryset of pks). No org path to check:
    the records' app decides who may read them before asking."""
    q = Q(pk__in=[])
    for target_type, ids in records.items():
        q |= Q(target_type=target_type, target_id__in=ids)
    with unscoped():
        return list(
            AuditEvent.objects.unscoped_all().filter(q).select_related("actor").order_by("-id")[:limit]
        )
