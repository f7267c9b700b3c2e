"""What the recruitment app registers with the lower layers (run once, from RecruitmentConfig.ready()).

- core.todo and core.summaries: its deadlines and open dossiers (recruitment/todo.py).
- orgs.registry: the org header's 发展党员 tab and the member card's 登记入党申请人 button.
- core.menu: the 发展党员 entry of the main menu, for the roles that read dossiers (those that read members).
- workcalendar.registry: the refresh of the stored next steps when the working-day calendar changes.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.core import menu, permissions, summaries, todo
from grassroots.orgs import registry
from grassroots.orgs.choices import OrgKind
from grassroots.workcalendar import registry as calendar_registry

from . import services
from . import todo as recruitment_todo

# Who reads dossiers: the roles that read member records (selectors._viewable).
DOSSIER_VIEW = permissions.MEMBER_VIEW


def register() -> None:
    todo.register(
        recruitment_todo.due_items,
        category=recruitment_todo.CATEGORY,
        label=_("发展党员"),
        list_url=recruitment_todo.board_url,
    )
    summaries.register(recruitment_todo.org_summary, category=recruitment_todo.CATEGORY)
    registry.register_org_link(
        registry.OrgLink(
            key="recruitment",
            label=_("发展党员"),
            url=recruitment_todo.board_url,
            visible=lambda scope, org: (
                org.kind != OrgKind.GROUP and permissions.allows(scope, DOSSIER_VIEW, org.path)
            ),
            order=20,
        ),
        place=registry.TAB,
    )
    registry.register_org_link(
        registry.OrgLink(
            key="applicant-create",
            label=_("登记入党申请人"),
            url=lambda org: reverse("recruitment:create", args=[org.code]),
            visible=lambda scope, org: (
                org.kind == OrgKind.BRANCH
                and org.ended_on is None
                and permissions.allows(scope, permissions.ORG_EDIT, org.path)
            ),
            order=20,
            icon="person-plus",
        ),
        place=registry.ACTION,
    )
    calendar_registry.register_refresh("recruitment_next_steps", services.next_steps_calendar_refresh)
    menu.register(
        "recruitment",
        label=_("发展党员"),
        url="recruitment:board",
        order=40,
        visible=menu.holding(DOSSIER_VIEW),
    )
