import datetime as dt

from grassroots.members.selectors import member_get
from tests.factories import SYSTEM


def letter(**overrides):
    today = dt.date.today()
    body = {
        "to_org": "B",
        "letter_serial": "JS-2025-001",
        "dues_paid_to": today.replace(day=15).isoformat(),
        "issued_on": today.isoformat(),
    }
    return body | overrides


def test_letter_issued_with_201_when_member_moves_to_another_branch(api_as, tree):
    response = api_as("secretary_a").post(f"/members/{tree.zhang.pk}/transfer", letter())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["member_id"], body["from_org"], body["to_org"], body["status"]) == (
        tree.zhang.pk,
        "A",
        "B",
        "issued",
    )
    assert body["dues_paid_to"].endswith("-01")


def test_transfer_completes_when_received_and_receipt_returned(api_as, tree):
    sender, receiver = api_as("secretary_a"), api_as("secretary_b")
    transfer_id = sender.post(f"/members/{tree.zhang.pk}/transfer", letter()).json()["id"]
    assert [t["id"] for t in receiver.get("/transfers", direction="in").json()["items"]] == [transfer_id]
    assert [t["id"] for t in sender.get("/transfers", direction="out").json()["items"]] == [transfer_id]
    assert receiver.get("/transfers", direction="out").json() == {
        "items": [],
        "count": 0,
        "page": 1,
        "page_size": 50,
        "next": None,
    }
    assert [t["id"] for t in sender.get("/transfers", direction="out", org="A").json()["items"]] == [
        transfer_id
    ]
    assert sender.get("/transfers", direction="out", org="A1").json()["count"] == 0

    today = dt.date.today().isoformat()
    received = receiver.post(f"/transfers/{transfer_id}/receive", {"received_on": today})
    assert received.status_code == 200, received.content
    assert received.json()["status"] == "received"
    assert member_get(scope=SYSTEM, member_id=tree.zhang.pk).org_id == tree.b.pk
    assert receiver.get(f"/members/{tree.zhang.pk}").json()["org"] == "B"

    done = receiver.post(f"/transfers/{transfer_id}/receipt", {"returned_on": today})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed"
    assert sender.get("/transfers", direction="out").json()["count"] == 0


def test_letter_to_an_external_org_when_to_org_is_empty(api_as, tree):
    response = api_as("secretary_a").post(
        f"/members/{tree.zhang.pk}/transfer", letter(to_org=None, external_org_name="外省某支部")
    )
    assert response.status_code == 201
    assert response.json()["to_org"] is None
    assert response.json()["external_org_name"] == "外省某支部"


def test_422_when_receiving_org_code_is_unknown(api_as, tree):
    response = api_as("secretary_a").post(f"/members/{tree.zhang.pk}/transfer", letter(to_org="NOPE"))
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("MEM-TRANSFER-LETTER", "to_org")


def test_422_when_a_letter_is_already_pending(api_as, tree):
    client = api_as("secretary_a")
    client.post(f"/members/{tree.zhang.pk}/transfer", letter())
    response = client.post(f"/members/{tree.zhang.pk}/transfer", letter(letter_serial="JS-2"))
    assert response.status_code == 422
    assert response.json()["rule_id"] == "MEM-TRANSFER-LETTER"


def test_404_when_sender_receives_a_letter_addressed_outside_its_scope(api_as, tree):
    client = api_as("secretary_a")
    transfer_id = client.post(f"/members/{tree.zhang.pk}/transfer", letter()).json()["id"]
    response = client.post(f"/transfers/{transfer_id}/receive", {"received_on": dt.date.today().isoformat()})
    assert response.status_code == 404


def test_422_api_validation_when_direction_is_missing(api_as):
    response = api_as("secretary_a").get("/transfers")
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("API-VALIDATION", "direction")


def test_404_when_transfer_is_missing(api_as):
    response = api_as("secretary_a").post("/transfers/999999/receive", {"received_on": "2025-01-01"})
    assert response.status_code == 404
