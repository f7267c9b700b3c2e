"""The members' seed hook: the people of every org of the demo tree, and their figures.

`load(ctx)` makes each org's members in tree order (`people.PeopleFactory`: every org draws from its own random
stream, seeded by (seed, org code); only ID-number collisions are resolved in path order) and streams them into
the bulk loader. As soon as an org's people are made, it offers its full members to the tree's committees
(`orgs.seed.Tree.committees`) and hands them to the hooks of higher apps (`ctx.people_made`, see `OrgPeople`).
Then it fills the per-org member figures set-based and lets the tree finish its committees and stored warnings,
which read them. It publishes `People`: the factory, so that people made later (recruitment's applicants) get
names and ID numbers drawn the same way and never a number already issued.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from grassroots.core.scoping import unscoped
from grassroots.core.seeds import SeedContext
from grassroots.orgs.seed import Tree
from grassroots.orgs.seed.tree import Node

from .. import figures, warning_store
from ..choices import COLLEGE_OR_ABOVE
from ..models import Member, MemberWarningState, OrgMemberFigures
from . import people


@dataclass(slots=True)
class OrgPeople:
    """The members of one org as the members hook made them, handed to the `on_people` hooks."""

    node: Node
    rows: list[tuple]  # member rows, in `people.MEMBER_COLUMNS` order
    full: list[tuple[int, dt.date, bool]]  # (id, converted_on, retiree): full members who may serve
    roll: list[tuple]  # everyone who has been a full member (`people.PeopleFactory.last_roll`)


@dataclass
class People:
    """What the members hook produced."""

    factory: people.PeopleFactory
    members: int


def load(ctx: SeedContext) -> None:
    tree: Tree = ctx.products["orgs"]
    factory = people.PeopleFactory(ctx.seed, ctx.as_of, ctx.now)
    planned = tree.planned_members
    report_every = max(50_000, planned // 10)
    listened = bool(ctx.people_listeners)

    def member_rows():
        next_report = report_every
        for node in tree.nodes:
            if not node.size:
                continue
            made = factory.members(node, tree.groups.get(node.path, []))
            if listened:
                rows = list(made)
                yield from rows
                ctx.people_made(OrgPeople(node, rows, factory.last, factory.last_roll))
            else:
                yield from made
            tree.committees.offer(node, factory.last)
            if factory.next_id > next_report:
                ctx.say(f"members {factory.next_id - 1:,}/{planned:,}")
                next_report += report_every

    members = ctx.copy_rows(Member._meta.db_table, people.MEMBER_COLUMNS, member_rows())
    ctx.loaded(Member)
    ctx.say(f"members loaded: {members:,}")
    figure_rows = figures.fill()
    ctx.loaded(OrgMemberFigures, explicit_ids=False)
    ctx.say(f"member figures filled: {figure_rows:,} orgs")
    warned = warning_store.sync_subtree(None, on=ctx.as_of)
    ctx.loaded(MemberWarningState, explicit_ids=False)
    ctx.say(f"member warnings stored: {warned.inserted:,}")
    ctx.products["members"] = People(factory=factory, members=members)
    tree.finish(ctx)


def composition() -> dict[str, float]:
    """Shares (in %) of the loaded members, to compare with the end-2023 bulletin (STATISTICS.md)."""
    with unscoped():
        qs = Member.objects.unscoped_all()
        agg = qs.aggregate(
            n=Count("id"),
            women=Count("id", filter=Q(sex="female")),
            minorities=Count("id", filter=~Q(ethnicity="汉族")),
            college=Count("id", filter=Q(education__in=COLLEGE_OR_ABOVE)),
            probationary=Count("id", filter=Q(status="probationary")),
            mobile=Count("id", filter=Q(is_mobile=True)),
            lost_contact=Count("id", filter=Q(is_lost_contact=True)),
            needy=Count("id", filter=Q(is_needy=True)),
            since_2012=Count("id", filter=Q(admitted_on__gte=dt.date(2012, 11, 8))),
            before_1978=Count("id", filter=Q(admitted_on__lt=dt.date(1978, 12, 18))),
        )
        occupations = dict(qs.values_list("occupation").annotate(c=Count("id")).order_by())
    n = agg.pop("n") or 1
    out = {k: round(100 * v / n, 1) for k, v in agg.items()}
    out.update({f"occupation.{k}": round(100 * v / n, 1) for k, v in sorted(occupations.items())})
    out["members"] = n
    return out
