"""What the calendar tells the apps above it when it changes. An app whose stored data is computed with
working days registers a refresh in its `AppConfig.ready()` (recruitment: the stored next steps of its open
dossiers):

    registry.register_refresh("recruitment_next_steps", refresh)

`refresh(*, years, today) -> str` brings the app's stored data up to date for a change of the calendar in
`years` and returns a line to show. The calendar's services call every refresh inside the transaction of the
change, after forgetting the cached years, so what is stored agrees with the calendar as soon as the change is
committed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Refresh = Callable[..., str]

_REFRESHES: dict[str, Refresh] = {}


def register_refresh(name: str, refresh: Refresh) -> Refresh:
    """Register (or replace) the refresh called `name`; returns it, so it can decorate."""
    _REFRESHES[name] = refresh
    return refresh


def refresh_all(*, years: frozenset[int], today: dt.date) -> list[str]:
    """Run every registered refresh for a change in `years`; their lines, in registration order."""
    return [refresh(years=years, today=today) for refresh in _REFRESHES.values()]
