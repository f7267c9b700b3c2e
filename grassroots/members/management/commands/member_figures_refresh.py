"""`grassroots member_figures_refresh [--org CODE] [--check]`: recompute the maintained member figures."""

from django.core.management.base import CommandError

from grassroots.core.commands import ScopedCommand
from grassroots.members import selectors, services
from grassroots.orgs.selectors import org_get


class Command(ScopedCommand):
    help = (
        "Recompute the maintained per-org member figures (the dashboards' counts) from the members, for the "
        "subtree of --org or the whole tree. --check only compares and exits non-zero listing the orgs whose "
        "figures drift. Run after a raw data import or a restore; --check nightly."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--org", help="org code: only this org's subtree (default: the whole scope)")
        parser.add_argument("--check", action="store_true", help="compare only; exit 1 when figures drift")

    def handle_scoped(self, scope, actor, *args, **opts):
        org = org_get(scope=scope, code=opts["org"]) if opts["org"] else None
        if opts["check"]:
            drifted = selectors.member_figures_drift(scope=scope, org=org)
            for d in drifted:
                self.stdout.write(d.describe())
            if drifted:
                raise CommandError(f"member figures drift in {len(drifted)} orgs: run member_figures_refresh")
            self.stdout.write("member figures agree with the members")
            return
        fixed = services.member_figures_refresh(scope=scope, actor=actor, org=org)
        for d in fixed:
            self.stdout.write(f"corrected {d.describe()}")
        self.stdout.write(f"member figures refreshed: {len(fixed)} orgs corrected")
