"""The transfers page (组织关系转接): receiving a letter, registering the receipt, refusals with rule ids."""

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.audit.models import AuditEvent
from grassroots.core.scoping import unscoped
from grassroots.members import services
from grassroots.members.choices import MemberStatus, TransferStatus
from grassroots.members.models import Member, Transfer
from tests.factories import SYSTEM, make_transfer

TODAY = dt.date.today()


def issue(member, *, to_org=None, external="", serial="2026-001", issued_on=None):
    return make_transfer(
        member,
        to_org=to_org,
        external_org_name=external,
        letter_serial=serial,
        dues_paid_to=TODAY,
        issued_on=issued_on or TODAY,
    )


def fresh(model, pk):
    with unscoped():
        return model.objects.unscoped_all().get(pk=pk)


def audit_count():
    with unscoped():
        return AuditEvent.objects.unscoped_all().count()


@pytest.fixture
def letter_a_to_b(tree):
    """李四's letter from branch A to branch B."""
    return issue(tree.li, to_org=tree.b)


def test_transfers_page_lists_letter_to_receive_with_a_receive_form(client, personas, tree, letter_a_to_b):
    client.force_login(personas.secretary_b)
    response = client.get(reverse("members:transfers"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "李四" in html and "2026-001" in html
    assert reverse("members:transfer_receive", args=[letter_a_to_b.pk]) in html
    assert f'value="{TODAY.isoformat()}"' in html  # received_on defaults to today
    assert "已过期" not in html


def test_transfers_page_shows_sender_that_receiving_org_must_act(client, personas, tree, letter_a_to_b):
    client.force_login(personas.secretary_a)
    html = client.get(reverse("members:transfers")).content.decode()
    assert "李四" in html and "待" in html
    assert reverse("members:transfer_receive", args=[letter_a_to_b.pk]) not in html
    assert reverse("members:transfer_receipt", args=[letter_a_to_b.pk]) not in html


def test_member_moves_to_b_when_secretary_b_receives_letter(client, personas, tree, letter_a_to_b):
    client.force_login(personas.secretary_b)
    response = client.post(
        reverse("members:transfer_receive", args=[letter_a_to_b.pk]), {"received_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:transfers")
    assert fresh(Member, tree.li.pk).org_id == tree.b.pk
    t = fresh(Transfer, letter_a_to_b.pk)
    assert t.status == TransferStatus.RECEIVED and t.received_on == TODAY
    html = client.get(response["Location"]).content.decode()
    assert "已接收李四的组织关系" in html
    # Now the receipt is owed by B: the button is on B's page.
    assert reverse("members:transfer_receipt", args=[t.pk]) in html


def test_expired_letter_shows_rule_and_changes_nothing_when_received(client, personas, tree):
    old = issue(tree.li, to_org=tree.b, issued_on=TODAY - dt.timedelta(days=120))
    client.force_login(personas.secretary_b)
    html = client.get(reverse("members:transfers")).content.decode()
    assert "已过期" in html
    events = audit_count()
    response = client.post(
        reverse("members:transfer_receive", args=[old.pk]),
        {"received_on": TODAY.isoformat(), "org": tree.b.code},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "MEM-TRANSFER-LETTER" in html and "已过期" in html
    # The refusal's citation is shown as a citation, not as escaped markup (issue 8, item 14).
    assert (
        'class="rule-id"' in html and "依据：组通字〔2006〕45号；各地规定" in html and "&lt;span" not in html
    )
    assert 'class="table-danger"' in html
    assert fresh(Member, tree.li.pk).org_id == tree.a.pk
    assert fresh(Transfer, old.pk).status == TransferStatus.ISSUED
    assert audit_count() == events


def test_missing_date_shows_error_and_changes_nothing_when_receiving(client, personas, tree, letter_a_to_b):
    client.force_login(personas.secretary_b)
    response = client.post(reverse("members:transfer_receive", args=[letter_a_to_b.pk]), {})
    assert response.status_code == 200
    assert "李四" in response.content.decode()
    assert fresh(Transfer, letter_a_to_b.pk).status == TransferStatus.ISSUED


def test_404_when_secretary_a_receives_letter_to_b(client, personas, tree, letter_a_to_b):
    client.force_login(personas.secretary_a)
    url = reverse("members:transfer_receive", args=[letter_a_to_b.pk])
    assert client.post(url, {"received_on": TODAY.isoformat()}).status_code == 404
    assert fresh(Member, tree.li.pk).org_id == tree.a.pk
    assert fresh(Transfer, letter_a_to_b.pk).status == TransferStatus.ISSUED


def test_404_when_secretary_a_touches_letter_between_others(client, personas, tree):
    from tests.factories import make_member

    sun = make_member(tree.g1, "孙九")
    letter = issue(sun, to_org=tree.b)
    client.force_login(personas.secretary_a)
    for name in ("members:transfer_receive", "members:transfer_receipt"):
        url = reverse(name, args=[letter.pk])
        assert client.post(url, {"received_on": TODAY, "returned_on": TODAY}).status_code == 404
    assert "孙九" not in client.get(reverse("members:transfers")).content.decode()
    assert client.get(reverse("members:transfers"), {"org": tree.b.code}).status_code == 404


def test_403_when_viewer_receives_letter(client, personas, tree, letter_a_to_b):
    client.force_login(personas.county_viewer)
    html = client.get(reverse("members:transfers")).content.decode()
    assert "李四" in html
    assert reverse("members:transfer_receive", args=[letter_a_to_b.pk]) not in html
    url = reverse("members:transfer_receive", args=[letter_a_to_b.pk])
    assert client.post(url, {"received_on": TODAY.isoformat()}).status_code == 403
    assert fresh(Transfer, letter_a_to_b.pk).status == TransferStatus.ISSUED


def test_transfer_completes_when_receiver_registers_receipt(client, personas, tree, letter_a_to_b):
    services.transfer_receive(scope=SYSTEM, actor=None, transfer=letter_a_to_b, received_on=TODAY)
    client.force_login(personas.secretary_b)
    response = client.post(
        reverse("members:transfer_receipt", args=[letter_a_to_b.pk]),
        {"returned_on": TODAY.isoformat(), "org": tree.b.code},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:transfers") + f"?org={tree.b.code}"
    t = fresh(Transfer, letter_a_to_b.pk)
    assert t.status == TransferStatus.COMPLETED and t.receipt_returned_on == TODAY
    html = client.get(response["Location"]).content.decode()
    assert "转接完成" in html
    assert 'id="completed"' in html and "李四" in html.split('id="completed"')[1]


def test_sender_cannot_register_receipt_owed_by_receiver(client, personas, tree, letter_a_to_b):
    services.transfer_receive(scope=SYSTEM, actor=None, transfer=letter_a_to_b, received_on=TODAY)
    client.force_login(personas.secretary_a)
    response = client.post(
        reverse("members:transfer_receipt", args=[letter_a_to_b.pk]), {"returned_on": TODAY.isoformat()}
    )
    assert response.status_code == 404
    assert fresh(Transfer, letter_a_to_b.pk).status == TransferStatus.RECEIVED


def test_member_transferred_out_when_sender_registers_receipt_from_outside(client, personas, tree):
    letter = issue(tree.li, external="中共某市某局支部", serial="WAI-1")
    client.force_login(personas.secretary_a)
    html = client.get(reverse("members:transfers")).content.decode()
    assert "中共某市某局支部" in html
    assert reverse("members:transfer_receipt", args=[letter.pk]) in html
    assert reverse("members:transfer_receive", args=[letter.pk]) not in html
    response = client.post(
        reverse("members:transfer_receipt", args=[letter.pk]), {"returned_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    member = fresh(Member, tree.li.pk)
    assert member.status == MemberStatus.TRANSFERRED_OUT and member.ended_on == TODAY
    assert fresh(Transfer, letter.pk).status == TransferStatus.COMPLETED


def test_receiving_letter_to_outside_is_refused_with_rule(client, personas, tree):
    letter = issue(tree.li, external="中共某市某局支部")
    client.force_login(personas.secretary_a)
    response = client.post(
        reverse("members:transfer_receive", args=[letter.pk]), {"received_on": TODAY.isoformat()}
    )
    assert response.status_code == 200
    assert "MEM-TRANSFER-LETTER" in response.content.decode()
    assert fresh(Transfer, letter.pk).status == TransferStatus.ISSUED


def test_pages_answer_login_404_or_405_by_method(client, personas, tree, letter_a_to_b):
    url = reverse("members:transfer_receive", args=[letter_a_to_b.pk])
    assert client.post(url, {"received_on": TODAY.isoformat()}).status_code == 302  # to the login page
    assert client.get(reverse("members:transfers")).status_code == 302
    client.force_login(personas.secretary_b)
    assert client.get(url).status_code == 405
    assert client.post(reverse("members:transfer_receive", args=[999999]), {}).status_code == 404


def test_navbar_link_only_for_users_who_may_edit_members(client, personas, tree):
    client.force_login(personas.secretary_a)
    assert 'id="nav-transfers"' in client.get(reverse("home")).content.decode()
    client.force_login(personas.county_viewer)
    assert 'id="nav-transfers"' not in client.get(reverse("home")).content.decode()
    client.force_login(personas.member_b)
    assert 'id="nav-transfers"' not in client.get(reverse("home")).content.decode()


def test_home_shows_letters_to_receive_as_todo(client, personas, tree, letter_a_to_b):
    client.force_login(personas.secretary_b)
    html = client.get(reverse("home")).content.decode()
    assert "1 份介绍信待接收" in html
    assert reverse("members:transfers") in html
    client.force_login(personas.secretary_a)
    assert "份介绍信待接收" not in client.get(reverse("home")).content.decode()
