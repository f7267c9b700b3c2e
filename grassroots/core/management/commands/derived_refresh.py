"""`grassroots derived_refresh [NAME ...] [--org CODE] [--check | --nightly] [--batch-size N]`: the stored
derived tables the apps register (core.derived) — recompute them, compare them with the records, or run the
nightly job over all of them."""

from __future__ import annotations

from django.core.management.base import CommandError

from grassroots.core import derived
from grassroots.core.commands import ScopedCommand


class Command(ScopedCommand):
    help = (
        "Bring the stored derived tables (member figures, org warnings, recruitment next steps, …) up to date "
        "for the subtree of --org or the whole scope, writing only what differs; --check only compares and "
        "exits non-zero listing what drifts; --nightly refreshes the tables that go stale with time and checks "
        "the others (run it from cron after midnight). NAME limits the run to those tables."
    )
    # A table-specific alias (member_figures_refresh, …) names its tables here and takes no NAME.
    tables: tuple[str, ...] = ()

    def add_arguments(self, parser):
        super().add_arguments(parser)
        if not self.tables:
            parser.add_argument(
                "names",
                nargs="*",
                metavar="NAME",
                help="derived tables (default: all): " + ", ".join(derived.REGISTRY.names()),
            )
        parser.add_argument(
            "--org", default="", help="org code: only this org's subtree (default: the scope)"
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--check", action="store_true", help="compare only; exit 1 when something drifts")
        if not self.tables:
            mode.add_argument(
                "--nightly",
                action="store_true",
                help="refresh the tables that go stale with time, check the others",
            )
        parser.add_argument(
            "--batch-size", type=int, default=None, help="rows per batch (default: each table's own)"
        )

    def line(self, table: derived.Derived, text: str) -> None:
        self.stdout.write(text if self.tables else f"{table.name}: {text}")

    def rerun_hint(self, names: list[str]) -> str:
        command = self.__module__.rpartition(".")[2]  # an alias names itself
        return command if self.tables else f"{command} " + " ".join(names)

    def handle_scoped(self, scope, actor, *args, **opts):
        try:
            named = self.tables or opts.get("names") or None
            tables = derived.REGISTRY.ordered(named)
        except KeyError as exc:
            known = ", ".join(derived.REGISTRY.names())
            raise CommandError(f"no derived table {exc.args[0]!r} (known: {known})") from exc
        org = opts["org"] or None
        drifted: list[tuple[derived.Derived, int]] = []
        for table in tables:
            action = table.nightly if opts.get("nightly") else ("check" if opts["check"] else "refresh")
            if action == "check" and table.drift is not None:
                lines = table.drift(scope=scope, org=org)
                for text in lines:
                    self.line(table, text)
                if lines:
                    drifted.append((table, len(lines)))
                else:
                    self.line(table, f"{table.label} agree with {table.source}")
            elif action == "refresh" and table.refresh is not None:
                for text in table.refresh(scope=scope, actor=actor, org=org, batch_size=opts["batch_size"]):
                    self.line(table, text)
            elif action and named and not opts.get("nightly"):
                self.line(table, f"{table.label}: nothing to {action} here")
        if drifted:
            found = "; ".join(f"{t.label} drift in {n} {t.unit}" for t, n in drifted)
            raise CommandError(f"{found}: run {self.rerun_hint([t.name for t, _n in drifted])}")
