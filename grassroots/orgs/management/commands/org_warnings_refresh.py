"""`grassroots org_warnings_refresh [--org CODE] [--check]`: `derived_refresh org_warnings`."""

from grassroots.core.management.commands import derived_refresh


class Command(derived_refresh.Command):
    help = (
        "Recompute the stored ORG-* warnings (the dashboards' warning counts) for the subtree of --org or the "
        "whole scope, writing only what differs: the warnings that come with time (a term ending, a "
        "secretary's standing). Idempotent; run nightly, and after a raw data import or a restore. --check "
        "only compares. (The same as `derived_refresh org_warnings`.)"
    )
    tables = ("org_warnings",)
