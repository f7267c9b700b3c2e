"""Stored derived data of dossiers: the next steps (Applicant.next_steps and the fields beside them) and the
milestone dates, set by the services in the step's transaction and recomputed in batches by
`next_steps_refresh` (the `recruitment_refresh` command, a policy coming into force) and `milestones_refresh`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from grassroots.core import permissions
from grassroots.core.scoping import Scope, subtree_q, unscoped
from grassroots.orgs.models import Org

from .. import rules, selectors
from ..choices import EventKind
from ..models import Applicant, RecruitmentEvent, RecruitmentPolicy

REFRESH_BATCH = 1000
_NEXT_FIELDS = ["next_steps", "next_due_on", "next_policy", "next_computed_on"]


@dataclass(frozen=True)
class Refreshed:
    checked: int  # open dossiers read
    changed: int  # of which the stored next steps were rewritten


def _store_next(
    applicant: Applicant, steps: list[rules.NextStep], policy_row: RecruitmentPolicy | None, today: dt.date
) -> None:
    """Set the dossier's stored next steps (Applicant.next_steps and the fields beside it); not saved."""
    applicant.next_steps, applicant.next_due_on = selectors.stored_next(steps)
    applicant.next_policy = policy_row
    applicant.next_computed_on = today


def _refresh_next(
    base, *, org: Org | None, today: dt.date, changed_policy: bool = False, batch_size: int = REFRESH_BATCH
) -> Refreshed:
    """Recompute the stored next steps of the open dossiers of `base` (a queryset of Applicant) in `org`'s
    subtree, in batches of `batch_size` dossiers: per batch one query for the dossiers, one for their steps,
    one for the policies, and one bulk update of those whose stored steps differ. `changed_policy`: only the
    dossiers whose policy in force today is not the one their steps were computed with."""
    qs = base.exclude(stage__in=rules.TERMINAL)
    if org is not None:
        qs = qs.filter(subtree_q("org__path", org.path))
    columns = (
        "id",
        "org__path",
        "birth_date",
        "applied_on",
        "stage",
        "next_steps",
        "next_due_on",
        "next_policy_id",
    )
    checked = changed = 0
    last = 0
    with unscoped():
        while True:
            # One transaction per batch, its dossiers locked against a step recorded meanwhile.
            with transaction.atomic():
                batch = list(
                    qs.filter(pk__gt=last)
                    .order_by("pk")
                    .select_for_update(of=("self",))
                    .values_list(*columns)[:batch_size]
                )
                if not batch:
                    break
                last = batch[-1][0]
                n, updates = _recompute(batch, today, changed_policy)
                Applicant.objects.unscoped_all().bulk_update(updates, _NEXT_FIELDS, batch_size=batch_size)
            checked += n
            changed += len(updates)
    return Refreshed(checked=checked, changed=changed)


def _stored_steps(applicant_ids: list[int]) -> dict[int, list[tuple]]:
    """The standing (not voided) steps of these dossiers as (kind, on, payload, facts) rows, oldest first (for
    `selectors.timeline_from`): one query. Callers run inside `unscoped()`."""
    events: dict[int, list[tuple]] = {aid: [] for aid in applicant_ids}
    if events:
        for aid, *event in (
            RecruitmentEvent.objects.unscoped_all()
            .filter(applicant_id__in=applicant_ids, void__isnull=True)  # a voided step no longer counts
            .order_by("applicant_id", "sequence")
            .values_list("applicant_id", "kind", "on", "payload", "facts")
        ):
            events[aid].append(event)
    return events


