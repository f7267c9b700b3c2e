"""What the reports app registers with core (run once, from ReportsConfig.ready()): the 待办 (home) entry of
the menu."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.core import menu


def register() -> None:
    menu.register("home", label=_("待办"), url="home", order=10)
