"""The cadence page of an org and a year (三会一课): per rule the periods with required / held / state, a heat map
of meetings per day and, for an upper org, the subtree table of its children (from the stored rollup)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from grassroots.orgs import selectors as org_selectors
from grassroots.orgs.choices import OrgKind
from grassroots.workcalendar.selectors import calendar

from .. import cadence
from ..selectors import MEETING_VIEW


def meetings_url(org) -> str:
    """The meeting list of an org."""
    return reverse("meetings:list", args=[org.code])


@login_required
def cadence_page(request, code):
    scope = request.scope
    org = org_selectors.org_get(scope=scope, code=code, roles=MEETING_VIEW)
    today = timezone.localdate()
    year = cadence.check_year(request.GET.get("year") or today.year, today)
    report = cadence.cadence_for(scope=scope, org=org, year=year, today=today, calendar=calendar())
    rule_ids = [r for r in cadence.RULE_IDS if any(r in c.rules for c in report.children)]
    children = [
        {
            "row": child,
            "cells": [child.rules.get(r) for r in rule_ids],
            "url": reverse("meetings:cadence", args=[child.code]) + f"?year={year}",
            "meetings_url": meetings_url(child) if child.kind in (OrgKind.BRANCH, OrgKind.GROUP) else None,
        }
        for child in report.children
    ]
    totals = [report.totals.get(r) for r in rule_ids]
    return render(
        request,
        "meetings/cadence.html",
        {
            "org": org,
            "report": report,
            "year": year,
            "years": list(range(today.year, max(cadence.YEAR_MIN, today.year - 5) - 1, -1)),
            "rule_ids": rule_ids,
            "rule_labels": cadence.RULE_LABELS,
            "children": children,
            "totals": totals,
            "meetings_url": meetings_url(org),
            "heatmap": {"year": year, "days": cadence.meetings_per_day(org, year)},
        },
    )