def _recompute(batch: list[tuple], today: dt.date, changed_policy: bool) -> tuple[int, list[Applicant]]:
    """The dossiers of `batch` (rows of `_refresh_next`'s columns) whose stored next steps differ from what
    they are today, as unsaved rows carrying the fresh ones; and how many were checked."""
    policies = selectors.policy_rows_for({row[1] for row in batch}, today)
    if changed_policy:
        batch = [row for row in batch if _policy_id(policies[row[1]]) != row[7]]
    events = _stored_steps([row[0] for row in batch])
    updates = []
    for aid, path, birth_date, applied_on, stage, stored, due_on, policy_id in batch:
        policy_row = policies[path]
        timeline = selectors.timeline_from(birth_date, applied_on, events[aid])
        steps = selectors.next_for(stage, timeline, selectors.policy_of_row(policy_row))
        if (*selectors.stored_next(steps), _policy_id(policy_row)) == (stored, due_on, policy_id):
            continue
        row = Applicant(pk=aid)
        _store_next(row, steps, policy_row, today)
        updates.append(row)
    return len(batch), updates


def milestones_refresh(*, batch_size: int = REFRESH_BATCH) -> Refreshed:
    """Recompute the stored milestone dates (Applicant.talk_on, …, `selectors.milestones_of`) of every
    dossier from its steps, writing only those that differ: after the fields are added (see apps.py) or a
    raw import. Operator-level (every dossier); derived data, so not audited. A batch per transaction."""
    checked = changed = 0
    last = 0
    with unscoped():
        while True:
            with transaction.atomic():
                batch = list(
                    Applicant.objects.unscoped_all()
                    .filter(pk__gt=last)
                    .order_by("pk")
                    .values_list("id", "birth_date", "applied_on", *selectors.MILESTONE_FIELDS)[:batch_size]
                )
                if not batch:
                    break
                last = batch[-1][0]
                events = _stored_steps([row[0] for row in batch])
                updates = []
                for aid, birth_date, applied_on, *stored in batch:
                    fresh = selectors.milestones_of(
                        selectors.timeline_from(birth_date, applied_on, events[aid])
                    )
                    if list(fresh.values()) != stored:
                        updates.append(Applicant(pk=aid, **fresh))
                Applicant.objects.unscoped_all().bulk_update(
                    updates, list(selectors.MILESTONE_FIELDS), batch_size=batch_size
                )
            checked += len(batch)
            changed += len(updates)
    return Refreshed(checked=checked, changed=changed)


def _policy_id(row: RecruitmentPolicy | None) -> int | None:
    return row.pk if row is not None else None


def next_steps_refresh(
    *,
    scope: Scope,
    actor=None,
    org: Org | None = None,
    today: dt.date | None = None,
    batch_size: int = REFRESH_BATCH,
) -> Refreshed:
    """Bring the stored next steps of the open dossiers of `org`'s subtree (or of the caller's scope) up to
    date: a policy that came into force since they were computed, a new holiday calendar. Idempotent: a
    second run changes nothing. Derived data, so not audited. For the roles that edit dossiers. One
    transaction per batch rather than one for the whole run: each batch is complete in itself, and a
    province-wide refresh does not hold the write lock for its whole duration."""
    editable = scope.with_roles(permissions.MEMBER_EDIT)
    if org is not None:
        permissions.require(scope, permissions.MEMBER_EDIT, org.path)
    return _refresh_next(
        Applicant.objects.within(editable),
        org=org,
        today=today or timezone.localdate(),
        batch_size=batch_size,
    )


def next_steps_calendar_refresh(*, years: frozenset[int], today: dt.date) -> str:
    """After the working-day calendar changed in `years` (registered with `workcalendar.registry`; run in the
    calendar's transaction): recompute the stored next steps of the open dossiers whose next steps count
    working days — those with a public notice (REC-NOTICE) from 1 January of the year before the first
    changed year on (an earlier notice cannot reach into the changed years). Operator-level, for the whole
    tree; derived data, so not audited."""
    since = dt.date(min(years) - 1, 1, 1)
    with unscoped():
        noticed = (
            RecruitmentEvent.objects.unscoped_all()
            .filter(kind=EventKind.PUBLIC_NOTICE, on__gte=since)
            .values("applicant_id")
        )
        done = _refresh_next(Applicant.objects.unscoped_all().filter(pk__in=noticed), org=None, today=today)
    return f"recruitment next steps: {done.checked} open dossiers checked, {done.changed} updated"
