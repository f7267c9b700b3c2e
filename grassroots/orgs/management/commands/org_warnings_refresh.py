"""`grassroots org_warnings_refresh [--org CODE]`: recompute the stored ORG-* warnings of a subtree."""

from grassroots.core.commands import ScopedCommand
from grassroots.orgs import selectors, services, warning_store


class Command(ScopedCommand):
    help = (
        "Recompute the stored ORG-* warnings (the dashboards' warning counts) for the subtree of --org or the "
        "whole scope, writing only what differs: the warnings that come with time (a term ending, a "
        "secretary's standing). Idempotent; run nightly, and after a raw data import or a restore."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--org", default="", help="org code (default: the whole scope)")
        parser.add_argument("--batch-size", type=int, default=warning_store.REFRESH_BATCH)

    def handle_scoped(self, scope, actor, *args, **opts):
        org = selectors.org_get(scope=scope, code=opts["org"]) if opts["org"] else None
        done = services.org_warnings_refresh(scope=scope, actor=actor, org=org, batch_size=opts["batch_size"])
        self.stdout.write(
            f"org warnings: {done.checked} orgs checked, {done.inserted} added, {done.changed} changed, "
            f"{done.deleted} removed"
        )
