"""`grassroots seed --scale tiny|county|city|province --seed N [--replace]`: deterministic demo data."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from grassroots.demo import seeder


class Command(BaseCommand):
    help = (
        "Load a deterministic demo tree (orgs, members, committees) of the given scale. Refuses a database "
        "that already holds orgs or members unless --replace, which wipes the org tree, members, role grants "
        "and the audit trail (users stay)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(seeder.SCALES), default="county")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replace", action="store_true", help="wipe the existing tree first")
        parser.add_argument(
            "--as-of", dest="as_of", type=dt.date.fromisoformat, help="reference date (default: today)"
        )

    def handle(self, *args, **opts):
        try:
            result = seeder.seed(
                scale=opts["scale"],
                seed=opts["seed"],
                replace=opts["replace"],
                as_of=opts["as_of"],
                out=self.stdout.write,
            )
        except seeder.SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"seeded {opts['scale']} #{opts['seed']}: {result.orgs} orgs ({result.branches} branches, "
            f"{result.groups} party groups), {result.members} members, {result.committees} committees, "
            f"{sum((result.applicants or {}).values())} recruitment dossiers; "
            f"root {result.root_code}; {result.seconds:.1f}s"
        )
