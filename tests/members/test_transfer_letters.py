"""Issue 8, item 16: the introduction letter (介绍信) and its receipt (回执) print, for A4 and phones; a letter
is cancelled with a reason and reissued from the pages, and both show on the member's record."""

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.members import services
from grassroots.members.choices import TransferStatus
from grassroots.members.models import Transfer
from tests.factories import SYSTEM, make_transfer

TODAY = dt.date.today()


@pytest.fixture
def letter(tree):
    return make_transfer(tree.zhang, to_org=tree.b, letter_serial="JS-2026-007", dues_paid_to=TODAY)


def stored(pk) -> Transfer:
    with unscoped():
        return Transfer.objects.unscoped_all().get(pk=pk)


def test_letter_prints_with_serial_member_orgs_dues_and_validity_and_its_receipt(
    client, personas, tree, letter
):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("members:transfer_print", args=[letter.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="letter-body"' in html and 'id="letter-receipt"' in html and 'id="letter-stub"' in html
    assert "第 JS-2026-007 号" in html
    assert tree.zhang.name in html and tree.a.name in html and tree.b.name in html
    assert f"该同志党费已交到{TODAY.year}年{TODAY.month}月" in html
    assert (
        f"有效期至{letter.valid_until.year}年{letter.valid_until.month}月{letter.valid_until.day}日" in html
    )
    assert 'data-action="print"' in html
    assert f"{tree.zhang.name}同志的党员组织关系已转达我处" in html


def test_receiving_org_prints_the_letter_and_receipt_too(client, personas, letter):
    client.force_login(personas.secretary_b)
    assert client.get(reverse("members:transfer_print", args=[letter.pk])).status_code == 200


def test_letter_print_answers_404_outside_both_orgs(client, personas, tree):
    other = make_transfer(tree.zhang, external_org_name="外省某支部")
    client.force_login(personas.secretary_b)
    assert client.get(reverse("members:transfer_print", args=[other.pk])).status_code == 404


def test_letter_print_page_fits_a_phone_and_a4(client, personas, letter):
    client.force_login(personas.secretary_a)
    html = client.get(reverse("members:transfer_print", args=[letter.pk])).content.decode()
    assert 'name="viewport" content="width=device-width' in html
    assert "record-sheet letter-sheet" in html


def test_letter_cancelled_from_the_page_with_a_reason_shows_on_the_record(client, personas, tree, letter):
    client.force_login(personas.secretary_a)
    response = client.post(
        reverse("members:transfer_cancel", args=[letter.pk]),
        {"reason": "党员暂缓转出", "cancelled_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert response.url == reverse("members:transfer_print", args=[letter.pk])
    row = stored(letter.pk)
    assert (row.status, row.cancel_reason) == (TransferStatus.CANCELLED, "党员暂缓转出")
    printed = client.get(response.url).content.decode()
    assert 'id="letter-cancelled"' in printed and "党员暂缓转出" in printed
    record = client.get(reverse("members:detail", args=[tree.zhang.pk])).content.decode()
    assert "撤销，原因：党员暂缓转出" in record
    assert reverse("members:transfer_reissue", args=[letter.pk]) in record


def test_cancel_form_refuses_an_empty_reason_and_changes_nothing(client, personas, letter):
    client.force_login(personas.secretary_a)
    response = client.post(
        reverse("members:transfer_cancel", args=[letter.pk]),
        {"reason": "", "cancelled_on": TODAY.isoformat()},
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert stored(letter.pk).status == TransferStatus.ISSUED


def test_cancel_page_forbidden_to_a_member_role(client, personas, tree):
    other = make_transfer(tree.wang, to_org=tree.a)
    client.force_login(personas.member_b)
    assert client.get(reverse("members:transfer_cancel", args=[other.pk])).status_code in (403, 404)
    assert stored(other.pk).status == TransferStatus.ISSUED


def test_reissued_letter_from_the_page_prints_naming_the_cancelled_one(client, personas, tree, letter):
    client.force_login(personas.secretary_a)
    response = client.post(
        reverse("members:transfer_reissue", args=[letter.pk]),
        {"letter_serial": "JS-2026-008", "issued_on": TODAY.isoformat(), "reason": "介绍信已过期"},
    )
    assert response.status_code == 302, response.content.decode()
    with unscoped():
        new = Transfer.objects.unscoped_all().get(letter_serial="JS-2026-008")
    assert new.reissue_of_id == letter.pk
    assert response.url == reverse("members:transfer_print", args=[new.pk])
    printed = client.get(response.url).content.decode()
    assert "原第 JS-2026-007 号介绍信已撤销" in printed
    old_page = client.get(reverse("members:transfer_print", args=[letter.pk])).content.decode()
    assert reverse("members:transfer_print", args=[new.pk]) in old_page
    record = client.get(reverse("members:detail", args=[tree.zhang.pk])).content.decode()
    assert f'id="reissue-transfer-{letter.pk}"' not in record  # reissued once


def test_transfers_page_offers_print_cancel_and_reissue_to_the_sending_org(client, personas, letter):
    client.force_login(personas.secretary_a)
    html = client.get(reverse("members:transfers")).content.decode()
    assert f'id="print-{letter.pk}"' in html
    assert f'id="cancel-{letter.pk}"' in html and f'id="reissue-{letter.pk}"' in html
    client.force_login(personas.secretary_b)
    html = client.get(reverse("members:transfers")).content.decode()
    assert f'id="print-{letter.pk}"' in html
    assert f'id="cancel-{letter.pk}"' not in html


def test_service_cancel_refuses_a_date_before_the_letter(tree, letter):
    with pytest.raises(RuleViolation) as refused:
        services.transfer_cancel(
            scope=SYSTEM,
            actor=None,
            transfer=letter,
            reason="x",
            cancelled_on=letter.issued_on - dt.timedelta(1),
        )
    assert (refused.value.rule_id, refused.value.field) == ("MEM-TRANSFER-LETTER", "cancelled_on")
    assert stored(letter.pk).status == TransferStatus.ISSUED
