"""What the member page learns from higher apps (meetings, later dues) without importing them: small badges
beside the member's status (the lapse watch's 连续N个月未参加组织生活, say). Filled in the higher apps'
`AppConfig.ready()`; nobody registered: no badge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from grassroots.core.scoping import Scope


@dataclass(frozen=True)
class MemberBadge:
    label: str
    url: str
    style: str = "warning"  # a Bootstrap colour
    rule_id: str = ""


BadgeProvider = Callable[..., "MemberBadge | None"]
_BADGES: dict[str, BadgeProvider] = {}


def register_member_badge(key: str, provider: BadgeProvider) -> None:
    """`provider(*, scope, member, today) -> MemberBadge | None` (None where the caller may not see it)."""
    _BADGES[key] = provider


def member_badges(*, scope: Scope, member: Any, today: dt.date) -> list[MemberBadge]:
    return [b for fn in _BADGES.values() if (b := fn(scope=scope, member=member, today=today)) is not None]
