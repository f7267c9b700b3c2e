from grassroots.core.commands import ScopedCommand
from grassroots.orgs import selectors as org_selectors
from grassroots.recruitment import services


class Command(ScopedCommand):
    help = (
        "Recompute the stored next steps of the open recruitment dossiers (a policy that came into force, a new "
        "holiday calendar); idempotent, run nightly: recruitment_refresh [--org CODE]"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--org", default="", help="org code (default: the whole scope)")
        parser.add_argument("--batch-size", type=int, default=services.REFRESH_BATCH)

    def handle_scoped(self, scope, actor, *args, **opts):
        org = org_selectors.org_get(scope=scope, code=opts["org"]) if opts["org"] else None
        done = services.next_steps_refresh(scope=scope, actor=actor, org=org, batch_size=opts["batch_size"])
        self.stdout.write(
            f"recruitment next steps: {done.checked} open dossiers checked, {done.changed} updated"
        )
