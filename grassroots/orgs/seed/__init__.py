"""The orgs' seed hook: the org tree of a demo county, city or province, its committees and stored warnings.

`load(ctx)` plans the whole tree (`build_tree`: the same seed and scale give the same codes, names and paths),
decides how many members each org will hold and which orgs show a deliberate flaw (a branch too small or too
large, a committee past its term, a secretary post vacant: the ORG-* warnings of the demo), computes the
treebeard paths, depth and numchild here and bulk-loads the orgs and the units of joint branches. It publishes
the planned tree (`Tree`) for the members hook, which makes each org's members and offers them to
`Tree.committees`; once the members and their figures are loaded, the members hook calls `Tree.finish`, which
elects the upper committees, loads the committees and their posts and stores the warnings of the as-of day.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from grassroots.core import pinyin
from grassroots.core.seeds import Scale, SeedContext

from .. import warning_store
from ..models import CommitteeMember, Org, OrgCommittee, OrgUnit, OrgWarningState
from . import tree
from .committees import COMMITTEE_COLUMNS, COMMITTEE_KINDS, POST_COLUMNS, Committees

ORG_COLUMNS = (
    "id", "path", "depth", "numchild", "code", "name", "short_name", "kind", "is_joint", "unit_name",
    "unit_kind", "unit_relation", "phone", "contact_name", "founded_on", "approved_by", "ended_on",
    "secretary_vacant_since", "created_at", "updated_at", "name_pinyin", "name_initials",
)  # fmt: skip
UNIT_COLUMNS = ("id", "org_id", "name", "unit_kind", "credit_code", "staff_count", "is_legal_entity")
BRANCH_MAX = 50
SMALL_SHARE = 0.03  # branches with fewer than 3 full members (ORG-BRANCH-MIN-3)
LARGE_SHARE = 0.015  # branches with more than 50 members (ORG-BRANCH-MAX-50)
OVERDUE_SHARE = 0.07  # committees whose term has run out (ORG-TERM)
VACANT_SHARE = 0.02  # secretary post vacant (ORG-SECRETARY-1Y)
PROVINCE_CODES = ("36", "41", "42", "43", "45", "51", "52", "53")


@dataclass
class Tree:
    """What the orgs hook produced: the planned tree in path order and the committees to elect."""

    nodes: list[tree.Node]
    groups: dict[str, list[int]]  # the party groups' ids under each branch path
    branches: int
    party_groups: int
    planned_members: int
    committees: Committees

    @property
    def root_code(self) -> str:
        return self.nodes[0].code

    def finish(self, ctx: SeedContext) -> None:
        """Once every org's members (and their figures) are loaded: the upper committees' elections, the
        committees and posts, and the ORG-* warnings of the as-of day as `warning_store` computes them."""
        committees = self.committees
        committees.elect_rest()
        ctx.copy_rows(OrgCommittee._meta.db_table, COMMITTEE_COLUMNS, committees.rows)
        ctx.copy_rows(CommitteeMember._meta.db_table, POST_COLUMNS, committees.posts)
        ctx.loaded(OrgCommittee, CommitteeMember)
        ctx.say(f"committees loaded: {len(committees.rows):,} with {len(committees.posts):,} posts")
        warning_rows = warning_store.computed_rows(on=ctx.as_of)
        ctx.copy_rows(OrgWarningState._meta.db_table, warning_store.COLUMNS, warning_rows)
        ctx.loaded(OrgWarningState, explicit_ids=False)
        ctx.say(f"org warnings stored: {len(warning_rows):,}")


def load(ctx: SeedContext) -> None:
    nodes = build_tree(ctx.scale, ctx.seed, ctx.as_of)
    groups: dict[str, list[int]] = {}
    for n in nodes:
        if n.kind == "group":
            groups.setdefault(n.path[: -tree.STEPLEN], []).append(n.id)
    n_branches = sum(1 for n in nodes if n.kind == "branch")
    n_groups = len(nodes) - sum(1 for n in nodes if n.kind != "group")
    planned = sum(n.size for n in nodes)
    ctx.say(
        f"planned {len(nodes)} orgs ({len(nodes) - n_groups} grassroots orgs, {n_branches} branches, "
        f"{n_groups} party groups), {planned} members"
    )
    ctx.copy_rows(Org._meta.db_table, ORG_COLUMNS, _org_rows(nodes, ctx.now))
    ctx.copy_rows(OrgUnit._meta.db_table, UNIT_COLUMNS, _unit_rows(nodes, ctx))
    ctx.loaded(Org, OrgUnit)
    ctx.say("orgs loaded")
    ctx.products["orgs"] = Tree(
        nodes=nodes,
        groups=groups,
        branches=n_branches,
        party_groups=n_groups,
        planned_members=planned,
        committees=Committees(nodes, ctx.rng, ctx.as_of, ctx.now),
    )


def build_tree(scale: Scale, seed: int, as_of: dt.date) -> list[tree.Node]:
    """The planned tree: every org with its path, code, name, flavor and the members it will hold."""
    rng = random.Random(f"grassroots-seed:{seed}:{scale.name}")
    b = tree.TreeBuilder(rng, as_of)
    pp = rng.choice(PROVINCE_CODES)
    if scale.shape == "county":
        b.county(None, f"{pp}0122", f"{b.place()}县", 1.0, tiny=scale.tiny)
    elif scale.shape == "city":
        b.city(None, f"{pp}0100", f"{b.place()}市", scale.counties, 1.0)
    else:
        b.province(
            f"{pp}0000", f"{rng.choice(tree.vocab.PROVINCE_NAMES)}省", scale.cities, scale.counties, 1.0
        )
    _plan(b, scale.members, rng, as_of)
    b.nodes.sort(key=lambda n: n.path)
    return b.nodes


def _plan(b: tree.TreeBuilder, target: int, rng: random.Random, as_of: dt.date) -> None:
    nodes = list(b.nodes)
    fixed = 0
    normal: list[tuple[tree.Node, float]] = []
    for n in nodes:
        if n.kind in COMMITTEE_KINDS:
            n.size = 0 if n.depth == 1 else rng.choice((0, 0, 0, 1, 2, 3))
            fixed += n.size
        elif n.kind == "branch":
            r = rng.random()
            if r < SMALL_SHARE:
                n.flavor = "small"
                n.size = rng.randint(1, 3)
                fixed += n.size
            elif r < SMALL_SHARE + LARGE_SHARE:
                n.flavor = "large"
                n.size = rng.randint(51, 85)
                fixed += n.size
            else:
                normal.append((n, n.weight * rng.gammavariate(6, 1 / 6)))
        t = rng.random()
        if t < OVERDUE_SHARE:
            n.term_flavor = "overdue"
        elif t < OVERDUE_SHARE + VACANT_SHARE:
            n.term_flavor = "vacant"
            n.vacant_since = as_of - dt.timedelta(days=rng.randint(20, 300))

    def total(f: float) -> int:
        return sum(min(BRANCH_MAX, max(3, round(w * f))) for _n, w in normal)

    lo, hi = 0.01, 100.0
    want = max(0, target - fixed)
    for _ in range(40):
        mid = (lo + hi) / 2
        if total(mid) < want:
            lo = mid
        else:
            hi = mid
    for n, w in normal:
        n.size = min(BRANCH_MAX, max(3, round(w * hi)))
    for n in nodes:
        if n.kind != "branch":
            continue
        if n.size < 7 and n.name.endswith("支部委员会"):
            n.name = n.name.removesuffix("委员会")
        if n.size >= 18 and rng.random() < 0.35:
            for i in range(1, min(4, max(2, n.size // 12)) + 1):
                b.add(
                    n,
                    "group",
                    f"{n.short_name or n.name.removeprefix('中共')}第{tree.numeral(i)}党小组",
                    n.unit_kind,
                    n.region,
                    unit_name=n.unit_name,
                    unit_relation="same_as_parent",
                    founded_on=n.founded_on,
                )


def _org_rows(nodes: list[tree.Node], now: dt.datetime):
    for n in nodes:
        yield (
            n.id,
            n.path,
            n.depth,
            len(n.children),
            n.code,
            n.name,
            n.short_name,
            n.kind,
            n.is_joint,
            n.unit_name,
            n.unit_kind,
            n.unit_relation,
            n.phone,
            "",
            n.founded_on,
            n.approved_by,
            None,
            n.vacant_since,
            now,
            now,
            *pinyin.org_keys(n.name),
        )


def _unit_rows(nodes: list[tree.Node], ctx: SeedContext):
    uid = 0
    for n in nodes:
        if not n.joint_units:
            continue
        rng = ctx.rng("units", n.code)
        for name in n.joint_units:
            uid += 1
            credit = f"91{n.region}MA" + "".join(
                rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8)
            )
            yield (uid, n.id, name, "private_enterprise", credit, rng.randint(8, 120), True)
