"""What the orgs app registers with core (run once, from OrgsConfig.ready()): the 组织树 entry of the menu."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.core import menu, permissions


def register() -> None:
    # Any role reads the orgs of its grants; a user without a grant would find the tree empty.
    menu.register(
        "orgs", label=_("组织树"), url="orgs:tree", order=20, visible=menu.holding(permissions.ORG_VIEW)
    )
