"""The board (发展党员看板) and the to-do of recruitment: open dossiers by stage and urgency, the counts per
stage and per direct child org, and the steps whose deadline is overdue or near. All read the dossiers'
stored next steps (Applicant.next_steps, next_due_on), so each is an indexed query over the subtree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import RowNumber, Substr

from grassroots.core.scoping import Scope
from grassroots.orgs.models import Org

from ..choices import BOARD_STAGES
from ..models import Applicant
from ..presenters import card_of, next_out
from .dossiers import _viewable, applicant_list

# What a card and a to-do item read of a dossier and its org (not the ID number, not the audit dates).
CARD_FIELDS = (
    "id", "name", "name_pinyin", "stage", "applied_on", "next_steps", "next_due_on",
    "org__id", "org__path", "org__code", "org__name", "org__short_name", "org__kind", "org__depth",
)  # fmt: skip


def _open(scope: Scope, org: Org | None) -> QuerySet[Applicant]:
    return applicant_list(scope=scope, org=org).filter(stage__in=BOARD_STAGES)


def _by_urgency(qs: QuerySet[Applicant]) -> QuerySet[Applicant]:
    """Overdue first, then by the nearest deadline, then by pinyin: a dossier is overdue exactly when its
    earliest deadline has passed, so ordering by `next_due_on` (no deadline last) is that order."""
    return qs.order_by(F("next_due_on").asc(nulls_last=True), "name_pinyin", "id")


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

    One query whatever the number of dossiers: a row number per stage in urgency order, cut at `limit`."""
    qs = board_queryset(scope=scope, org=org, today=today, overdue_only=overdue_only).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("stage")],
            order_by=[F("next_due_on").asc(nulls_last=True), F("name_pinyin").asc(), F("id").asc()],
        )
    )
    board: dict[str, list[dict[str, Any]]] = {stage: [] for stage in BOARD_STAGES}
    for a in qs.filter(rank__lte=limit):
        board[a.stage].append(card_of(a, today))
    return board


def pipeline_counts(*, scope: Scope, org: Org | None = None, today: dt.date) -> dict[str, dict[str, tuple]]:
    """Open dossiers by stage, each as (count, overdue count): for an org, per direct child (the key is the
    child's path; dossiers of `org` itself are under `org.path`); without one, under "" for the whole scope.
    One grouped query (the subtree's paths in range, `next_due_on` against today)."""
    qs = _open(scope, org)
    if org is not None:
        qs = qs.annotate(child=Substr("org__path", 1, len(org.path) + Org.steplen))
    else:
        qs = qs.annotate(child=Value(""))
    rows = (
        qs.values("child", "stage")
        .annotate(n=Count("*"), overdue=Count("pk", filter=Q(next_due_on__lt=today)))
        .order_by()
    )
    out: dict[str, dict[str, tuple]] = {}
    for row in rows:
        out.setdefault(row["child"], {})[row["stage"]] = (row["n"], row["overdue"])
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
    rows = list(
        _open(scope, org)
        .filter(next_due_on__lte=horizon)
        .only(*CARD_FIELDS)
        .annotate(
            total=Window(Count("*")),
            overdue=Window(Sum(Case(When(next_due_on__lt=today, then=1), default=0))),
        )
        .order_by("next_due_on", "name_pinyin", "id")[:limit]
    )
    total, overdue = (rows[0].total, rows[0].overdue) if rows else (0, 0)
    items = []
    for a in rows:
        for step in next_out(a.next_steps):
            if step["due_by"] is not None and step["due_by"] <= horizon:
                items.append(
                    {
                        "applicant_id": a.pk,
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
    """Open dossiers of `org`'s subtree by stage (the four board stages, zeros included): one grouped query."""
    rows = _open(scope, org).values_list("stage").annotate(n=Count("*")).order_by()
    counts = {str(stage): 0 for stage in BOARD_STAGES}
    counts.update(dict(rows))
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
