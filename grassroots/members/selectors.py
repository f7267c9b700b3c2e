"""Reads on member records. Every function takes the caller's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from grassroots.core import crypto, id_number, permissions, pinyin
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import Scope, likely, subtree_q, unscoped
from grassroots.core.textsearch import normalize_query, prefix_q
from grassroots.orgs import selectors as org_selectors
from grassroots.orgs.choices import OrgKind
from grassroots.orgs.models import Org

from . import figures, rules, warning_store
from .choices import ACTIVE_STATUSES, END_STATUSES, MemberStatus, TransferStatus
from .models import Member, MemberWarningState, OrgMemberFigures, Transfer


def _viewable(scope: Scope) -> Scope:
    """The part of the scope in which the caller may read member records."""
    return scope.with_roles(permissions.MEMBER_VIEW)


def search_q(q: str, scope: Scope | None = None) -> Q:
    """The start of the name, former name, full pinyin or initials (张三 ← "张", "zhangsan", "zhang", "zs"),
    a phone number or part of it, an exact ID number, or an ID number's last four characters
    (id_number.tail_query, found through their keyed hash). Full-width input reads as half-width
    (textsearch.normalize_query). With `scope`, an ID number or its tail finds only the members whose number
    the caller may read in clear (`id_search_q`): for anyone else a search would tell whether a guessed number
    is right, and so rebuild the number that the masked form hides."""
    q = normalize_query(q)
    if not q:
        return Q()
    if pinyin.is_pinyin_query(q):
        return _by_name(pinyin.name_q(q))
    if id_number.full_query(q):
        return Q(id_number_hash=crypto.keyed_hash(id_number.normalize(q))) & id_search_q(scope)
    tail = id_number.tail_query(q)
    by_tail = Q(id_number_tail_hash=crypto.tail_hash(tail)) & id_search_q(scope) if tail else None
    if q.isascii() and q.isdigit():
        by_phone = Q(phone__contains=q)
        return by_phone | by_tail if by_tail else by_phone
    if by_tail:
        return by_tail
    return _by_name(pinyin.name_q(q) | prefix_q("former_names", q))


def id_search_q(scope: Scope | None, field_name: str = "org__path") -> Q:
    """The members (or dossiers) an ID number search may find for `scope`: those whose ID number it may read
    in clear (permissions.ID_NUMBER_VIEW, as `can_see_id_number`); everything without a scope."""
    if scope is None:
        return Q()
    allowed = scope.with_roles(permissions.ID_NUMBER_VIEW).q(field_name)
    if scope.user_id is not None and field_name == "org__path":
        allowed |= Q(user_id=scope.user_id)
    return allowed


def _by_name(q: Q) -> Q:
    """A name match as the search applies it. SQLite (without range statistics) takes any path range on the
    org for a narrow one and starts from the orgs, reading every member of a province before the name; as
    a subquery of ids the match starts from the name indexes instead (a full name: milliseconds). PostgreSQL
    plans the plain filter well from its statistics. The outer query keeps the caller's scope."""
    if connection.vendor != "sqlite":
        return q
    return Q(pk__in=Member.objects.within(Scope.system()).filter(q).values("pk"))


def member_list(
    *,
    scope: Scope,
    org: Org | None = None,
    q: str = "",
    status: str | None = None,
    statuses: tuple[str, ...] | None = None,
    flags: tuple[str, ...] = (),
    direct_only: bool = False,
    broad: bool = False,
) -> QuerySet[Member]:
    """Members the caller may read, in `org`'s subtree (or all of the scope), sorted by pinyin. `broad`: the
    caller knows that many members match (`member_count` ≥ BROAD_LIST), so SQLite is told to walk the pinyin
    order rather than read the subtree (or the status) first (core.scoping.likely); the rows are the same."""
    view = _viewable(scope)
    qs = Member.objects.within(view, broad=broad)
    if org is not None:
        permissions.require(scope, permissions.MEMBER_VIEW, org.path)
        if org.kind == OrgKind.GROUP:
            # A party group holds no memberships of its own: its members are those assigned to it.
            qs = qs.filter(party_group=org)
        elif direct_only:
            qs = qs.filter(org=org)
        else:
            qs = qs.filter(subtree_q("org__path", org.path, broad=broad))
    if status:
        qs = qs.filter(likely(Q(status=status)) if broad else Q(status=status))
    elif statuses is not None:
        qs = qs.filter(likely(Q(status__in=statuses)) if broad else Q(status__in=statuses))
    for flag in flags:
        if flag in ("is_mobile", "is_lost_contact", "is_needy"):
            qs = qs.filter(**{flag: True})
    if q:
        qs = qs.filter(search_q(q, scope))
    return qs.select_related("org", "party_group").order_by("name_sort", "id")


