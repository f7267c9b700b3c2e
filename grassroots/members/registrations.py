"""What the members app registers with the lower layers (run once, from MembersConfig.ready()).

- orgs.registry: the member figures the ORG-* rules, the end guard and the org pages read; the committee
  candidates of an election; the addresses of the member pages; the org header's 党员 tab and the member
  card's 新建党员档案 button.
- core.menu: the 党员 and 转接 entries of the main menu.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from grassroots.core import menu, permissions
from grassroots.orgs import registry
from grassroots.orgs.choices import OrgKind

from . import figures, selectors


def member_list_urls():
    """url(org, status="") of the member register of `org`'s subtree (of one status), the list's address
    reversed once for all the rows of a page."""
    base = reverse("members:list")

    def url(org, status: str = "") -> str:
        query = {"org": org.code, "status": status} if status else {"org": org.code}
        # Percent-encoded: nothing in it can end an HTML attribute, so its "&" is written as is.
        return mark_safe(f"{base}?{urlencode(query)}")

    return url


def member_url(member_id: int) -> str:
    return reverse("members:detail", args=[member_id])


def register() -> None:
    registry.register_member_figures(
        registry.MemberFigures(
            own_counts=figures.own_counts,
            subtree_counts=selectors.subtree_member_counts,
            child_counts=selectors.child_member_counts,
            holds_active_members=selectors.holds_active_members,
        )
    )
    registry.register_committee_candidates(
        registry.CommitteeCandidates(
            candidates=selectors.committee_candidates, chosen=selectors.members_by_id
        )
    )
    registry.register_member_pages(registry.MemberPages(list_urls=member_list_urls, detail_url=member_url))
    registry.register_org_link(
        registry.OrgLink(
            key="members",
            label=_("党员"),
            url=lambda org: member_list_urls()(org),
            visible=lambda scope, org: permissions.allows(scope, permissions.MEMBER_VIEW, org.path),
            order=10,
        ),
        place=registry.TAB,
    )
    registry.register_org_link(
        registry.OrgLink(
            key="member-create",
            label=_("新建党员档案"),
            url=lambda org: reverse("members:create", args=[org.code]),
            visible=lambda scope, org: (
                org.kind != OrgKind.GROUP and permissions.allows(scope, permissions.ORG_EDIT, org.path)
            ),
            order=10,
            icon="person-plus",
            style="danger",
        ),
        place=registry.ACTION,
    )
    # The register is for the roles that read members; a member reads their own record from 我的档案 (the
    # user menu), not from a register listing one line.
    menu.register(
        "members",
        label=_("党员"),
        url="members:list",
        order=30,
        visible=menu.holding(permissions.MEMBER_VIEW),
    )
    menu.register(
        "transfers",
        label=_("转接"),
        url="members:transfers",
        order=50,
        visible=menu.holding(permissions.MEMBER_EDIT),
    )
