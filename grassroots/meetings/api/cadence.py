"""`GET /api/v1/orgs/{code}/cadence?year=`: an org's cadence for a year (per rule the periods with required,
held and state) and, for an upper org, its children's subtree rollup with its as-of day."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from grassroots.core.api_auth import caller
from grassroots.core.api_schemas import ERRORS
from grassroots.orgs import selectors as org_selectors
from grassroots.workcalendar.selectors import calendar

from .. import cadence
from ..selectors import MEETING_VIEW

# Mounted at /api/v1/orgs (grassroots/api.py), beside the orgs router.
orgs_router = Router(tags=["meetings"])


class CadenceQuery(Schema):
    year: int | None = None


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    due_on: dt.date | None
    required: int
    held: int
    state: str  # done, behind, due, not_required


class RuleOut(Schema):
    rule_id: str
    kind: str
    unit: str  # month, quarter, year
    periods: list[PeriodOut]


class SubtreeRuleOut(Schema):
    rule_id: str
    orgs_judged: int
    orgs_behind: int
    periods_behind: int


class ChildOut(Schema):
    code: str
    name: str
    kind: str
    rules: list[SubtreeRuleOut]


class SubtreeOut(Schema):
    as_of: dt.date | None
    totals: list[SubtreeRuleOut]
    children: list[ChildOut]


class CadenceOut(Schema):
    org: str
    year: int
    rules: list[RuleOut]
    subtree: SubtreeOut | None


def _rules(pairs) -> list[SubtreeRuleOut]:
    return [
        SubtreeRuleOut(rule_id=r, orgs_judged=v[0], orgs_behind=v[1], periods_behind=v[2])
        for r, v in sorted(pairs, key=lambda p: cadence.RULE_IDS.index(p[0]))
    ]


@orgs_router.get("/{code}/cadence", response={200: CadenceOut, **ERRORS})
def org_cadence(request: HttpRequest, code: str, query: Query[CadenceQuery]):
    """Per cadence rule (MTG-*), the periods of the year begun so far with required, held (finalized meetings
    and talks) and state; for an upper org, each child's subtree: orgs judged, orgs behind and periods behind
    (the stored rollup, as of `subtree.as_of`). 422 MTG-YEAR for a year that is not 2000 to next year."""
    scope = caller(request).scope
    org = org_selectors.org_get(scope=scope, code=code, roles=MEETING_VIEW)
    today = timezone.localdate()
    year = cadence.check_year(query.year or today.year, today)
    report = cadence.cadence_for(scope=scope, org=org, year=year, today=today, calendar=calendar())
    subtree = None
    if report.children or report.totals:
        subtree = SubtreeOut(
            as_of=report.as_of,
            totals=_rules(report.totals.items()),
            children=[
                ChildOut(code=c.code, name=c.name, kind=c.kind, rules=_rules(c.rules.items()))
                for c in report.children
            ],
        )
    return CadenceOut(
        org=org.code,
        year=year,
        rules=[
            RuleOut(
                rule_id=line.rule_id,
                kind=line.kind,
                unit=line.unit,
                periods=[
                    PeriodOut(
                        start=c.period.start,
                        end=c.period.end,
                        due_on=c.due_on,
                        required=c.required,
                        held=c.held,
                        state=c.state,
                    )
                    for c in line.cells
                ],
            )
            for line in report.rules
        ],
        subtree=subtree,
    )
