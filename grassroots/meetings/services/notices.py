"""The member's side of a meeting notice: `notice_read` (the notice opened by the member it was sent to)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import NotFound
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.selectors import own_member

from ..models import MeetingNotice


@transaction.atomic
def notice_read(*, scope: Scope, actor, notice: MeetingNotice) -> bool:
    """Mark `notice` read when its own member opens it (the first time only); returns whether it was marked.

    A read receipt, not a change to any record: it leaves no audit event (the member's own state, as a
    sign-in's time is)."""
    own = own_member(scope=scope)
    if own is None or own.pk != notice.member_id:
        raise NotFound
    if notice.read_at is not None:
        return False
    notice.read_at = timezone.now()
    with unscoped():
        MeetingNotice.objects.unscoped_all().filter(pk=notice.pk, read_at__isnull=True).update(
            read_at=notice.read_at
        )
    return True
