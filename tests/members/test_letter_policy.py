"""MEM-TRANSFER-LETTER: the validity of an introduction letter comes from the org policy in force for the
sending org on the day the letter is issued (issue 8, item 6)."""

from __future__ import annotations

import datetime as dt

from grassroots.core.dates import add_months
from grassroots.members.models import Transfer
from tests.factories import SYSTEM


def letter(issued_on: dt.date, serial: str) -> dict:
    return {
        "to_org": "B",
        "letter_serial": serial,
        "dues_paid_to": issued_on.replace(day=1).isoformat(),
        "issued_on": issued_on.isoformat(),
    }


def test_letter_validity_comes_from_the_sending_orgs_policy_and_its_check_follows(api_as, tree):
    today = dt.date.today()
    issued = today - dt.timedelta(days=50)
    set_ = api_as("county_admin").post(
        "/orgs/G1/policy",
        {"effective_from": (issued - dt.timedelta(days=1)).isoformat(), "letter_valid_months": 1},
    )
    assert set_.status_code == 201, set_.content
    sent = api_as("secretary_a").post(f"/members/{tree.zhang.pk}/transfer", letter(issued, "JS-1"))
    assert sent.status_code == 201, sent.content
    transfer = Transfer.objects.within(SYSTEM).get(pk=sent.json()["id"])
    assert transfer.valid_until == add_months(issued, 1)  # not the default three months

    late = api_as("secretary_b").post(f"/transfers/{transfer.pk}/receive", {"received_on": today.isoformat()})
    assert (late.status_code, late.json()["rule_id"]) == (422, "MEM-TRANSFER-LETTER")
    transfer.refresh_from_db()
    assert transfer.status == "issued" and transfer.received_on is None


def test_letter_validity_defaults_to_three_months_without_a_policy(api_as, tree):
    issued = dt.date.today()
    sent = api_as("secretary_a").post(f"/members/{tree.zhang.pk}/transfer", letter(issued, "JS-2"))
    assert sent.status_code == 201, sent.content
    assert Transfer.objects.within(SYSTEM).get(pk=sent.json()["id"]).valid_until == add_months(issued, 3)
