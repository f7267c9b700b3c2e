"""The contract between the demo's seeder (`grassroots.demo`) and the apps' seed hooks (`<app>/seed`).

The seeder calls each app's `load(ctx)` in layer order inside one transaction, with one `SeedContext`: the seed,
the scale, the as-of day, the bulk loader and what the earlier hooks produced. A hook loads its app's rows with
`ctx.copy_rows`, tells the seeder which models it loaded (`ctx.loaded`) and publishes in `ctx.products` what a
later hook may build on. It uses its own app's and lower apps' code only: the seeder is the one place that
knows every hook. See docs/architecture.md ("Demo data").
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model


@dataclass(frozen=True)
class Scale:
    """The size of a demo tree: its shape (a county, a city of counties or a province of cities) and about how
    many members it holds."""

    name: str
    shape: str  # county | city | province
    members: int
    counties: int = 0
    cities: int = 0
    tiny: bool = False


@dataclass
class SeedContext:
    """What the seeder hands every hook: the run's parameters and loader, and what the hooks before produced."""

    seed: int
    scale: Scale
    as_of: dt.date
    now: dt.datetime
    copy_rows: Callable[[str, Sequence[str], Iterable[tuple]], int]
    """Bulk-load rows into a table (COPY on PostgreSQL, executemany on SQLite); returns how many."""
    say: Callable[[str], None]
    """Report progress (timed by the seeder)."""
    people_listeners: Sequence[Callable[[SeedContext, Any], None]] = ()
    """The `on_people` functions of the hooks that define one (see `people_made`)."""
    products: dict[str, Any] = field(default_factory=dict)
    """What each hook produced, by app label, for the hooks after it."""
    scratch: dict[str, Any] = field(default_factory=dict)
    """A hook's own working data between its calls (`on_people`, then `load`), by app label."""
    sequenced: list[type[Model]] = field(default_factory=list)  # loaded with explicit ids (`loaded`)
    tables: list[str] = field(default_factory=list)  # loaded tables, analyzed at the end (`loaded`)

    def rng(self, *key: object) -> random.Random:
        """A random stream of its own for (seed, *key), e.g. one per org: what is drawn for one org then does
        not depend on what was drawn before it."""
        return random.Random(":".join(str(part) for part in (self.seed, *key)))

    def loaded(self, *models: type[Model], explicit_ids: bool = True) -> None:
        """Models whose tables a hook loaded: the seeder analyzes them at the end and, for rows loaded with
        explicit ids, moves the id sequences past them."""
        for model in models:
            self.tables.append(model._meta.db_table)
            if explicit_ids:
                self.sequenced.append(model)

    def people_made(self, people: Any) -> None:
        """Called by the members hook with each org's people as soon as they are made (before they are loaded):
        a higher app's hook that defines `on_people(ctx, people)` keeps what it needs of them, so that no hook
        has to read millions of members back."""
        for listener in self.people_listeners:
            listener(self, people)
