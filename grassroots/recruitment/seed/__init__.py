"""The recruitment's seed hook: dossiers (发展党员档案) at every stage, so that the demo shows a live pipeline.

`on_people(ctx, made)` runs while the members hook makes each org's people: of a branch it keeps, compactly,
what the dossiers need (the recruited members admitted lately, the longest-standing full members as mentors
and sponsors, the roll of its votes; `dossiers.BranchPeople`). `load(ctx)` then builds every branch's dossiers
in tree order (`dossiers.RecruitmentFactory`, each step checked by the recruitment rules) and bulk-loads the
steps and the dossiers, with their stored next steps and milestone dates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from grassroots.core.seeds import SeedContext
from grassroots.members.seed import OrgPeople, People
from grassroots.workcalendar.selectors import calendar

from ..models import Applicant, RecruitmentEvent
from . import dossiers

# The oldest year a seeded dossier's step may fall in, counted back from the seed's day (generously).
CALENDAR_YEARS_BACK = 30


@dataclass
class Dossiers:
    """What the recruitment hook produced."""

    applicants: int
    events: int
    stages: dict[str, int]  # dossiers by stage


@dataclass
class _Kept:
    keep: Callable[[tuple], tuple | None]
    branches: list[dossiers.BranchPeople] = field(default_factory=list)


def on_people(ctx: SeedContext, made: OrgPeople) -> None:
    if made.node.kind != "branch":
        return
    kept: _Kept | None = ctx.scratch.get("recruitment")
    if kept is None:
        kept = ctx.scratch["recruitment"] = _Kept(dossiers.keep(ctx.as_of))
    keep = kept.keep
    reused = [row for row in map(keep, made.rows) if row is not None]
    kept.branches.append(dossiers.branch_people(made.node, made.full, reused, made.roll))


def load(ctx: SeedContext) -> None:
    people: People = ctx.products["members"]
    kept: _Kept | None = ctx.scratch.pop("recruitment", None)
    branches = kept.branches if kept is not None else []
    factory = dossiers.RecruitmentFactory(people.factory, ctx.seed, ctx.as_of, ctx.now)
    # The steps are made while their rows stream into COPY, which holds the connection: read every year of the
    # stored working-day calendar the dossiers may reach before it starts (a query inside it would wait forever).
    for year in range(ctx.as_of.year - CALENDAR_YEARS_BACK, ctx.as_of.year + 3):
        calendar().year(year)
    # Events first, streamed; their applicants are collected meanwhile and loaded after them (foreign keys are
    # checked at commit).
    events = ctx.copy_rows(RecruitmentEvent._meta.db_table, dossiers.EVENT_COLUMNS, factory.events(branches))
    applicants = ctx.copy_rows(Applicant._meta.db_table, dossiers.APPLICANT_COLUMNS, factory.applicants)
    del branches[:]
    ctx.loaded(Applicant, RecruitmentEvent)
    stages = dict(sorted(factory.stages.items()))
    listed = ", ".join(f"{k} {v:,}" for k, v in stages.items())
    ctx.say(f"recruitment loaded: {applicants:,} dossiers ({listed}) with {events:,} steps")
    ctx.products["recruitment"] = Dossiers(applicants=applicants, events=events, stages=stages)
