"""The maintained member figures (`OrgMemberFigures`) as a stored derived table (core.derived): the services
keep them exact (`figures.shift`), so the nightly run only checks them; `migrate` fills them once after the
migration that created them; the refresh corrects the orgs that drift (audited)."""

from __future__ import annotations

from django.db import transaction

from grassroots.core import derived
from grassroots.orgs.selectors import org_if_named

from . import figures, selectors, services
from .models import OrgMemberFigures

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
