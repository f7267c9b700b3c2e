"""Reads on the org tree. Every function takes the caller's scope; subtree reads are path-prefix scans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet

from grassroots.core import permissions, pinyin
from grassroots.core.errors import NotFound
from grassroots.core.scoping import Scope, subtree_q, unscoped
from grassroots.core.textsearch import normalize_query, prefix_q

from . import registry, rules, warning_store
from .choices import OrgKind
from .models import CommitteeMember, Org, OrgCommittee, OrgUnit, OrgWarningState


def org_get(*, scope: Scope, code: str, roles: frozenset[str] | None = None) -> Org:
    """The org the caller asks for by code, fetched and authorized in one call: NotFound when it is missing or
    outside the scope (the same answer), PermissionDenied when `roles` are given and the caller has none of
    them there (core.permissions)."""
    org = Org.objects.within(scope).filter(code=code).first()
    if org is None:
        raise NotFound
    if roles is not None:
        permissions.require(scope, roles, org.path)
    return org


def org_if_named(*, scope: Scope, code: str | None) -> Org | None:
    """The org of an optional `?org=` / `--org` code (`org_get`: NotFound when missing or out of scope), or
    None when no code is given."""
    code = (code or "").strip()
    return org_get(scope=scope, code=code) if code else None


def org_get_by_id(*, scope: Scope, org_id: int) -> Org:
    org = Org.objects.within(scope).filter(pk=org_id).first()
    if org is None:
        raise NotFound
    return org


def org_list(*, scope: Scope, parent: Org | None = None, include_ended: bool = False) -> QuerySet[Org]:
    """One level of the tree, in tree order: the highest orgs the caller sees (the roots of their grants, or
    the tree's roots for the system), or the children of `parent` (open ones unless `include_ended`)."""
    if parent is not None:
        qs = Org.objects.within(scope).filter(subtree_q("path", parent.path), depth=parent.depth + 1)
        if not include_ended:
            qs = qs.filter(ended_on__isnull=True)
    elif scope.is_system:
        qs = Org.objects.within(scope).filter(depth=1)
    else:
        qs = Org.objects.within(scope).filter(path__in=scope.roots)
    return qs.order_by("path")


def org_top_level(*, scope: Scope) -> list[Org]:
    """The highest orgs the caller sees: the roots of their grants (or the tree's roots for the system)."""
    return list(org_list(scope=scope))


def org_children(*, scope: Scope, org: Org, include_ended: bool = False) -> list[Org]:
    return list(org_list(scope=scope, parent=org, include_ended=include_ended))


def org_ancestors(*, scope: Scope, org: Org) -> list[Org]:
    """The chain above `org` that the caller may see (for breadcrumbs), top first."""
    paths = [org.path[:i] for i in range(Org.steplen, len(org.path), Org.steplen)]
    return list(Org.objects.within(scope).filter(path__in=paths).order_by("depth"))


def org_search(*, scope: Scope, q: str, limit: int = 20) -> list[Org]:
    q = normalize_query(q)
    if not q:
        return []
    return list(
        Org.objects.within(scope)
        .filter(Q(name__contains=q) | Q(short_name__contains=q) | Q(code__istartswith=q))
        .order_by("depth", "path")[:limit]
    )


PICK_LIMIT = 15


def org_name_q(q: str) -> Q:
    """Orgs matching a picker's text: Latin letters match the start of the name's pinyin or initials (without
    the leading 中共: "ceshiju", "csj") or of the code; other text a part of the name or short name, or the
    start of the code."""
    q = q.strip()
    if pinyin.is_pinyin_query(q):
        lowered = q.lower().replace(" ", "")
        return (
            prefix_q("name_pinyin", lowered)
            | prefix_q("name_initials", lowered)
            | Q(code__istartswith=q.replace(" ", ""))
        )
    return Q(name__contains=q) | Q(short_name__contains=q) | Q(code__istartswith=q)


def move_destinations(*, scope: Scope, org: Org, q: str, limit: int = PICK_LIMIT) -> list[Org]:
    """The orgs `org` may be moved under, matching `q`: open orgs where the caller is org admin, outside
    `org`'s own subtree and not party groups (ORG-MOVE-CYCLE, ORG-KIND-NESTING are still the service's)."""
    q = q.strip()
    admin = scope.with_roles(permissions.ADMIN)
    if not q or admin.is_empty:
        return []
    return list(
        Org.objects.within(admin)
        .filter(org_name_q(q), ended_on__isnull=True)
        .exclude(subtree_q("path", org.path))
        .exclude(kind=OrgKind.GROUP)
        .order_by("depth", "path")[:limit]
    )


def posts_held(*, scope: Scope, member_id: int) -> list[CommitteeMember]:
    """The current committee posts of one member, with their orgs: for the member's own home page (the
    caller passes their own record's id, read by members.selectors.own_member)."""
    with unscoped():
        return list(
            CommitteeMember.objects.filter(
                member_id=member_id, ended_on__isnull=True, committee__ended_on__isnull=True
            )
            .select_related("committee__org")
            .order_by("committee__org__path", "role")
        )


def subtree_member_counts(*, scope: Scope, org: Org) -> dict[str, int]:
    """Members of `org`'s whole subtree by status, and "active": one query over the maintained per-org
    figures, through the registry members fills (orgs.registry)."""
    return registry.member_figures().subtree_counts(scope=scope, org=org)


def child_member_counts(*, scope: Scope, org: Org) -> dict[str, dict[str, int]]:
    """For each direct child of `org`: active members in its subtree by status (statuses with none left out),
    in one grouped query adding up the maintained per-org figures, through the registry members fills."""
    return registry.member_figures().child_counts(scope=scope, org=org)


def current_committee(*, scope: Scope, org: Org) -> OrgCommittee | None:
    return (
        OrgCommittee.objects.filter(org=org, ended_on__isnull=True).first()
        if scope.covers(org.path)
        else None
    )


def has_committee_on(*, scope: Scope, org: Org, on: dt.date) -> bool:
    """Whether `org` had an elected committee (支委会) on `on`: one elected on or before that day and not
    replaced before it (REC-ACTIVIST-SOURCE). False outside the scope."""
    if not scope.covers(org.path):
        return False
    return (
        OrgCommittee.objects.filter(org=org, elected_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .exists()
    )


def committee_posts(*, scope: Scope, committee: OrgCommittee) -> list[CommitteeMember]:
    if not scope.covers(committee.org.path):
        raise NotFound
    with unscoped():
        return list(
            CommitteeMember.objects.filter(committee=committee, ended_on__isnull=True)
            .select_related("member")
            .order_by("id")
        )


_NO_MEMBERS = registry.OwnCounts(full=0, active=0)


def _facts_batch(orgs: list[Org], where) -> dict[int, rules.OrgFacts]:
    """OrgFacts for `orgs`, read in four set-based queries however many orgs there are.

    `where(rel)` is the filter selecting the same orgs through the relation `rel` ("org", "committee__org"):
    a path-prefix scan for a subtree, an id match for one org. The caller has checked the scope.
    """
    # Each org's own active members, from the maintained figures members keeps (no scan of the members).
    counts = registry.member_figures().own_counts(where)
    with unscoped():
        units = dict(
            OrgUnit.objects.filter(where("org")).values_list("org_id").annotate(n=Count("id")).order_by()
        )
        committees = {
            row["id"]: row
            for row in OrgCommittee.objects.filter(where("org"), ended_on__isnull=True).values(
                "id", "org_id", "elected_on", "term_ends_on", "postponement_approved_until"
            )
        }
        posts: dict[int, list[tuple[str, dt.date | None]]] = {}
        for committee_id, role, converted_on in (
            CommitteeMember.objects.filter(
                where("committee__org"), committee__ended_on__isnull=True, ended_on__isnull=True
            )
            .values_list("committee_id", "role", "member__converted_on")
            .order_by("id")
        ):
            posts.setdefault(committee_id, []).append((role, converted_on))
    committee_facts: dict[int, rules.CommitteeFacts] = {}
    for committee_id, row in committees.items():
        held = posts.get(committee_id, [])
        committee_facts[row["org_id"]] = rules.CommitteeFacts(
            elected_on=row["elected_on"],
            term_ends_on=row["term_ends_on"],
            roles=tuple(role for role, _c in held),
            postponement_approved_until=row["postponement_approved_until"],
            secretary_converted_on=next((c for role, c in held if role == "secretary"), None),
        )
    out = {}
    for org in orgs:
        own = counts.get(org.pk, _NO_MEMBERS)
        out[org.pk] = rules.OrgFacts(
            kind=org.kind,
            unit_kind=org.unit_kind,
            full_members=own.full,
            members=own.active,
            is_joint=org.is_joint,
            unit_count=max(units.get(org.pk, 0), 1),
            committee=committee_facts.get(org.pk),
            secretary_vacant_since=org.secretary_vacant_since,
        )
    return out


def org_facts(*, scope: Scope, org: Org) -> rules.OrgFacts:
    """What the ORG-* rules need to know about one org (the batch reader, for a batch of one)."""
    permissions.require(scope, permissions.ORG_VIEW, org.path)
    return _facts_batch([org], lambda rel: Q(**{rel: org}))[org.pk]


def org_warnings(*, scope: Scope, org: Org, on: dt.date) -> list[rules.OrgWarning]:
    if org.ended_on is not None:
        return []
    return rules.org_warnings(org_facts(scope=scope, org=org), on)


# The Org columns the warnings need (and the pages listing them show).
_WARNING_ORG_FIELDS = (
    "path",
    "depth",
    "numchild",
    "code",
    "name",
    "short_name",
    "kind",
    "is_joint",
    "unit_kind",
    "secretary_vacant_since",
    "ended_on",
)


def subtree_warnings(*, scope: Scope, org: Org, on: dt.date) -> list[tuple[Org, list[rules.OrgWarning]]]:
    """The ORG-* warnings of every open org in `org`'s subtree (itself included), in tree order.

    Five queries whatever the size of the subtree: its orgs, then the batch reader's four.
    """
    permissions.require(scope, permissions.ORG_VIEW, org.path)
    orgs = list(
        Org.objects.within(scope)
        .filter(subtree_q("path", org.path), ended_on__isnull=True)
        .only(*_WARNING_ORG_FIELDS)
        .order_by("path")
    )
    facts = _facts_batch(orgs, lambda rel: subtree_q(f"{rel}__path", org.path))
    return [(o, rules.org_warnings(facts[o.pk], on)) for o in orgs]


# --- the stored warnings (OrgWarningState): what dashboards over a subtree read ------------------------------


@dataclass(frozen=True)
class WarningCounts:
    """The stored warnings of a subtree at a glance: orgs per rule, orgs with any, open orgs, and the day the
    oldest of the rows was computed (None: no row)."""

    by_rule: dict[str, int]
    orgs_warned: int
    orgs_total: int
    as_of: dt.date | None


def warning_counts(*, scope: Scope, org: Org) -> WarningCounts:
    """How many open orgs of `org`'s subtree (itself included) carry each warning rule: two queries, one
    aggregate over the stored rows of the subtree's path range and one count of its open orgs."""
    permissions.require(scope, permissions.ORG_VIEW, org.path)
    inside = scope.narrowed(org.path)
    found = OrgWarningState.objects.within(inside).aggregate(
        warned=Count("org_id", distinct=True),
        as_of=Min("computed_on"),
        **{f"r{i}": Count("id", filter=Q(rule_id=rule)) for i, rule in enumerate(rules.WARNING_RULES)},
    )
    total = Org.objects.within(inside).filter(ended_on__isnull=True).count()
    return WarningCounts(
        by_rule={rule: found[f"r{i}"] for i, rule in enumerate(rules.WARNING_RULES)},
        orgs_warned=found["warned"],
        orgs_total=total,
        as_of=found["as_of"],
    )


def stored_warnings(*, scope: Scope, orgs, rule: str = "") -> dict[int, list[rules.OrgWarning]]:
    """The stored warnings of these orgs (only those of `rule` if given), in the reader's language: one query."""
    ids = [o.pk for o in orgs]
    if not ids:
        return {}
    rows = OrgWarningState.objects.within(scope).filter(org_id__in=ids)
    if rule:
        rows = rows.filter(rule_id=rule)
    return _as_warnings(rows.values_list("org_id", "rule_id", "messages"))


def _as_warnings(rows) -> dict[int, list[rules.OrgWarning]]:
    grouped: dict[int, list[tuple[str, list]]] = {}
    for org_id, rule_id, messages in rows:
        grouped.setdefault(org_id, []).append((rule_id, messages))
    order = {rule: i for i, rule in enumerate(warning_store.RULE_ORDER)}
    return {
        org_id: [
            w
            for rule_id, messages in sorted(found, key=lambda r: order.get(r[0], len(order)))
            for w in warning_store.shown(rule_id, messages)
        ]
        for org_id, found in grouped.items()
    }


def warned_orgs(*, scope: Scope, org: Org, rule: str = ""):
    """The open orgs of `org`'s subtree that carry a stored warning (of `rule` if given), in tree order, as a
    lazy queryset: the page slices it in SQL."""
    permissions.require(scope, permissions.ORG_VIEW, org.path)
    with unscoped():
        rows = OrgWarningState.objects.unscoped_all().filter(org=OuterRef("pk"))
        if rule:
            rows = rows.filter(rule_id=rule)
    return (
        Org.objects.within(scope.narrowed(org.path))
        .filter(Exists(rows))
        .only(*_WARNING_ORG_FIELDS)
        .order_by("path")
    )


def subtree_names(*, scope: Scope, org: Org, paths) -> dict[str, str]:
    """Short name (or name) by path of the orgs of `org`'s subtree at these paths (parents of listed orgs)."""
    paths = {p for p in paths if p.startswith(org.path)}
    if not paths:
        return {}
    return {
        path: short or name
        for path, short, name in Org.objects.within(scope.narrowed(org.path))
        .filter(path__in=paths)
        .values_list("path", "short_name", "name")
    }
