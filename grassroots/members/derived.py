"""The maintained member figures (`OrgMemberFigures`) as a stored derived table (core.derived): the services
keep them exact (`figures.shift`), so the nightly run only checks them; `migrate` fills them once after the
migration that created them; the refresh corrects the orgs that drift (audited)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from grassroots.core import derived
from grassroots.orgs.selectors import org_if_named

from . import figures, selectors, services, warning_store
from .models import MemberWarningState, OrgMemberFigures

# The migration that added the figures: after it runs, `migrate` fills them.
FIGURES_MIGRATION = ("members", "0004_org_member_figures")


def refresh(*, scope, actor, org: str | None = None, batch_size: int | None = None) -> list[str]:
    """Correct the figures that drift (one grouped read of the members: no batches)."""
    fixed = services.member_figures_refresh(scope=scope, actor=actor, org=org_if_named(scope=scope, code=org))
    return [f"corrected {d.describe()}" for d in fixed] + [
        f"member figures refreshed: {len(fixed)} orgs corrected"
    ]


def drift(*, scope, org: str | None = None) -> list[str]:
    return [
        d.describe()
        for d in selectors.member_figures_drift(scope=scope, org=org_if_named(scope=scope, code=org))
    ]


def missing() -> bool:
    return not OrgMemberFigures.objects.unscoped_all().exists()


def fill() -> None:
    """Count the members that existed before the table did: one `INSERT … SELECT … GROUP BY`."""
    with transaction.atomic():
        figures.fill()


TABLE = derived.Derived(
    name="member_figures",
    label="member figures",
    source="the members",
    unit="orgs",
    refresh=refresh,
    drift=drift,
    fill=fill,
    missing=missing,
    since=FIGURES_MIGRATION,
    nightly="check",
)


# --- the stored MEM-* warnings (MemberWarningState) ----------------------------------------------------------

# The migration that added the stored member warnings: after it runs, `migrate` fills them.
WARNINGS_MIGRATION = ("members", "0008_member_warning_state")


def warnings_refresh(*, scope, actor, org: str | None = None, batch_size: int | None = None) -> list[str]:
    """Rewrite the stored member warnings that differ from the records (the services keep them exact)."""
    done = services.member_warnings_refresh(
        scope=scope, actor=actor, org=org_if_named(scope=scope, code=org), batch_size=batch_size
    )
    return [
        f"member warnings: {done.checked} members checked, {done.inserted} added, {done.changed} changed, "
        f"{done.deleted} removed"
    ]


def warnings_drift(*, scope, org: str | None = None) -> list[str]:
    """One line per member whose stored warnings differ from what the record calls for (read only)."""
    return [
        f"member {member_id}: {rule_id} {how}"
        for member_id, rule_id, how in selectors.member_warnings_drift(
            scope=scope, org=org_if_named(scope=scope, code=org)
        )
    ]


def warnings_missing() -> bool:
    return not MemberWarningState.objects.unscoped_all().exists()


def warnings_fill() -> None:
    """Compute the warnings of the members that existed before the table did (batches)."""
    warning_store.sync_subtree(None, on=timezone.localdate())


WARNINGS = derived.Derived(
    name="member_warnings",
    label="member warnings",
    source="the member records",
    unit="members",
    refresh=warnings_refresh,
    drift=warnings_drift,
    fill=warnings_fill,
    missing=warnings_missing,
    since=WARNINGS_MIGRATION,
    nightly="check",  # the rows carry the day they hold from: time alone changes nothing stored
)
