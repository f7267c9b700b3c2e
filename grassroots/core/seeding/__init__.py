"""Deterministic demo and benchmark data: `grassroots seed --scale tiny|county|city|province --seed N`.

The same seed and scale give the same orgs (codes, names, paths) and the same people (names, ID numbers,
dates relative to the as-of date) and the same recruitment dossiers at every stage (`recruitment`, each step
checked by the recruitment rules; branch and conversion votes with their roster). About 0.3% of full members
are under 留党察看 (disciplinary probation) now, for one or two years from a day in the last year
(MEM-DISCIPLINE-TERM): they sit on no committee, are never chosen as mentor or sponsor, and are excluded from
the votes held while it lasts. Paths, depth and numchild are computed here and the rows are bulk-loaded
(COPY on PostgreSQL, one executemany transaction on SQLite): see docs/benchmarks.md for timings.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from grassroots.core.dates import add_years
from grassroots.core.scoping import unscoped

from . import load, recruitment, tree
from .people import COMMITTEE_COLUMNS, MEMBER_COLUMNS, POST_COLUMNS, PeopleFactory, elect

ORG_COLUMNS = (
    "id", "path", "depth", "numchild", "code", "name", "short_name", "kind", "is_joint", "unit_name",
    "unit_kind", "unit_relation", "phone", "contact_name", "founded_on", "approved_by", "ended_on",
    "secretary_vacant_since", "created_at", "updated_at",
)  # fmt: skip
UNIT_COLUMNS = ("id", "org_id", "name", "unit_kind", "credit_code", "staff_count", "is_legal_entity")
COMMITTEE_KINDS = frozenset({"committee", "working_committee", "general_branch"})
BRANCH_MAX = 50
SMALL_SHARE = 0.03  # branches with fewer than 3 full members (ORG-BRANCH-MIN-3)
LARGE_SHARE = 0.015  # branches with more than 50 members (ORG-BRANCH-MAX-50)
OVERDUE_SHARE = 0.07  # committees whose term has run out (ORG-TERM)
VACANT_SHARE = 0.02  # secretary post vacant (ORG-SECRETARY-1Y)


@dataclass(frozen=True)
class Scale:
    shape: str  # county | city | province
    members: int
    counties: int = 0
    cities: int = 0
    tiny: bool = False


SCALES = {
    "tiny": Scale("county", 500, tiny=True),
    "county": Scale("county", 20_000),
    "city": Scale("city", 200_000, counties=14),
    "province": Scale("province", 2_000_000, cities=10, counties=14),
}
PROVINCE_CODES = ("36", "41", "42", "43", "45", "51", "52", "53")


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


def build_tree(scale_name: str, seed: int, as_of: dt.date) -> list[tree.Node]:
    """The planned tree: every org with its path, code, name, flavor and the members it will hold."""
    scale = SCALES[scale_name]
    rng = random.Random(f"grassroots-seed:{seed}:{scale_name}")
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
        )


def _unit_rows(nodes: list[tree.Node], seed: int):
    uid = 0
    for n in nodes:
        if not n.joint_units:
            continue
        rng = random.Random(f"{seed}:units:{n.code}")
        for name in n.joint_units:
            uid += 1
            credit = f"91{n.region}MA" + "".join(
                rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8)
            )
            yield (uid, n.id, name, "private_enterprise", credit, rng.randint(8, 120), True)


def composition() -> dict[str, float]:
    """Shares (in %) of the loaded members, to compare with the end-2023 bulletin (STATISTICS.md)."""
    from django.db.models import Count, Q

    from grassroots.members.choices import COLLEGE_OR_ABOVE
    from grassroots.members.models import Member

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


def is_empty() -> bool:
    from grassroots.members.models import Member
    from grassroots.orgs.models import Org

    with unscoped():
        return not Org.objects.unscoped_all().exists() and not Member.objects.unscoped_all().exists()


def seed(
    *,
    scale: str,
    seed: int,
    replace: bool = False,
    as_of: dt.date | None = None,
    out: Callable[[str], None] = print,
) -> SeedResult:
    """Generate and load a whole tree in one transaction; refuse a non-empty database unless `replace`."""
    from grassroots.audit.services import record
    from grassroots.members import figures as member_figures
    from grassroots.members.models import Member, OrgMemberFigures
    from grassroots.orgs import rules
    from grassroots.orgs import warning_store as org_warning_store
    from grassroots.orgs.models import CommitteeMember, Org, OrgCommittee, OrgUnit, OrgWarningState
    from grassroots.recruitment.models import Applicant, RecruitmentEvent

    started = time.perf_counter()
    as_of = as_of or timezone.localdate()
    now = timezone.now()

    def say(msg: str) -> None:
        out(f"[{time.perf_counter() - started:7.1f}s] {msg}")

    with transaction.atomic():
        if not is_empty():
            if not replace:
                raise SeedRefused(
                    "the database already holds orgs or members: use --replace to wipe them first"
                )
            tables = load.wipe()
            say(f"wiped {len(tables)} tables (org tree, members, grants, audit trail)")
        load.tune_session()
        nodes = build_tree(scale, seed, as_of)
        by_path = {n.path: n for n in nodes}
        groups: dict[str, list[int]] = {}
        for n in nodes:
            if n.kind == "group":
                groups.setdefault(n.path[: -tree.STEPLEN], []).append(n.id)
        n_branches = sum(1 for n in nodes if n.kind == "branch")
        n_groups = len(nodes) - sum(1 for n in nodes if n.kind != "group")
        planned = sum(n.size for n in nodes)
        say(
            f"planned {len(nodes)} orgs ({len(nodes) - n_groups} grassroots orgs, {n_branches} branches, "
            f"{n_groups} party groups), {planned} members"
        )
        load.copy_rows(Org._meta.db_table, ORG_COLUMNS, _org_rows(nodes, now))
        load.copy_rows(OrgUnit._meta.db_table, UNIT_COLUMNS, _unit_rows(nodes, seed))
        say("orgs loaded")

        factory = PeopleFactory(seed, as_of, now)
        pools: dict[str, list] = {n.path: [] for n in nodes if n.kind in COMMITTEE_KINDS}
        committees: list[tuple] = []
        posts: list[tuple] = []

        def add_committee(node: tree.Node, candidates: list) -> None:
            crng = random.Random(f"{seed}:committee:{node.code}")
            term = rules.term_years(node.kind, node.unit_kind)
            result = elect(node, candidates, crng, as_of, term)
            if result is None:
                return
            elected, chosen = result
            cid = len(committees) + 1
            committees.append((cid, node.id, elected, term, add_years(elected, term), now))
            for member_id, role, ended in chosen:
                posts.append((len(posts) + 1, cid, member_id, role, elected, ended))

        report_every = max(50_000, planned // 10)
        branches: list[recruitment.BranchPeople] = []
        keep = recruitment.keep(as_of)

        def member_rows():
            next_report = report_every
            for node in nodes:
                if not node.size:
                    continue
                if node.kind == "branch":
                    reused = []
                    for row in factory.members(node, groups.get(node.path, [])):
                        yield row
                        kept = keep(row)
                        if kept is not None:
                            reused.append(kept)
                    branches.append(recruitment.branch_people(node, factory.last, reused, factory.last_roll))
                else:
                    yield from factory.members(node, groups.get(node.path, []))
                full = factory.last
                if node.kind in COMMITTEE_KINDS:
                    pools[node.path].extend(full)
                else:
                    add_committee(node, full)
                best = sorted((c for c in full if not c[2]), key=lambda c: c[1])[:3]
                if best:
                    for k in range(tree.STEPLEN, len(node.path), tree.STEPLEN):
                        pool = pools.get(node.path[:k])
                        if pool is not None and len(pool) < 12:
                            pool.extend(best)
                if factory.next_id > next_report:
                    done = factory.next_id - 1
                    say(f"members {done:,}/{planned:,}")
                    next_report += report_every

        members = load.copy_rows(Member._meta.db_table, MEMBER_COLUMNS, member_rows())
        say(f"members loaded: {members:,}")
        figure_rows = member_figures.fill()
        say(f"member figures filled: {figure_rows:,} orgs")
        for path, pool in pools.items():
            add_committee(by_path[path], pool)
        load.copy_rows(OrgCommittee._meta.db_table, COMMITTEE_COLUMNS, committees)
        load.copy_rows(CommitteeMember._meta.db_table, POST_COLUMNS, posts)
        say(f"committees loaded: {len(committees):,} with {len(posts):,} posts")
        warning_rows = org_warning_store.computed_rows(on=as_of)
        load.copy_rows(OrgWarningState._meta.db_table, org_warning_store.COLUMNS, warning_rows)
        say(f"org warnings stored: {len(warning_rows):,}")
        # Events first, streamed; their applicants are collected meanwhile and loaded after them (foreign keys
        # are checked at commit).
        dossiers = recruitment.RecruitmentFactory(factory, seed, as_of, now)
        events = load.copy_rows(
            RecruitmentEvent._meta.db_table, recruitment.EVENT_COLUMNS, dossiers.events(branches)
        )
        applicants = load.copy_rows(
            Applicant._meta.db_table, recruitment.APPLICANT_COLUMNS, dossiers.applicants
        )
        del branches[:]
        stages = ", ".join(f"{k} {v:,}" for k, v in sorted(dossiers.stages.items()))
        say(f"recruitment loaded: {applicants:,} dossiers ({stages}) with {events:,} steps")
        load.reset_sequences(
            [Org, OrgUnit, Member, OrgCommittee, CommitteeMember, Applicant, RecruitmentEvent]
        )
        with unscoped():
            root = Org.objects.unscoped_all().get(path=nodes[0].path)
        record(
            actor=None,
            action="seed.load",
            target=root,
            org_id=root.pk,
            changes={
                "scale": [None, scale],
                "seed": [None, seed],
                "as_of": [None, as_of.isoformat()],
                "orgs": [None, len(nodes)],
                "members": [None, members],
                "applicants": [None, applicants],
                "replaced": [None, bool(replace)],
            },
            label=f"seed {scale} #{seed}",
        )
    load.analyze(
        [
            Org._meta.db_table,
            OrgUnit._meta.db_table,
            Member._meta.db_table,
            OrgMemberFigures._meta.db_table,
            OrgWarningState._meta.db_table,
            OrgCommittee._meta.db_table,
            CommitteeMember._meta.db_table,
            Applicant._meta.db_table,
            RecruitmentEvent._meta.db_table,
        ]
    )
    seconds = time.perf_counter() - started
    say(f"done: {len(nodes):,} orgs, {members:,} members in {seconds:.1f}s")
    return SeedResult(
        orgs=len(nodes),
        groups=n_groups,
        branches=n_branches,
        members=members,
        committees=len(committees),
        posts=len(posts),
        seconds=seconds,
        root_code=nodes[0].code,
        applicants=dict(sorted(dossiers.stages.items())),
    )