# From how many listed members on a page of the list is cheaper walked in pinyin order (checking each
# member's org) than read from the subtree's orgs and sorted: with N members in all, walking finds a page
# after ~50·N/n members, reading costs n; both are milliseconds around 10,000 for N up to millions.
BROAD_LIST = 10_000


def member_count(
    *,
    scope: Scope,
    org: Org | None = None,
    status: str | None = None,
    statuses: tuple[str, ...] | None = None,
) -> int:
    """How many members `member_list(scope=, org=, status=, statuses=)` lists (no search, no flags), from the
    maintained member figures instead of counting the members: one statement per subtree added up — `org`'s,
    or each root where the caller reads member records (the whole tree for the operator). The figures count
    every member of every org once, by status, and the services keep them exact (`figures.shift`)."""
    view = _viewable(scope)
    if org is not None:
        permissions.require(scope, permissions.MEMBER_VIEW, org.path)
        if org.kind == OrgKind.GROUP:
            return _group_members(view, org, status=status, statuses=statuses).count()
        prefixes = [org.path]
    elif view.is_system:
        prefixes = [""]
    else:
        prefixes = list(view.roots)
    if status:
        columns: tuple[str, ...] = (status,)
    elif statuses is not None:
        columns = tuple(statuses)
    else:
        columns = figures.COLUMNS
    total = 0
    for prefix in prefixes:
        sums = figures.subtree_sums(prefix)
        total += sum(sums.get(c, 0) for c in columns)
    return total


def _group_members(view: Scope, group: Org, *, status=None, statuses=None) -> QuerySet[Member]:
    """The members assigned to a party group (a handful: counted live, by the party_group index)."""
    qs = Member.objects.within(view).filter(party_group=group)
    if status:
        return qs.filter(status=status)
    if statuses is not None:
        return qs.filter(status__in=statuses)
    return qs


