"""`grassroots recruitment_refresh [--org CODE] [--check]`: `derived_refresh recruitment_next_steps`."""

from grassroots.core.management.commands import derived_refresh


class Command(derived_refresh.Command):
    help = (
        "Recompute the stored next steps of the open recruitment dossiers (a policy that came into force, a new "
        "holiday calendar); idempotent, run nightly: recruitment_refresh [--org CODE]; --check only compares. "
        "(The same as `derived_refresh recruitment_next_steps`.)"
    )
    tables = ("recruitment_next_steps",)
