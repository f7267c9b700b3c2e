"""Reads on the org tree. Every function takes the caller's scope; subtree reads are path-prefix scans."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import Substr

from grassroots.accounts import permissions
from grassroots.core.errors import NotFound
from grassroots.core.scoping import Scope, subtree_q, unscoped

from . import rules
from .models import CommitteeMember, Org, OrgCommittee


def org_get(*, scope: Scope, code: str) -> Org:
    org = Org.objects.within(scope).filter(code=code).first()
    if org is None:
        raise NotFound
    return org


def org_get_by_id(*, scope: Scope, org_id: int) -> Org:
    org = Org.objects.within(scope).filter(pk=org_id).first()
    if org is None:
        raise NotFound
    return org


def org_top_level(*, scope: Scope) -> list[Org]:
    """The highest orgs the caller sees: the roots of their grants (or the tree's roots for the system)."""
    if scope.is_system:
        return list(Org.objects.within(scope).filter(depth=1).order_by("path"))
    return list(Org.objects.within(scope).filter(path__in=scope.roots).order_by("path"))


def org_children(*, scope: Scope, org: Org, include_ended: bool = False) -> list[Org]:
    qs = Org.objects.within(scope).filter(subtree_q("path", org.path), depth=org.depth + 1)
    if not include_ended:
        qs = qs.filter(ended_on__isnull=True)
    return list(qs.order_by("path"))


def org_ancestors(*, scope: Scope, org: Org) -> list[Org]:
    """The chain above `org` that the caller may see (for breadcrumbs), top first."""
    paths = [org.path[:i] for i in range(Org.steplen, len(org.path), Org.steplen)]
    return list(Org.objects.within(scope).filter(path__in=paths).order_by("depth"))


def org_search(*, scope: Scope, q: str, limit: int = 20) -> list[Org]:
    q = q.strip()
    if not q:
        return []
    return list(
        Org.objects.within(scope)
        .filter(Q(name__contains=q) | Q(short_name__contains=q) | Q(code__istartswith=q))
        .order_by("depth", "path")[:limit]
    )


def child_member_counts(*, scope: Scope, org: Org) -> dict[str, dict[str, int]]:
    """For each direct child of `org`: active members in its subtree by status, in one grouped query."""
    from grassroots.members.choices import ACTIVE_STATUSES
    from grassroots.members.models import Member

    child_len = len(org.path) + Org.steplen
    rows = (
        Member.objects.within(scope)
        .filter(subtree_q("org__path", org.path), status__in=ACTIVE_STATUSES)
        .annotate(child=Substr("org__path", 1, child_len))
        .values("child", "status")
        .annotate(n=Count("id"))
    )
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        if len(row["child"]) == child_len:
            out.setdefault(row["child"], {})[row["status"]] = row["n"]
    return out


def current_committee(*, scope: Scope, org: Org) -> OrgCommittee | None:
    return (
        OrgCommittee.objects.filter(org=org, ended_on__isnull=True).first()
        if scope.covers(org.path)
        else None
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


def org_facts(*, scope: Scope, org: Org) -> rules.OrgFacts:
    """What the ORG-* rules need to know about one org, read in a handful of queries."""
    from grassroots.members.choices import ACTIVE_STATUSES, MemberStatus
    from grassroots.members.models import Member

    permissions.require(scope, permissions.ORG_VIEW, org.path)
    with unscoped():
        counts = dict(
            Member.objects.filter(org=org, status__in=ACTIVE_STATUSES)
            .values("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        unit_count = org.units.count()
    committee = current_committee(scope=scope, org=org)
    committee_facts = None
    if committee is not None:
        posts = committee_posts(scope=scope, committee=committee)
        secretary = next((p for p in posts if p.role == "secretary"), None)
        committee_facts = rules.CommitteeFacts(
            elected_on=committee.elected_on,
            term_ends_on=committee.term_ends_on,
            roles=tuple(p.role for p in posts),
            postponement_approved_until=committee.postponement_approved_until,
            secretary_converted_on=secretary.member.converted_on if secretary else None,
        )
    return rules.OrgFacts(
        kind=org.kind,
        unit_kind=org.unit_kind,
        full_members=counts.get(MemberStatus.FULL, 0),
        members=sum(counts.values()),
        is_joint=org.is_joint,
        unit_count=max(unit_count, 1),
        committee=committee_facts,
        secretary_vacant_since=org.secretary_vacant_since,
    )


def org_warnings(*, scope: Scope, org: Org, on: dt.date) -> list[rules.OrgWarning]:
    if org.ended_on is not None:
        return []
    return rules.org_warnings(org_facts(scope=scope, org=org), on)