def group_member_counts(*, scope: Scope, groups: list[Org]) -> dict[str, dict[str, int]]:
    """For each party group (by its path): its assigned members by status, in one grouped query. A group holds
    no memberships of its own (MEM-ORG), so the member figures never count it."""
    if not groups:
        return {}
    out: dict[str, dict[str, int]] = {g.path: {} for g in groups}
    with unscoped():
        rows = (
            Member.objects.unscoped_all()
            .filter(party_group__in=[g.pk for g in groups])
            .values_list("party_group__path", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
        for path, status, n in rows:
            out[path][status] = n
    return out


def member_get(*, scope: Scope, member_id: int, roles: frozenset[str] | None = None) -> Member:
    """A member the caller may read: in a subtree where they may read records, or their own record. Fetch and
    authorize in one call: NotFound when missing or not readable (the same answer); with `roles`,
    PermissionDenied unless the caller has one of them at the member's org."""
    member = (
        Member.objects.within(_viewable(scope))
        .filter(pk=member_id)
        .select_related("org", "party_group")
        .first()
    )
    if member is None and scope.user_id is not None:
        member = Member.objects.within(scope).filter(pk=member_id, user_id=scope.user_id).first()
    if member is None:
        raise NotFound
    if roles is not None:
        permissions.require(scope, roles, member.org.path)
    return member


def members_by_id(*, scope: Scope, ids: list[int]) -> dict[int, Member]:
    """Members the caller may read, by id (ids outside the scope are simply absent)."""
    return {m.pk: m for m in Member.objects.within(_viewable(scope)).filter(pk__in=ids).select_related("org")}


def under_disciplinary_probation(member: Member, on: dt.date) -> bool:
    """Whether `member` is under 留党察看 on `on`, by the dates on the record (党章 Art. 39)."""
    return rules.under_disciplinary_probation(
        member.disciplinary_probation_from, member.disciplinary_probation_until, on
    )


def full_members_on(*, scope: Scope, org: Org, on: dt.date) -> list[Member]:
    """The direct members of `org` who were full members on `on`, by what the records hold: converted on or
    before `on`, and either still full or ended (suspended, transferred out, …) after `on`. Members who
    joined or were converted later are not among them. Sorted by pinyin.

    A full member whose conversion date is not recorded (older records) counts as full on `on`:
    leaving them out would shrink those who should attend, and with it the bar a vote must pass
    (REC-VOTE-QUORUM, REC-VOTE-MAJORITY)."""
    permissions.require(scope, permissions.MEMBER_VIEW, org.path)
    still_full = Q(status=MemberStatus.FULL)
    ended_later = Q(
        status__in=(*END_STATUSES, MemberStatus.SUSPENDED, MemberStatus.TRANSFERRED_OUT), ended_on__gt=on
    )
    converted = Q(converted_on__lte=on) | Q(converted_on__isnull=True, status=MemberStatus.FULL)
    return list(
        Member.objects.within(_viewable(scope))
        .filter(converted, org=org, admitted_on__lte=on)
        .filter(still_full | ended_later)
        .order_by("name_sort", "id")
    )


def was_full_member_on(member: Member, on: dt.date) -> bool:
    """Whether `member` was a full member on `on`, by the same reading of the records as `full_members_on`
    (one member, already read: a sponsor re-checked on the day of a branch vote, REC-SPONSORS)."""
    if member.admitted_on is None or member.admitted_on > on:
        return False
    if member.converted_on is None:
        converted = member.status == MemberStatus.FULL
    else:
        converted = member.converted_on <= on
    ended_later = member.status in (*END_STATUSES, MemberStatus.SUSPENDED, MemberStatus.TRANSFERRED_OUT) and (
        member.ended_on is not None and member.ended_on > on
    )
    return converted and (member.status == MemberStatus.FULL or ended_later)


def orgs_with_disciplinary_probation(*, scope: Scope, on: dt.date) -> set[int]:
    """Ids of the orgs with a full member under 留党察看 on `on` (MEM-DISCIPLINE-TERM)."""
    rows = (
        Member.objects.within(_viewable(scope))
        .filter(
            status=MemberStatus.FULL,
            disciplinary_probation_from__lte=on,
            disciplinary_probation_until__gt=on,
        )
        .values_list("org_id", flat=True)
        .distinct()
    )
    return set(rows)


def full_members_without_account(
    *, scope: Scope, on: dt.date, surnames: Iterable[str], org_kind: str
) -> QuerySet:
    """(org id, member id) of the full members of orgs of `org_kind` who have no account yet, whose name begins
    with one of `surnames` and who are not under 留党察看 on `on`, in tree order (then by id): a lazy query,
    to be read as far as needed."""
    surname = Q()
    for s in surnames:
        surname |= Q(name__startswith=s)
    return (
        Member.objects.within(_viewable(scope))
        .filter(surname, org__kind=org_kind, status=MemberStatus.FULL, user__isnull=True)
        .exclude(disciplinary_probation_from__lte=on, disciplinary_probation_until__gt=on)
        .order_by("org__path", "id")
        .values_list("org_id", "id")
    )


def member_of_user(*, scope: Scope) -> Member | None:
    """The signed-in person's own record, if they are a member."""
    if scope.user_id is None:
        return None
    return Member.objects.within(scope).filter(user_id=scope.user_id).select_related("org").first()


def own_member(*, scope: Scope) -> Member | None:
    """The signed-in person's own record by their account (Member.user), whatever their grants: a member
    reads and updates their own contact details even without a role on their branch. The one record this
    reads is the caller's own."""
    if scope.user_id is None:
        return None
    with unscoped():
        return (
            Member.objects.unscoped_all()
            .filter(user_id=scope.user_id)
            .select_related("org", "party_group")
            .first()
        )


def open_transfers_of(*, scope: Scope, member: Member) -> list[Transfer]:
    """A member's letters still in progress (issued and not yet received, or received with the receipt
    owed), for their own home page; `member` is one the caller already reads (own_member, member_get)."""
    with unscoped():
        return list(
            Transfer.objects.unscoped_all()
            .filter(member=member, status__in=(TransferStatus.ISSUED, TransferStatus.RECEIVED))
            .select_related("from_org", "to_org")
            .order_by("-issued_on", "-id")
        )


def can_see_id_number(scope: Scope, member: Member) -> bool:
    return permissions.allows(scope, permissions.ID_NUMBER_VIEW, member.org.path) or (
        scope.user_id is not None and member.user_id == scope.user_id
    )


def member_id_number(*, scope: Scope, member: Member) -> str:
    """The ID number in clear for roles that need it, masked for everyone else."""
    if member.id_number_encrypted and can_see_id_number(scope, member):
        return crypto.decrypt(member.id_number_encrypted)
    return member.id_number_masked


def subtree_member_counts(*, scope: Scope, org: Org) -> dict[str, int]:
    """Members of `org`'s whole subtree by status (and "active"): one query adding up the maintained per-org
    figures of the subtree (OrgMemberFigures), not a scan of its members (the benchmarked selector).

    Once `permissions.require` has passed, the subtree lies inside the caller's scope: the query reads by
    that one path range (as `scope.narrowed(org.path)` would)."""
    permissions.require(scope, permissions.ORG_VIEW, org.path)
    if org.kind == OrgKind.GROUP:
        assigned = group_member_counts(scope=scope, groups=[org])[org.path]
        counts = {c: assigned.get(c, 0) for c in figures.COLUMNS}
    else:
        counts = figures.subtree_sums(org.path)
    counts["active"] = sum(counts[s] for s in ACTIVE_STATUSES)
    return counts


def child_member_counts(*, scope: Scope, org: Org) -> dict[str, dict[str, int]]:
    """For each direct child of `org` (by its path): active members in its subtree by status (statuses with
    none left out), in one grouped query adding up the maintained per-org figures (the org page's children)."""
    child_len = len(org.path) + Org.steplen
    rows = (
        OrgMemberFigures.objects.within(scope.narrowed(org.path))
        .filter(org__depth__gt=org.depth)
        .annotate(child=Substr("org__path", 1, child_len))
        .values("child")
        .annotate(**{status: Sum(status) for status in ACTIVE_STATUSES})
        .order_by()
    )
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        by_status = {status: row[status] for status in ACTIVE_STATUSES if row[status]}
        if by_status:
            out[row["child"]] = by_status
    if org.kind == OrgKind.BRANCH:
        # A branch's children are its party groups: their members are the branch's own members assigned to
        # them (MEM-PARTY-GROUP), grouped by the group in one query.
        with unscoped():
            rows = (
                Member.objects.unscoped_all()
                .filter(org=org, party_group__isnull=False, status__in=ACTIVE_STATUSES)
                .values_list("party_group__path", "status")
                .annotate(n=Count("id"))
                .order_by()
            )
            for path, status, n in rows:
                out.setdefault(path, {})[status] = n
    return out


def holds_active_members(*, scope: Scope, org: Org) -> bool:
    """Whether any active member is left in `org`'s subtree (ORG-END-EMPTY: an org ends empty): one query
    over the members themselves, not the figures, since it guards a write."""
    permissions.require(scope, permissions.ORG_VIEW, org.path)
    with unscoped():
        return Member.objects.filter(org__path__startswith=org.path, status__in=ACTIVE_STATUSES).exists()


def figures_prefixes(scope: Scope, org: Org | None, roles) -> list[str | None]:
    """The subtrees a figures check or refresh covers: `org`'s, or every root of the scope (None: the whole
    tree, for the operator). The caller must hold `roles` there."""
    if org is not None:
        permissions.require(scope, roles, org.path)
        return [org.path]
    if scope.is_system:
        return [None]
    for root in scope.roots:
        permissions.require(scope, roles, root)
    return list(scope.roots)


def member_figures_drift(*, scope: Scope, org: Org | None = None) -> list[figures.Drift]:
    """Orgs of `org`'s subtree (or of the whole scope) whose maintained member figures differ from their
    members, in tree order; [] when they all agree. Reads only (monitoring: `member_figures_refresh --check`)."""
    out: list[figures.Drift] = []
    for prefix in figures_prefixes(scope, org, permissions.ORG_VIEW):
        out.extend(figures.drift(prefix))
    return out


def transfer_destination(*, code: str) -> Org:
    """The receiving org of an introduction letter, by its exact code anywhere in the tree.

    The one deliberate read outside the caller's scope: a letter may go to any org in the system. Only the
    org the caller named is returned, and only to issue the letter.
    """
    with unscoped():
        org = Org.objects.unscoped_all().filter(code=code.strip(), ended_on__isnull=True).first()
    if org is None:
        raise RuleViolation(
            "MEM-TRANSFER-LETTER",
            _("没有组织代码为“%(code)s”的党组织；转往系统外时请填写系统外党组织名称（MEM-TRANSFER-LETTER）")
            % {"code": code},
            field="to_org",
        )
    return org


def transfer_destinations(*, scope: Scope, q: str, limit: int = 15) -> list[Org]:
    """The orgs an introduction letter may go to, matching a picker's text (org_selectors.org_name_q): open
    orgs that hold members, anywhere in the tree, like `transfer_destination`. Only for callers who issue
    letters somewhere (MEMBER_EDIT); the picker shows each org's name, kind and code, nothing more."""
    q = q.strip()
    if not q or scope.with_roles(permissions.MEMBER_EDIT).is_empty:
        return []
    with unscoped():
        return list(
            Org.objects.unscoped_all()
            .filter(org_selectors.org_name_q(q), ended_on__isnull=True)
            .exclude(kind=OrgKind.GROUP)
            .only("pk", "code", "name", "short_name", "kind", "path")
            .order_by("depth", "path")[:limit]
        )


def transfers_for(*, scope: Scope, member: Member) -> list[Transfer]:
    """A member's transfers, for their record page (the caller may already read the member)."""
    return list(
        Transfer.objects.within(Scope.system())
        .filter(member=member)
        .select_related("from_org", "to_org", "reissue_of")
    )


def transfer_reissues(*, scope: Scope, transfer: Transfer) -> list[Transfer]:
    """The letters reissued in place of `transfer` (at most one), for its printed page; the caller already
    reads `transfer`, and a reissue has the same member, sending and receiving orgs."""
    with unscoped():
        return list(Transfer.objects.unscoped_all().filter(reissue_of=transfer).order_by("id"))


def _transfer_view(scope: Scope, org: Org | None) -> Scope:
    """The part of the scope in which the caller may read letters, cut down to `org`'s subtree if given."""
    view = _viewable(scope)
    if org is None:
        return view
    permissions.require(scope, permissions.MEMBER_VIEW, org.path)
    return view.narrowed(org.path)


def transfers_incoming(*, scope: Scope, org: Org | None = None) -> QuerySet[Transfer]:
    """Letters addressed to orgs in the caller's scope (or `org`'s subtree) that still wait to be received."""
    return (
        Transfer.objects.within(_transfer_view(scope, org), via="to_org__path")
        .filter(status=TransferStatus.ISSUED)
        .select_related("member__org", "from_org", "to_org")
        .order_by("valid_until", "id")
    )


def transfers_incoming_count(*, scope: Scope) -> int:
    """How many letters wait for the caller to receive them: addressed to orgs where they may edit members."""
    editable = scope.with_roles(permissions.MEMBER_EDIT)
    if editable.is_empty:
        return 0
    return Transfer.objects.within(editable, via="to_org__path").filter(status=TransferStatus.ISSUED).count()


def transfers_outgoing(*, scope: Scope, org: Org | None = None) -> QuerySet[Transfer]:
    """Letters issued by orgs in the caller's scope (or `org`'s subtree) whose receipt has not come back."""
    return (
        Transfer.objects.within(_transfer_view(scope, org))
        .filter(status__in=(TransferStatus.ISSUED, TransferStatus.RECEIVED))
        .select_related("member__org", "from_org", "to_org")
    )


def transfers_receipt_owed(*, scope: Scope, org: Org | None = None) -> QuerySet[Transfer]:
    """Letters received by orgs in the caller's scope (or `org`'s subtree) whose receipt they still owe."""
    return (
        Transfer.objects.within(_transfer_view(scope, org), via="to_org__path")
        .filter(status=TransferStatus.RECEIVED)
        .select_related("member__org", "from_org", "to_org")
    )


def transfers_completed(*, scope: Scope, org: Org | None = None, limit: int = 20) -> list[Transfer]:
    """The most recently completed transfers out of or into the caller's scope (or `org`'s subtree)."""
    view = _transfer_view(scope, org)
    qs = Transfer.objects.within(view) | Transfer.objects.within(view, via="to_org__path")
    return list(
        qs.filter(status=TransferStatus.COMPLETED)
        .select_related("member__org", "from_org", "to_org")
        .order_by("-receipt_returned_on", "-id")[:limit]
    )


def transfer_get(*, scope: Scope, transfer_id: int, roles: frozenset[str] | None = None) -> Transfer:
    """A letter issued by or addressed to an org where the caller reads member records; NotFound otherwise
    (missing and not yours answer the same). With `roles`, PermissionDenied unless the caller has one of them
    at the sending or the receiving org."""
    view = _viewable(scope)
    related = ("member", "from_org", "to_org")
    t = (
        Transfer.objects.within(view).filter(pk=transfer_id).select_related(*related).first()
        or Transfer.objects.within(view, via="to_org__path")
        .filter(pk=transfer_id)
        .select_related(*related)
        .first()
    )
    if t is None:
        raise NotFound
    if roles is not None and not any(
        permissions.allows(scope, roles, o.path) for o in (t.from_org, t.to_org) if o is not None
    ):
        raise PermissionDenied
    return t


def committee_candidates(*, scope: Scope, org: Org, limit: int = 2000) -> list[tuple[int, str]]:
    """Active members who may be elected to `org`'s committee: its own first, then the rest of its subtree
    (named with their org), sorted by pinyin. One query, plain values."""
    permissions.require(scope, permissions.ORG_EDIT, org.path)
    rows = (
        Member.objects.within(scope)
        .filter(subtree_q("org__path", org.path), status__in=ACTIVE_STATUSES)
        .values_list("pk", "name", "org_id", "org__short_name", "org__name")
        .order_by("org__path", "name_sort", "pk")[:limit]
    )
    own = [(pk, name) for pk, name, org_id, _s, _n in rows if org_id == org.pk]
    others = [
        (pk, f"{name}（{short or full}）") for pk, name, org_id, short, full in rows if org_id != org.pk
    ]
    return own + others


# --- MEM-* warnings (MemberWarningState, kept by the services: members.warning_store) -------------------------


def member_warning_counts(*, scope: Scope, org: Org, on: dt.date) -> dict[str, int] | None:
    """How many members of `org`'s subtree (a party group: its assigned members) carry each MEM-* warning on
    `on`: one aggregate over the stored rows in the subtree's path range. None where the caller may not read
    member records there."""
    if not permissions.allows(scope, permissions.MEMBER_VIEW, org.path):
        return None
    rows = MemberWarningState.objects.within(_viewable(scope).narrowed(org.path)).filter(holds_from__lte=on)
    if org.kind == OrgKind.GROUP:
        rows = rows.filter(member__party_group=org)
    found = rows.aggregate(
        **{f"r{i}": Count("id", filter=Q(rule_id=rule)) for i, rule in enumerate(rules.MEMBER_WARNING_RULES)}
    )
    return {rule: found[f"r{i}"] or 0 for i, rule in enumerate(rules.MEMBER_WARNING_RULES)}


def warned_q(rule: str, on: dt.date) -> Q:
    """Members carrying a stored warning of `rule` (any MEM-* rule for "") on `on`: for a list's filter."""
    with unscoped():
        rows = MemberWarningState.objects.unscoped_all().filter(member=OuterRef("pk"), holds_from__lte=on)
    if rule:
        rows = rows.filter(rule_id=rule)
    return Q(Exists(rows))


def member_warnings(*, scope: Scope, member: Member, on: dt.date) -> list[rules.MemberWarning]:
    """The MEM-* warnings of one record on `on`, computed from it (cheap and exact, as the org page computes
    its own ORG-* warnings): the caller has read the member; one query for a letter still out."""
    with unscoped():
        pending = Transfer.objects.unscoped_all().filter(member=member, status=TransferStatus.ISSUED).exists()
    return rules.member_warnings_on(
        rules.MemberWarningFacts(
            status=member.status,
            is_lost_contact=member.is_lost_contact,
            lost_contact_since=member.lost_contact_since,
            suspended_on=member.ended_on if member.status == MemberStatus.SUSPENDED else None,
            is_mobile=member.is_mobile,
            mobile_since=member.mobile_since,
            mobile_to=member.mobile_to,
            transfer_pending=pending,
        ),
        on,
    )


def member_warnings_drift(*, scope: Scope, org: Org | None = None) -> list[tuple[int, str, str]]:
    """(member id, rule id, "missing" | "stray" | "stale") for every stored member warning of `org`'s subtree
    (or of the scope) that differs from what the record calls for; [] when they agree. Reads only."""
    out: list[tuple[int, str, str]] = []
    for prefix in figures_prefixes(scope, org, permissions.ORG_VIEW):
        found = warning_store.sync_subtree(prefix, on=dt.date.today(), write=False)
        out.extend(found.differences or [])
    return out
