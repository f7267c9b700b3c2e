"""The recruitment ledger (发展党员台账): the dossiers of a subtree with their stored milestone dates."""

from __future__ import annotations

from django.db.models import QuerySet

from grassroots.core.scoping import Scope
from grassroots.orgs.models import Org

from ..models import Applicant
from .dossiers import applicant_list


def ledger(
    *,
    scope: Scope,
    org: Org | None = None,
    stage: str | None = None,
    q: str = "",
    admitted_year: int | None = None,
) -> QuerySet[Applicant]:
    """The recruitment ledger (发展党员台账): the dossiers of `org`'s subtree (or the scope) with their stored
    milestone dates (Applicant.talk_on, …, kept by `services.event_record`), sorted by pinyin; only those at
    `stage`, matching `q`, admitted (入党) in `admitted_year` when given. One query, to paginate in SQL; turn
    rows into the ledger's lines with `presenters.ledger_line`."""
    qs = applicant_list(scope=scope, org=org, stage=stage, q=q)
    if admitted_year is not None:
        qs = qs.filter(admitted_on__year=admitted_year)
    return qs
