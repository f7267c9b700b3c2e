"""The hand-written statements of the to-do and the board (recruitment/statements.py) give the same dossiers,
orgs and values as the models: every column lands in its own field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from grassroots.core.scoping import unscoped
from grassroots.orgs.models import Org
from grassroots.recruitment import selectors
from grassroots.recruitment.models import Applicant
from tests.factories import SYSTEM
from tests.support.dossiers import applicant

pytestmark = pytest.mark.django_db

ORG_FIELDS = ("id", "path", "depth", "code", "name", "short_name", "kind")


def stored(person) -> tuple[Applicant, Org]:
    with unscoped():
        row = Applicant.objects.unscoped_all().select_related("org").get(pk=person.pk)
    return row, row.org


def test_to_do_items_carry_their_org_field_by_field_when_read_by_the_statement(tree):
    person = applicant(tree.a, "孙甲", applied_on=dt.date(2025, 1, 6))
    row, org = stored(person)
    (item,) = selectors.due_steps(scope=SYSTEM, today=timezone.localdate(), org=tree.county, limit=5).items
    assert (item["applicant_id"], item["name"], item["due_by"]) == (row.pk, row.name, row.next_due_on)
    assert {f: getattr(item["org"], f) for f in ORG_FIELDS} == {f: getattr(org, f) for f in ORG_FIELDS}


def test_board_cards_carry_their_dossier_and_org_field_by_field_when_read_by_the_statement(tree):
    person = applicant(tree.a, "孙甲", applied_on=dt.date(2025, 1, 6))
    row, org = stored(person)
    today = timezone.localdate()
    board = selectors.pipeline(scope=SYSTEM, org=tree.county, today=today, limit=30)
    (card,) = board[row.stage]
    assert card == selectors.card_of(row, today)
    assert {f: getattr(card["org"], f) for f in ORG_FIELDS} == {f: getattr(org, f) for f in ORG_FIELDS}
    assert isinstance(card["applied_on"], dt.date) and card["next"] and card["overdue"]
