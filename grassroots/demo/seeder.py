"""Deterministic demo and benchmark data: `grassroots seed --scale tiny|county|city|province --seed N`.

The same seed and scale give the same orgs (codes, names, paths), the same people (names, ID numbers, dates
relative to the as-of date) and the same recruitment dossiers at every stage. The seeder knows the scales and
the order of the apps' seed hooks; each hook knows its own app's data (`<app>/seed`, see `core.seeds` for the
contract). Everything is bulk-loaded in one transaction (COPY on PostgreSQL, one executemany transaction on
SQLite: `load`); see docs/benchmarks.md for timings.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from grassroots.audit import checkpoints as audit_checkpoints
from grassroots.audit.services import record
from grassroots.core.scoping import Scope
from grassroots.core.seeds import Scale, SeedContext
from grassroots.meetings import seed as meetings_seed
from grassroots.members import seed as members_seed
from grassroots.orgs import seed as orgs_seed
from grassroots.orgs import selectors as org_selectors
from grassroots.recruitment import seed as recruitment_seed

from . import load

SCALES = {
    s.name: s
    for s in (
        Scale("tiny", "county", 500, tiny=True),
        Scale("county", "county", 20_000),
        Scale("city", "city", 200_000, counties=14),
        Scale("province", "province", 2_000_000, cities=10, counties=14),
    )
}
# The seed hooks in layer order (pyproject.toml [tool.importlinter]): each may build on what those before it
# produced. accounts and audit have none: the seed makes no users (demo_setup does, through the accounts
# services), and its one audit event records the run itself.
HOOKS = (orgs_seed, members_seed, meetings_seed, recruitment_seed)
OPTIONAL_HOOKS = frozenset({"meetings", "recruitment"})
SYSTEM = Scope.system("seed")


class SeedRefused(RuntimeError):
    pass


@dataclass
class SeedResult:
    orgs: int
    groups: int
    branches: int
    members: int
    committees: int
    posts: int
    seconds: float
    root_code: str
    applicants: dict[str, int] | None = None


def build_tree(scale_name: str, seed: int, as_of: dt.date) -> list[orgs_seed.tree.Node]:
    """The planned tree of a scale (`orgs.seed.build_tree`)."""
    return orgs_seed.build_tree(SCALES[scale_name], seed, as_of)


def is_empty() -> bool:
    """Whether the database holds no org (and so no member: every member belongs to an org)."""
    return not org_selectors.org_top_level(scope=SYSTEM)


def seed(
    *,
    scale: str,
    seed: int,
    replace: bool = False,
    as_of: dt.date | None = None,
    out: Callable[[str], None] = print,
    without: frozenset[str] = frozenset(),
) -> SeedResult:
    """Generate and load a whole tree in one transaction; refuse a non-empty database unless `replace`.
    `without` names optional hooks to leave out ("meetings", "recruitment": a benchmark that loads its own
    records of that kind); orgs and members are always loaded."""
    unknown = set(without) - OPTIONAL_HOOKS
    if unknown:
        raise ValueError(f"hooks that cannot be left out: {sorted(unknown)}")
    hooks = tuple(h for h in HOOKS if h.__name__.split(".")[1] not in without)
    started = time.perf_counter()
    as_of = as_of or timezone.localdate()

    def say(msg: str) -> None:
        out(f"[{time.perf_counter() - started:7.1f}s] {msg}")

    ctx = SeedContext(
        seed=seed,
        scale=SCALES[scale],
        as_of=as_of,
        now=timezone.now(),
        copy_rows=load.copy_rows,
        say=say,
        people_listeners=tuple(h.on_people for h in hooks if hasattr(h, "on_people")),
    )
    with transaction.atomic():
        if not is_empty():
            if not replace:
                raise SeedRefused(
                    "the database already holds orgs or members: use --replace to wipe them first"
                )
            tables = load.wipe()
            say(f"wiped {len(tables)} tables (org tree, members, grants, audit trail)")
        load.tune_session()
        for hook in hooks:
            hook.load(ctx)
        load.reset_sequences(ctx.sequenced)
        tree: orgs_seed.Tree = ctx.products["orgs"]
        people: members_seed.People = ctx.products["members"]
        dossiers = ctx.products.get("recruitment") or recruitment_seed.Dossiers(
            applicants=0, events=0, stages={}
        )
        root = org_selectors.org_get(scope=SYSTEM, code=tree.root_code)
        record(
            actor=None,
            action="seed.load",
            target=root,
            org_id=root.pk,
            changes={
                "scale": [None, scale],
                "seed": [None, seed],
                "as_of": [None, as_of.isoformat()],
                "orgs": [None, len(tree.nodes)],
                "members": [None, people.members],
                "applicants": [None, dossiers.applicants],
                "replaced": [None, bool(replace)],
            },
            label=f"seed {scale} #{seed}",
        )
        # The trail starts again with this seed: a signed restart line anchors its new head (when checkpoints
        # are kept), so the checkpoints of the wiped trail do not read as a truncation.
        transaction.on_commit(lambda: audit_checkpoints.checkpoint_restart(note=f"seed {scale} #{seed}"))
    load.analyze(ctx.tables)
    seconds = time.perf_counter() - started
    say(f"done: {len(tree.nodes):,} orgs, {people.members:,} members in {seconds:.1f}s")
    return SeedResult(
        orgs=len(tree.nodes),
        groups=tree.party_groups,
        branches=tree.branches,
        members=people.members,
        committees=len(tree.committees.rows),
        posts=len(tree.committees.posts),
        seconds=seconds,
        root_code=tree.root_code,
        applicants=dossiers.stages,
    )
