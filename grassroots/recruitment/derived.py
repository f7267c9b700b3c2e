"""The recruitment dossiers' stored derived columns as derived tables (core.derived):

- `recruitment_next_steps` (Applicant.next_steps, next_due_on, next_policy, next_computed_on): the services
  store them with every step, but a policy coming into force and a new holiday calendar make them stale
  without a write, so the nightly run refreshes them; `migrate` fills the open dossiers that have none.
- `recruitment_milestones` (Applicant.talk_on, …): they depend on the steps only, so nothing makes them
  stale; `migrate` fills them once after the migration that added them.

The refreshes are `services.next_steps_refresh` and `services.milestones_refresh`; the check is here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from grassroots.core import derived, permissions
from grassroots.core.scoping import Scope, subtree_q, unscoped
from grassroots.orgs.selectors import org_if_named

from . import rules, selectors, services
from .models import Applicant, RecruitmentEvent

# The migration that added the stored milestone dates: after it runs, `migrate` fills them.
MILESTONES_MIGRATION = ("recruitment", "0004_stored_milestones")


# ---------------------------------------------------------------------------------------------- next steps


def refresh_next_steps(*, scope, actor, org: str | None = None, batch_size: int | None = None) -> list[str]:
    done = services.next_steps_refresh(
        scope=scope,
        actor=actor,
        org=org_if_named(scope=scope, code=org),
        batch_size=batch_size or services.REFRESH_BATCH,
    )
    return [f"recruitment next steps: {done.checked} open dossiers checked, {done.changed} updated"]


@dataclass(frozen=True)
class NextDrift:
    """An open dossier whose stored next steps differ from what they are today."""

    applicant_id: int
    org_code: str
    stored_due: dt.date | None
    due: dt.date | None

    def describe(self) -> str:
        if self.stored_due != self.due:
            return f"{self.org_code} dossier {self.applicant_id}: due {self.stored_due}→{self.due}"
        return f"{self.org_code} dossier {self.applicant_id}: next steps differ"


def _events(applicant_ids: list[int]) -> dict[int, list[tuple]]:
    """The stored steps of these dossiers as (kind, on, payload, facts) rows, oldest first: one query."""
    out: dict[int, list[tuple]] = {aid: [] for aid in applicant_ids}
    if out:
        with unscoped():
            for aid, *event in (
                RecruitmentEvent.objects.unscoped_all()
                .filter(applicant_id__in=applicant_ids, void__isnull=True)  # a voided step no longer counts
                .order_by("applicant_id", "sequence")
                .values_list("applicant_id", "kind", "on", "payload", "facts")
            ):
                out[aid].append(event)
    return out


def next_steps_drift(
    *, scope: Scope, org=None, today: dt.date | None = None, batch_size: int = services.REFRESH_BATCH
) -> list[NextDrift]:
    """The open dossiers of `org`'s subtree (or of the scope) whose stored next steps (or the policy they were
    computed under) differ from what `selectors.next_for` gives today, by id: read only, in batches of
    `batch_size` dossiers (per batch one query for the dossiers, one for their steps, one for the policies),
    for the roles that read dossiers."""
    day = today or timezone.localdate()
    columns = ("id", "org__path", "org__code", "birth_date", "applied_on", "stage", "next_steps")
    out: list[NextDrift] = []
    for prefix in derived.subtrees(scope, org.path if org else None, permissions.MEMBER_VIEW):
        with unscoped():
            qs = Applicant.objects.unscoped_all().exclude(stage__in=rules.TERMINAL)
            if prefix is not None:
                qs = qs.filter(subtree_q("org__path", prefix))
            last = 0
            while True:
                batch = list(
                    qs.filter(pk__gt=last)
                    .order_by("pk")
                    .values_list(*columns, "next_due_on", "next_policy_id")[:batch_size]
                )
                if not batch:
                    break
                last = batch[-1][0]
                policies = selectors.policy_rows_for({row[1] for row in batch}, day)
                events = _events([row[0] for row in batch])
                for aid, path, code, birth_date, applied_on, stage, stored, due_on, policy_id in batch:
                    policy_row = policies[path]
                    timeline = selectors.timeline_from(birth_date, applied_on, events[aid])
                    steps = selectors.next_for(stage, timeline, selectors.policy_of_row(policy_row))
                    fresh, fresh_due = selectors.stored_next(steps)
                    fresh_policy = policy_row.pk if policy_row is not None else None
                    if (fresh, fresh_due, fresh_policy) != (stored, due_on, policy_id):
                        out.append(NextDrift(aid, code, due_on, fresh_due))
    return out


def drift_next_steps(*, scope, org: str | None = None) -> list[str]:
    return [d.describe() for d in next_steps_drift(scope=scope, org=org_if_named(scope=scope, code=org))]


def next_steps_missing() -> bool:
    """Open dossiers without stored next steps (existing before the fields, or loaded raw), or whose stored
    steps predate the rule each step names (`rule_id`: every stored step carries the key, empty without a
    deadline)?"""
    open_dossiers = Applicant.objects.unscoped_all().exclude(stage__in=rules.TERMINAL)
    if open_dossiers.filter(next_computed_on__isnull=True).exists():
        return True
    as_text = Cast("next_steps", output_field=TextField())
    return (
        open_dossiers.exclude(next_steps=[])
        .annotate(stored_text=as_text)
        .exclude(stored_text__contains='"rule_id"')
        .exists()
    )


def fill_next_steps() -> None:
    services.next_steps_refresh(scope=Scope.system(label="migrate"))


NEXT_STEPS = derived.Derived(
    name="recruitment_next_steps",
    label="recruitment next steps",
    source="the dossiers",
    unit="dossiers",
    refresh=refresh_next_steps,
    drift=drift_next_steps,
    fill=fill_next_steps,
    missing=next_steps_missing,
    nightly="refresh",
)


# ---------------------------------------------------------------------------------------------- milestones


def fill_milestones() -> None:
    services.milestones_refresh()


MILESTONES = derived.Derived(
    name="recruitment_milestones",
    label="recruitment milestones",
    source="the dossiers",
    unit="dossiers",
    fill=fill_milestones,
    since=MILESTONES_MIGRATION,
    nightly="",
)
