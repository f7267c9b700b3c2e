"""Stored org warnings against the live ones, row for row."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grassroots.core.scoping import unscoped
from grassroots.orgs import selectors, warning_store
from grassroots.orgs.models import Org, OrgWarningState
from tests.factories import SYSTEM


def live_rows(on: dt.date) -> dict[int, dict[str, list]]:
    """Every open org's warnings computed live by the single-org reader, in the stored form."""
    out = {}
    with unscoped():
        orgs = list(Org.objects.unscoped_all().filter(ended_on__isnull=True))
    for org in orgs:
        found = warning_store.stored_form(selectors.org_warnings(scope=SYSTEM, org=org, on=on))
        if found:
            out[org.pk] = found
    return out


def stored_rows() -> dict[int, dict[str, list]]:
    out: dict[int, dict[str, list]] = {}
    with unscoped():
        for org_id, rule_id, messages in OrgWarningState.objects.unscoped_all().values_list(
            "org_id", "rule_id", "messages"
        ):
            out.setdefault(org_id, {})[rule_id] = messages
    return out


def assert_stored_is_live(on: dt.date | None = None) -> None:
    assert stored_rows() == live_rows(on or timezone.localdate())
