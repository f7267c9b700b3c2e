"""`grassroots member_figures_refresh [--org CODE] [--check]`: `derived_refresh member_figures`."""

from grassroots.core.management.commands import derived_refresh


class Command(derived_refresh.Command):
    help = (
        "Recompute the maintained per-org member figures (the dashboards' counts) from the members, for the "
        "subtree of --org or the whole tree. --check only compares and exits non-zero listing the orgs whose "
        "figures drift. Run after a raw data import or a restore; --check nightly. "
        "(The same as `derived_refresh member_figures`.)"
    )
    tables = ("member_figures",)
