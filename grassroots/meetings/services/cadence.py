"""The maintained cadence counts (per org, kind and period), kept by the services that change meetings, and the
refresh of the subtree rollup (`cadence_refresh`: nightly and on demand)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from grassroots.audit.services import record
from grassroots.core import derived, permissions
from grassroots.core.scoping import Scope, unscoped
from grassroots.orgs.models import Org

from .. import cadence
from ..models import Meeting, SubtreeCadence, Talk


def _counted(org: Org, kind: str, on: dt.date) -> None:
    start = cadence.period_start(kind, on)
    if start is None:
        return
    cadence.bump(org.pk, kind, start)
    _move_rollup(org, cadence.RULE_OF_KIND[kind].rule_id, on.year)


def _move_rollup(org: Org, rule_id: str, year: int) -> None:
    """The org's own standing for the rule may have changed (a late meeting turns a period that ended short
    into one done): recompute it from the rules, and shift the org's stored rollup row and its ancestors' by
    the difference in one set-based UPDATE. The org's row is locked first, so two finalizations of one org take
    turns. Without a stored row (an org created since the last refresh) the next refresh writes it."""
    today = timezone.localdate()
    with unscoped():
        row = (
            SubtreeCadence.objects.unscoped_all()
            .select_for_update()
            .filter(org=org, year=year, rule_id=rule_id)
            .values_list("pk", "own_judged", "own_periods_behind")
            .first()
        )
    if row is None:
        return
    _pk, judged_before, behind_before = row
    judged, behind = cadence.own_standing(org, [rule_id], year, today).get(rule_id, (False, 0))
    if (judged, behind) == (judged_before, behind_before):
        return
    with unscoped():
        SubtreeCadence.objects.unscoped_all().filter(pk=row[0]).update(
            own_judged=judged, own_periods_behind=behind
        )
    paths = [org.path[:i] for i in range(Org.steplen, len(org.path) + 1, Org.steplen)]
    cadence.shift_ancestors(
        paths,
        year,
        rule_id,
        int(judged) - int(judged_before),
        int(behind > 0) - int(behind_before > 0),
        behind - behind_before,
    )


def meeting_counted(meeting: Meeting) -> None:
    """Hook called in the finalizing transaction, once the meeting's minutes are final: the meeting now counts
    for its org's cadence in the period of its held date (one set-based increment, race-safe)."""
    _counted(meeting.org, meeting.kind, meeting.held_on or meeting.planned_on)


def talk_counted(talk: Talk) -> None:
    """Hook called in the transaction that records a heart-to-heart talk (MTG-TALK-Y): it counts for the year
    of its date."""
    _counted(talk.org, cadence.crules.TALK, talk.held_on)


def _years(today: dt.date) -> list[int]:
    """The years a refresh recomputes: this one, and the last one in January (its December ends then)."""
    return [today.year - 1, today.year] if today.month == 1 else [today.year]


@transaction.atomic
def cadence_refresh(
    *,
    scope: Scope,
    actor,
    org: Org | None = None,
    years: list[int] | None = None,
    today: dt.date | None = None,
) -> list[str]:
    """Correct the stored counts that differ from the finalized meetings and talks (audited), then recompute the
    subtree rollup of `org` (or of the caller's whole scope) for `years` as of `today`, writing only the rows
    that differ. Org admins (permissions.ADMIN). Returns the lines to print."""
    today = today or timezone.localdate()
    prefixes = derived.subtrees(scope, org.path if org is not None else None, permissions.ADMIN)
    lines = []
    with unscoped():
        roots = (
            [org]
            if org is not None
            else list(Org.objects.unscoped_all().filter(depth=1))
            if prefixes == [None]
            else list(Org.objects.unscoped_all().filter(path__in=prefixes))
        )
    for root in roots:
        drifted = cadence.count_drift(root.path)
        if drifted:
            cadence.counts_overwrite(drifted)
            lines += [f"corrected {d.describe()}" for d in drifted]
            record(
                actor=actor,
                action="cadence.refresh",
                target=root,
                org_id=root.pk,
                changes={"counts_corrected": [None, len(drifted)]},
            )
        for year in years or _years(today):
            diff = cadence.rollup_write(root.path, year, today, root)
            lines.append(
                f"cadence {root.code} {year}: {len(drifted)} counts corrected, rollup {diff.inserted} added, "
                f"{diff.changed} changed, {diff.deleted} removed (as of {today.isoformat()})"
            )
    return lines
