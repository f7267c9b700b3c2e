"""Issue 8, item 16: a transfer letter is cancelled with a reason (never deleted) and reissued under a new
serial that names the cancelled one — through the API, with the stored records checked."""

import datetime as dt

from grassroots.audit.models import AuditEvent
from grassroots.core.scoping import unscoped
from grassroots.members.choices import TransferStatus
from grassroots.members.models import Member, Transfer

TODAY = dt.date.today()


def letter(**overrides):
    body = {
        "to_org": "B",
        "letter_serial": "JS-2026-001",
        "dues_paid_to": TODAY.isoformat(),
        "issued_on": TODAY.isoformat(),
    }
    return body | overrides


def stored(pk) -> Transfer:
    with unscoped():
        return Transfer.objects.unscoped_all().get(pk=pk)


def events(action):
    with unscoped():
        return list(AuditEvent.objects.unscoped_all().filter(action=action).order_by("id"))


def issued(api, tree) -> int:
    response = api.post(f"/members/{tree.zhang.pk}/transfer", letter())
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_letter_cancelled_with_a_reason_stays_on_record_and_is_audited(api_as, tree):
    api = api_as("secretary_a")
    transfer_id = issued(api, tree)
    response = api.post(
        f"/transfers/{transfer_id}/cancel", {"reason": "介绍信信息有误", "cancelled_on": TODAY.isoformat()}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["cancel_reason"], body["cancelled_on"]) == (
        "cancelled",
        "介绍信信息有误",
        TODAY.isoformat(),
    )
    row = stored(transfer_id)
    assert (row.status, row.cancel_reason, row.cancelled_on) == (
        TransferStatus.CANCELLED,
        "介绍信信息有误",
        TODAY,
    )
    with unscoped():
        assert Member.objects.unscoped_all().get(pk=tree.zhang.pk).org_id == tree.a.pk  # nothing moved
    [event] = events("transfer.cancel")
    assert event.changes["cancel_reason"] == [None, "介绍信信息有误"]
    assert event.target_id == tree.zhang.pk


def test_cancel_refused_without_a_reason_and_nothing_changes(api_as, tree):
    api = api_as("secretary_a")
    transfer_id = issued(api, tree)
    response = api.post(
        f"/transfers/{transfer_id}/cancel", {"reason": "  ", "cancelled_on": TODAY.isoformat()}
    )
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("MEM-TRANSFER-LETTER", "reason")
    assert stored(transfer_id).status == TransferStatus.ISSUED
    assert events("transfer.cancel") == []


def test_cancel_refused_once_the_letter_was_received(api_as, tree):
    transfer_id = issued(api_as("secretary_a"), tree)
    api_as("secretary_b").post(f"/transfers/{transfer_id}/receive", {"received_on": TODAY.isoformat()})
    response = api_as("secretary_a").post(
        f"/transfers/{transfer_id}/cancel", {"reason": "弄错了", "cancelled_on": TODAY.isoformat()}
    )
    assert response.status_code == 422
    assert response.json()["rule_id"] == "MEM-TRANSFER-LETTER"
    assert stored(transfer_id).status == TransferStatus.RECEIVED


def test_cancel_refused_to_the_receiving_org(api_as, tree):
    transfer_id = issued(api_as("secretary_a"), tree)
    response = api_as("secretary_b").post(
        f"/transfers/{transfer_id}/cancel", {"reason": "不接收", "cancelled_on": TODAY.isoformat()}
    )
    assert response.status_code == 404  # the sending org is outside secretary_b's scope
    assert stored(transfer_id).status == TransferStatus.ISSUED


def test_letter_reissued_under_a_new_serial_names_the_cancelled_one(api_as, tree):
    api = api_as("secretary_a")
    old_id = issued(api, tree)
    response = api.post(
        f"/transfers/{old_id}/reissue",
        {"letter_serial": "JS-2026-002", "issued_on": TODAY.isoformat(), "reason": "介绍信已过期"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["letter_serial"], body["reissue_of"], body["status"], body["to_org"]) == (
        "JS-2026-002",
        old_id,
        "issued",
        "B",
    )
    old, new = stored(old_id), stored(body["id"])
    assert (old.status, old.cancel_reason) == (TransferStatus.CANCELLED, "介绍信已过期")
    assert (new.reissue_of_id, new.member_id, new.to_org_id) == (old.pk, tree.zhang.pk, tree.b.pk)
    assert new.dues_paid_to == old.dues_paid_to
    [cancel] = events("transfer.cancel")
    issues = events("transfer.issue")
    assert cancel.changes["transfer"] == [old.pk, old.pk]
    assert issues[-1].changes["reissue_of"] == [None, "JS-2026-001"]


def test_reissue_refused_with_the_same_serial_and_nothing_changes(api_as, tree):
    api = api_as("secretary_a")
    old_id = issued(api, tree)
    response = api.post(
        f"/transfers/{old_id}/reissue",
        {"letter_serial": "JS-2026-001", "issued_on": TODAY.isoformat(), "reason": "过期"},
    )
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("MEM-TRANSFER-LETTER", "letter_serial")
    assert stored(old_id).status == TransferStatus.ISSUED  # the cancellation rolled back with the refusal
    with unscoped():
        assert Transfer.objects.unscoped_all().count() == 1


def test_reissue_refused_without_a_reason_while_the_old_letter_is_open(api_as, tree):
    api = api_as("secretary_a")
    old_id = issued(api, tree)
    response = api.post(
        f"/transfers/{old_id}/reissue", {"letter_serial": "JS-2026-002", "issued_on": TODAY.isoformat()}
    )
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("MEM-TRANSFER-LETTER", "reason")
    assert stored(old_id).status == TransferStatus.ISSUED


def test_a_cancelled_letter_is_reissued_once(api_as, tree):
    api = api_as("secretary_a")
    old_id = issued(api, tree)
    api.post(f"/transfers/{old_id}/cancel", {"reason": "信息有误", "cancelled_on": TODAY.isoformat()})
    first = api.post(
        f"/transfers/{old_id}/reissue", {"letter_serial": "JS-2", "issued_on": TODAY.isoformat()}
    )
    assert first.status_code == 201, first.content
    again = api.post(
        f"/transfers/{old_id}/reissue", {"letter_serial": "JS-3", "issued_on": TODAY.isoformat()}
    )
    assert again.status_code == 422
    assert again.json()["rule_id"] == "MEM-TRANSFER-LETTER"
    with unscoped():
        assert Transfer.objects.unscoped_all().filter(reissue_of_id=old_id).count() == 1


def test_reissue_refused_for_a_received_letter(api_as, tree):
    transfer_id = issued(api_as("secretary_a"), tree)
    api_as("secretary_b").post(f"/transfers/{transfer_id}/receive", {"received_on": TODAY.isoformat()})
    response = api_as("county_admin").post(
        f"/transfers/{transfer_id}/reissue",
        {"letter_serial": "JS-9", "issued_on": TODAY.isoformat(), "reason": "x"},
    )
    assert response.status_code == 422
    assert response.json()["rule_id"] == "MEM-TRANSFER-LETTER"
    with unscoped():
        assert Transfer.objects.unscoped_all().count() == 1
