"""The stored ORG-* warnings (`OrgWarningState`) as a stored derived table (core.derived): the org and member
services keep them current, but some warnings come with time (a term ending, a secretary's standing), so the
nightly run refreshes them; `migrate` fills them once after the migration that created them, after the member
figures their facts read."""

from __future__ import annotations

from django.utils import timezone

from grassroots.core import derived, permissions

from . import services, warning_store
from .models import OrgWarningState
from .selectors import org_if_named

# The migration that added the stored warnings: after it runs, `migrate` fills them.
WARNINGS_MIGRATION = ("orgs", "0002_org_warning_state")


def refresh(*, scope, actor, org: str | None = None, batch_size: int | None = None) -> list[str]:
    done = services.org_warnings_refresh(
        scope=scope,
        actor=actor,
        org=org_if_named(scope=scope, code=org),
        batch_size=batch_size or warning_store.REFRESH_BATCH,
    )
    return [
        f"org warnings: {done.checked} orgs checked, {done.inserted} added, {done.changed} changed, "
        f"{done.deleted} removed"
    ]


def drift(*, scope, org: str | None = None, on=None) -> list[str]:
    """The orgs of the subtree (or of the scope) whose stored warnings differ from today's, in tree order:
    read only, for the roles that see orgs."""
    found = org_if_named(scope=scope, code=org)
    day = on or timezone.localdate()
    out = []
    for prefix in derived.subtrees(scope, found.path if found else None, permissions.ORG_VIEW):
        out.extend(d.describe() for d in warning_store.drift(prefix, on=day))
    return out


def missing() -> bool:
    return not OrgWarningState.objects.unscoped_all().exists()


def fill() -> None:
    """Compute the warnings of the orgs that existed before the table did (batches, one transaction each)."""
    warning_store.refresh_subtree(None, on=timezone.localdate())


TABLE = derived.Derived(
    name="org_warnings",
    label="org warnings",
    source="the orgs' facts",
    unit="orgs",
    refresh=refresh,
    drift=drift,
    fill=fill,
    missing=missing,
    since=WARNINGS_MIGRATION,
    after=("member_figures",),  # the facts read each org's own member counts from the figures
    nightly="refresh",
)
