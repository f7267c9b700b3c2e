"""What orgs learns from the apps above it (members, recruitment) without importing them.

A member belongs to an org, so members sits above orgs in the layers (pyproject.toml). Yet the ORG-* rules
count an org's members, an org may end only when it holds none, and the org page shows member figures and
opens the member and recruitment pages. Each of these comes through one registry below, filled by the app
that knows it in its `AppConfig.ready()` and read by orgs:

- `member_figures()`: member counts (own per org for the ORG-* facts, per subtree, per child) and whether a
  subtree still holds active members (ORG-END-EMPTY). Filled by members. Fails closed: read before anyone
  filled it, it raises `Unregistered` — a zero would store wrong warnings or let an org with members end.
- `committee_candidates()`: the members who may sit on an org's committee, and the chosen ones by id.
  Filled by members. Unfilled, it answers nobody, so no election can be recorded.
- `member_pages()`: the addresses of the member register (of an org, by status) and of a member's page.
  Filled by members. Unfilled (None), the org page shows its figures without links.
- `org_links(place, …)`: the tabs of the org header (TAB) and the buttons of its member card (ACTION), each
  with its own visibility rule. Filled by members and recruitment. Unfilled, there are none.

Each registry holds one provider (a second registration replaces the first), except the links, which are
kept by key. Reading a provider costs a dictionary lookup: the member figures are read on hot paths.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from grassroots.core.scoping import Scope

from .models import Org

# `where(rel)`: a filter selecting the orgs asked about through the relation `rel` of the model queried
# ("org" for a model with an `org` foreign key), e.g. a path-prefix scan for a subtree or an id match.
Where = Callable[[str], Q]


class Unregistered(ImproperlyConfigured):
    """A registry read before the app that fills it registered (is the app installed and ready?)."""


class OwnCounts(NamedTuple):
    """An org's own direct members (not its subtree's): the full members and all active ones."""

    full: int
    active: int


@dataclass(frozen=True)
class MemberFigures:
    """The member counts orgs reads, from the maintained per-org figures members keeps."""

    # own_counts(where) -> {org id: OwnCounts} for the orgs `where` selects that have active members (one query).
    own_counts: Callable[[Where], dict[int, OwnCounts]]
    # subtree_counts(*, scope, org) -> members of the whole subtree by status, and "active" (one query).
    subtree_counts: Callable[..., dict[str, int]]
    # child_counts(*, scope, org) -> {child path: {status: n}}: each direct child's subtree (one query).
    child_counts: Callable[..., dict[str, dict[str, int]]]
    # holds_active_members(*, scope, org) -> whether any active member is in the subtree (one query).
    holds_active_members: Callable[..., bool]


@dataclass(frozen=True)
class CommitteeCandidates:
    """Who may be elected to an org's committee."""

    # candidates(*, scope, org) -> [(member id, label)]: the org's own members first, then its subtree's.
    candidates: Callable[..., list[tuple[int, str]]]
    # chosen(*, scope, ids) -> {member id: member} of those the caller may read (each with `.name`, `.org`).
    chosen: Callable[..., dict[int, Any]]


_NO_CANDIDATES = CommitteeCandidates(candidates=lambda **kw: [], chosen=lambda **kw: {})


@dataclass(frozen=True)
class MemberPages:
    """Where the member pages are."""

    # list_urls() -> url(org, status="") of the member register of `org`'s subtree (of one status). Called
    # once per page: the builder it returns is cheap per row.
    list_urls: Callable[[], Callable[[Org, str], str]]
    # detail_url(member id) -> the member's page.
    detail_url: Callable[[int], str]


TAB = "tab"  # a tab of the org header, after the org's own
ACTION = "action"  # a button of the org page's member card


@dataclass(frozen=True)
class OrgLink:
    """A page of a higher app about one org, offered on the org pages where `visible(scope, org)` holds."""

    key: str  # stable: the element id is "tab-<key>" / "action-<key>"
    label: Any  # a lazy translation
    url: Callable[[Org], str]
    visible: Callable[[Scope, Org], bool]
    order: int
    icon: str = ""  # a Bootstrap icon name, for buttons
    style: str = "secondary"  # a Bootstrap button colour, for buttons


@dataclass(frozen=True)
class ShownLink:
    """An OrgLink resolved for one org and one caller."""

    key: str
    label: str
    url: str
    icon: str
    style: str


_MEMBER_FIGURES: dict[str, MemberFigures] = {}
_COMMITTEE_CANDIDATES: dict[str, CommitteeCandidates] = {}
_MEMBER_PAGES: dict[str, MemberPages] = {}
_LINKS: dict[str, dict[str, OrgLink]] = {TAB: {}, ACTION: {}}


def register_member_figures(provider: MemberFigures) -> None:
    _MEMBER_FIGURES["provider"] = provider


def member_figures() -> MemberFigures:
    """The registered member figures; raises Unregistered when nobody registered them (fail closed)."""
    try:
        return _MEMBER_FIGURES["provider"]
    except KeyError:
        raise Unregistered("no member figures registered with grassroots.orgs.registry") from None


def register_committee_candidates(provider: CommitteeCandidates) -> None:
    _COMMITTEE_CANDIDATES["provider"] = provider


def committee_candidates() -> CommitteeCandidates:
    """The registered candidates; when nobody registered them, nobody is a candidate."""
    return _COMMITTEE_CANDIDATES.get("provider", _NO_CANDIDATES)


def register_member_pages(pages: MemberPages) -> None:
    _MEMBER_PAGES["provider"] = pages


def member_pages() -> MemberPages | None:
    """The registered member pages; None when nobody registered them (the org page then links nowhere)."""
    return _MEMBER_PAGES.get("provider")


def register_org_link(link: OrgLink, *, place: str) -> OrgLink:
    """Offer `link` at `place` (TAB or ACTION); a link of the same key replaces the earlier one."""
    if place not in _LINKS:
        raise ValueError(f"unknown place {place!r}: use registry.TAB or registry.ACTION")
    _LINKS[place][link.key] = link
    return link


def org_links(place: str, *, scope: Scope, org: Org) -> list[ShownLink]:
    """The links at `place` the caller may follow for `org`, in their order (none when nobody registered)."""
    return [
        ShownLink(key=link.key, label=str(link.label), url=link.url(org), icon=link.icon, style=link.style)
        for link in sorted(_LINKS[place].values(), key=lambda link: (link.order, link.key))
        if link.visible(scope, org)
    ]
