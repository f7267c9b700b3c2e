"""The recruitment policy in force (发展党员工作规则参数): the stored effective-dated rows of an org and its
ancestors, and their translation into the rules' `Policy`. Policies are not confidential (they restate the
rules every org applies), so these reads are unscoped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from grassroots.core.scoping import unscoped
from grassroots.orgs.models import Org

from .. import rules
from ..models import RecruitmentPolicy


def policy_row(org: Org, on: dt.date) -> RecruitmentPolicy | None:
    """The stored policy in force for `org` on `on`: among the rows of the org and its ancestors with
    `effective_from` on or before `on`, the deepest org's latest one. One query; None means the defaults.

    Policies are not confidential (they restate the rules every org applies), so this reads unscoped.
    """
    paths = [org.path[:i] for i in range(org.steplen, len(org.path) + 1, org.steplen)]
    with unscoped():
        rows = list(
            RecruitmentPolicy.objects.unscoped_all()
            .filter(org__path__in=paths, effective_from__lte=on)
            .select_related("org", "created_by")
            .order_by("-effective_from", "-id")
        )
    if not rows:
        return None
    return max(rows, key=lambda r: (len(r.org.path), r.effective_from, r.pk))


def policy_of_row(row: RecruitmentPolicy | None) -> rules.Policy:
    """The rules' `Policy` for a stored row (None: the defaults of RULES.md)."""
    if row is None:
        return rules.Policy()
    return rules.Policy(
        activist_wait_months=row.activist_wait_months,
        training_days=row.training_days,
        training_hours=row.training_hours,
        notice_working_days=row.notice_working_days,
        notice_before=frozenset(row.notice_before),
        extension_months=(row.extension_min_months, row.extension_max_months),
        approval_warn_months=row.approval_warn_months,
        approval_block_months=row.approval_block_months,
        conversion_vote_grace_months=row.conversion_vote_grace_months,
    )


def policy_for(org: Org, on: dt.date) -> rules.Policy:
    """The policy in force for `org` on `on` (`policy_row`), or the defaults of RULES.md."""
    return policy_of_row(policy_row(org, on))


def policy_rows_for(paths: Iterable[str], on: dt.date) -> dict[str, RecruitmentPolicy | None]:
    """`policy_row` of many orgs at once, by org path: one query whatever the number of orgs."""
    wanted = set(paths)
    if not wanted:
        return {}
    steplen = Org.steplen
    prefixes = {p[:i] for p in wanted for i in range(steplen, len(p) + 1, steplen)}
    with unscoped():
        rows = list(
            RecruitmentPolicy.objects.unscoped_all()
            .filter(org__path__in=sorted(prefixes), effective_from__lte=on)
            .select_related("org")
        )
    out: dict[str, RecruitmentPolicy | None] = {}
    for path in wanted:
        mine = [r for r in rows if path.startswith(r.org.path)]
        out[path] = max(mine, key=lambda r: (len(r.org.path), r.effective_from, r.pk)) if mine else None
    return out


def policy_values(policy: rules.Policy) -> dict[str, Any]:
    """A policy as the stored row's fields (RecruitmentPolicy): what the form, the API and `policy_set` use."""
    return {
        "activist_wait_months": policy.activist_wait_months,
        "training_days": policy.training_days,
        "training_hours": policy.training_hours,
        "notice_working_days": policy.notice_working_days,
        "notice_before": sorted(policy.notice_before),
        "extension_min_months": policy.extension_months[0],
        "extension_max_months": policy.extension_months[1],
        "approval_warn_months": policy.approval_warn_months,
        "approval_block_months": policy.approval_block_months,
        "conversion_vote_grace_months": policy.conversion_vote_grace_months,
    }


def policy_history(org: Org) -> list[RecruitmentPolicy]:
    """Every stored policy of `org` and its ancestors, the latest first (the nearest org first on a tie)."""
    paths = [org.path[:i] for i in range(org.steplen, len(org.path) + 1, org.steplen)]
    with unscoped():
        rows = list(
            RecruitmentPolicy.objects.unscoped_all()
            .filter(org__path__in=paths)
            .select_related("org", "created_by")
        )
    return sorted(rows, key=lambda r: (r.effective_from, len(r.org.path), r.pk), reverse=True)
