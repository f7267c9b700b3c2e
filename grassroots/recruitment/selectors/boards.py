"""The board (发展党员看板) and the to-do of recruitment: open dossiers by stage and urgency, the counts per
stage and per direct child org, and the steps whose deadline is overdue or near. All read the dossiers'
stored next steps (Applicant.next_steps, next_due_on), so each is an indexed query over the subtree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet
from django.utils import timezone

from grassroots.core import permissions
from grassroots.core.scoping import Scope
from grassroots.orgs.models import Org

from .. import statements
from ..choices import BOARD_STAGES
from ..models import Applicant
from ..presenters import card_of, next_out
from .dossiers import _viewable, applicant_list

# What a card and a to-do item read of a dossier and its org (not the ID number, not the audit dates).
CARD_FIELDS = (
    "id", "name", "name_sort", "stage", "applied_on", "next_steps", "next_due_on",
    "org__id", "org__path", "org__code", "org__name", "org__short_name", "org__kind", "org__depth",
)  # fmt: skip


def _open(scope: Scope, org: Org | None) -> QuerySet[Applicant]:
    return applicant_list(scope=scope, org=org).filter(stage__in=BOARD_STAGES)


def _by_urgency(qs: QuerySet[Applicant]) -> QuerySet[Applicant]:
    """Overdue first, then by the nearest deadline, then by pinyin: a dossier is overdue exactly when its
    earliest deadline has passed, so ordering by `next_due_on` (no deadline last) is that order."""
    return qs.order_by(F("next_due_on").asc(nulls_last=True), "name_sort", "id")


def board_queryset(
    *,
    scope: Scope,
    org: Org | None = None,
    today: dt.date,
    stage: str | None = None,
    overdue_only: bool = False,
) -> QuerySet[Applicant]:
    """Open dossiers of `org`'s subtree (or all of the scope), of one stage if given, most urgent first."""
    qs = _open(scope, org).only(*CARD_FIELDS)
    if stage:
        qs = qs.filter(stage=stage)
    if overdue_only:
        qs = qs.filter(next_due_on__lt=today)
    return _by_urgency(qs)


def pipeline(
    *, scope: Scope, org: Org | None = None, today: dt.date, limit: int, overdue_only: bool = False
) -> dict[str, list[dict[str, Any]]]:
    """The `limit` most urgent open dossiers of each stage (`board_queryset`), with their stored next steps.

    One statement whatever the number of dossiers (statements.top_per_stage): per stage, the first `limit`
    in urgency order, so a large subtree reads a few index entries per stage instead of ranking every open
    dossier."""
    board: dict[str, list[dict[str, Any]]] = {stage: [] for stage in BOARD_STAGES}
    rows = statements.top_per_stage(
        prefixes=_readable_prefixes(scope, org),
        stages=BOARD_STAGES,
        limit=limit,
        overdue_before=today if overdue_only else None,
    )
    for a in sorted(rows, key=lambda a: (a.next_due_on is None, a.next_due_on or today, a.name_sort, a.pk)):
        board[a.stage].append(card_of(a, today))
    return board


def _readable_prefixes(scope: Scope, org: Org | None) -> list[str] | None:
    """The subtree paths of `_open(scope, org)`, for the hand-written statements: `org`'s (which the caller
    must be allowed to read), else the roots where the caller reads dossiers (None: the whole tree)."""
    if org is not None:
        permissions.require(scope, permissions.MEMBER_VIEW, org.path)
        return [org.path]
    view = _viewable(scope)
    return None if view.is_system else list(view.roots)


def pipeline_counts(*, scope: Scope, org: Org | None = None, today: dt.date) -> dict[str, dict[str, tuple]]:
    """Open dossiers by stage, each as (count, overdue count): for an org, per direct child (the key is the
    child's path; dossiers of `org` itself are under `org.path`); without one, under "" for the whole scope.
    One grouped statement (statements.stage_counts: the subtree's orgs, then their open dossiers)."""
    rows = statements.stage_counts(
        prefixes=_readable_prefixes(scope, org),
        stages=BOARD_STAGES,
        today=today,
        child_len=len(org.path) + Org.steplen if org is not None else None,
    )
    out: dict[str, dict[str, tuple]] = {}
    for child, stage, n, overdue in rows:
        out.setdefault(child, {})[stage] = (n, overdue)
    return out


@dataclass(frozen=True)
class DueSteps:
    """The to-do of recruitment: the most urgent steps (at most the limit asked for) and how many dossiers
    have a deadline that is overdue or near (`total`), and how many overdue."""

    items: list[dict[str, Any]]
    total: int
    overdue: int


def due_steps(
    *, scope: Scope, today: dt.date, within_days: int = 30, org: Org | None = None, limit: int | None = None
) -> DueSteps:
    """The to-do of recruitment: steps with a deadline (talk within a month, half-yearly assessment, approval
    within 3 months, the conversion vote at the end of probation) that are overdue or due within
    `within_days`, most urgent first, from the stored next steps: a count query and a query of the `limit`
    most urgent dossiers. `rules.next_steps` gives a dossier at most one step with a deadline, so counting
    dossiers counts steps."""
    horizon = today + dt.timedelta(days=within_days)
    # One hand-written statement (statements.due): the due dossiers' narrow columns counted, the wide ones read
    # for the rows shown only. The subtree is the caller's readable part, as `_open` has it.
    rows, total, overdue = statements.due(
        prefixes=_readable_prefixes(scope, org),
        stages=BOARD_STAGES,
        today=today,
        horizon=horizon,
        limit=limit,
    )
    items = []
    for a in rows:
        for step in next_out(a.next_steps):
            if step["due_by"] is not None and step["due_by"] <= horizon:
                items.append(
                    {
                        "applicant_id": a.id,
                        "name": a.name,
                        "org": a.org,
                        "event": step["event"],
                        "label": step["label"],
                        "rule_id": step["rule_id"],
                        "due_by": step["due_by"],
                        "overdue": step["due_by"] < today,
                    }
                )
    return DueSteps(items=items, total=total, overdue=overdue)


def stage_counts(*, scope: Scope, org: Org) -> dict[str, int]:
    """Open dossiers of `org`'s subtree by stage (the four board stages, zeros included): one grouped
    statement (statements.stage_counts)."""
    rows = statements.stage_counts(
        prefixes=_readable_prefixes(scope, org),
        stages=BOARD_STAGES,
        today=timezone.localdate(),
        child_len=None,
    )
    counts = {str(stage): 0 for stage in BOARD_STAGES}
    counts.update({stage: n for _child, stage, n, _overdue in rows})
    return counts


def orgs_with_open_stages(*, scope: Scope, at_least: int) -> set[int]:
    """Ids of the orgs whose own open dossiers are in at least `at_least` of the four board stages (a live
    pipeline): one grouped query."""
    rows = (
        Applicant.objects.within(_viewable(scope))
        .filter(stage__in=BOARD_STAGES)
        .values("org_id")
        .annotate(stages=Count("stage", distinct=True))
        .filter(stages__gte=at_least)
        .values_list("org_id", flat=True)
    )
    return set(rows)
