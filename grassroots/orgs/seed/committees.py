"""The committees of the demo tree, elected from the members the members hook makes for each org.

A grassroots org (branch, or any org that is not a committee) elects its committee from its own full members as
soon as they are made (`Committees.offer`); a committee, working committee or general branch collects
candidates (its own full members and the three longest-standing of each org below it, at most a dozen) and
elects once every org's members are made (`Committees.elect_rest`). Each election draws from its own random
stream, seeded by (seed, org code); committee and post ids follow the order of the elections.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from grassroots.core.dates import add_years

from .. import rules
from .nodes import STEPLEN, Node

COMMITTEE_COLUMNS = ("id", "org_id", "elected_on", "term_years", "term_ends_on", "created_at")
POST_COLUMNS = ("id", "committee_id", "member_id", "role", "started_on", "ended_on")
COMMITTEE_KINDS = frozenset({"committee", "working_committee", "general_branch"})
POOL_MAX = 12  # candidates collected for an upper committee

# A candidate: (member id, converted_on, retiree), as `members.seed.people.PeopleFactory.last` holds them.
Candidate = tuple[int, dt.date, bool]

BRANCH_ROLES = ("secretary", "organization_officer", "publicity_officer", "discipline_officer")
UPPER_ROLES = (
    "secretary",
    "deputy_secretary",
    "organization_officer",
    "publicity_officer",
    "discipline_officer",
)


def committee_roles(node: Node, full_members: int, rng: random.Random) -> tuple[str, ...]:
    """The posts of a newly elected committee (ORG-COMMITTEE-7: 3-5 members, at most 7)."""
    if node.kind in ("committee", "working_committee"):
        extra = rng.choice(((), ("mass_work_officer",), ("mass_work_officer", "member")))
        return UPPER_ROLES + extra
    if node.kind == "general_branch" or full_members >= 7:
        roles = BRANCH_ROLES
        if rng.random() < 0.35:
            roles = ("secretary", "deputy_secretary", *roles[1:])
        return roles
    return ("secretary",)


def elect(
    node: Node, candidates: list[tuple[int, dt.date, bool]], rng: random.Random, as_of: dt.date, term: int
):
    """(elected_on, [(member_id, role, ended_on)]) for `node`, or None when no full member can serve."""
    standing = as_of - dt.timedelta(days=370)
    eligible = [c for c in candidates if c[1] <= standing] or list(candidates)
    if not eligible:
        return None
    # Secretaries are working members with the longest standing among a few; the rest in order.
    eligible = sorted(eligible, key=lambda c: (c[2], c[1]))
    seen: set[int] = set()
    ordered = []
    for c in eligible:
        if c[0] not in seen:
            seen.add(c[0])
            ordered.append(c)
    roles = committee_roles(node, len(candidates), rng)[: len(ordered)]
    head = ordered[: min(3, len(ordered))]
    secretary = head[rng.randrange(len(head))]
    rest = [c for c in ordered if c is not secretary]
    rng.shuffle(rest)
    people = [secretary, *rest]
    days = term * 365
    if node.term_flavor == "overdue":
        elected = as_of - dt.timedelta(days=days + rng.randint(30, 500))
    elif node.term_flavor == "vacant":
        elected = as_of - dt.timedelta(days=rng.randint(400, days - 30))
    else:
        elected = as_of - dt.timedelta(days=rng.randint(20, days - 30))
    posts = []
    for person, role in zip(people, roles, strict=False):
        ended = node.vacant_since if (role == "secretary" and node.term_flavor == "vacant") else None
        posts.append((person[0], role, ended))
    return elected, posts


class Committees:
    """The committees and posts of the tree, as rows ready to load, in the order they were elected."""

    def __init__(
        self, nodes: list[Node], rng: Callable[..., random.Random], as_of: dt.date, now: dt.datetime
    ):
        self.rng = rng
        self.as_of = as_of
        self.now = now
        self.by_path = {n.path: n for n in nodes}
        self.pools: dict[str, list[Candidate]] = {n.path: [] for n in nodes if n.kind in COMMITTEE_KINDS}
        self.rows: list[tuple] = []
        self.posts: list[tuple] = []

    def _elect(self, node: Node, candidates: list[Candidate]) -> None:
        term = rules.term_years(node.kind, node.unit_kind)
        result = elect(node, candidates, self.rng("committee", node.code), self.as_of, term)
        if result is None:
            return
        elected, chosen = result
        cid = len(self.rows) + 1
        self.rows.append((cid, node.id, elected, term, add_years(elected, term), self.now))
        for member_id, role, ended in chosen:
            self.posts.append((len(self.posts) + 1, cid, member_id, role, elected, ended))

    def offer(self, node: Node, full: list[Candidate]) -> None:
        """The full members of `node` who may serve: a grassroots org elects from them now; an upper org keeps
        them for later, and the three longest-standing working ones are offered to the orgs above."""
        if node.kind in COMMITTEE_KINDS:
            self.pools[node.path].extend(full)
        else:
            self._elect(node, full)
        best = sorted((c for c in full if not c[2]), key=lambda c: c[1])[:3]
        if best:
            for k in range(STEPLEN, len(node.path), STEPLEN):
                pool = self.pools.get(node.path[:k])
                if pool is not None and len(pool) < POOL_MAX:
                    pool.extend(best)

    def elect_rest(self) -> None:
        """The upper orgs' elections, in tree order, once every org's members are made."""
        for path, pool in self.pools.items():
            self._elect(self.by_path[path], pool)
