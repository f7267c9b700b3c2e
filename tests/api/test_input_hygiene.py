"""Issue 9, item 4 through the API: each defect the probe found, sent as it was, is refused now with a 422
naming its rule (INPUT-TEXT, INPUT-INT, INPUT-DATE) and nothing stored — never a 500."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.core.scoping import unscoped
from grassroots.members.choices import TransferStatus
from grassroots.members.models import Member, Transfer
from grassroots.recruitment.models import RecruitmentEvent
from tests.factories import make_id_number
from tests.support.road import VOTE, apply, steps, votes, walk

TODAY = dt.date.today()


def new_member(**overrides):
    body = {
        "org": "A",
        "name": "赵六",
        "sex": "female",
        "birth_date": "1992-03-04",
        "id_number": make_id_number(dt.date(1992, 3, 4), "female"),
        "status": "probationary",
        "admitted_on": "2024-07-01",
        "education": "bachelor",
        "occupation": "professional",
        "phone": "13900000000",
    }
    return body | overrides


def member_names():
    with unscoped():
        return set(Member.objects.unscoped_all().values_list("name", flat=True))


def letter(**overrides):
    body = {
        "to_org": "B",
        "letter_serial": "JS-2026-009",
        "dues_paid_to": TODAY.isoformat(),
        "issued_on": TODAY.isoformat(),
    }
    return body | overrides


def transfers():
    with unscoped():
        return Transfer.objects.unscoped_all().count()


def refusal(response, rule_id, field):
    assert response.status_code == 422, response.content
    body = response.json()
    assert (body["rule_id"], body["field"]) == (rule_id, field), body
    return body


# ---------------------------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u200b", "\u202e", "\u2066", "\ufeff"],
    ids=["nul", "soh", "esc", "del", "c1-nel", "zero-width-space", "rtl-override", "isolate", "bom"],
)
def test_text_with_a_control_or_invisible_character_refused_with_input_text(api_as, tree, char):
    before = member_names()
    response = api_as("county_admin").post("/members", new_member(name=f"赵{char}六"))
    body = refusal(response, "INPUT-TEXT", "name")
    assert f"U+{ord(char):04X}" in body["message"]
    assert member_names() == before


def test_nul_in_an_optional_text_refused_with_its_field_named(api_as, tree):
    response = api_as("county_admin").post("/members", new_member(address="北京市\x00东城区"))
    refusal(response, "INPUT-TEXT", "address")


def test_tab_line_feed_and_carriage_return_are_kept_in_text(api_as, tree):
    response = api_as("county_admin").post("/members", new_member(address="北京市\r\n东城区\t1号"))
    assert response.status_code == 201, response.content
    assert response.json()["address"] == "北京市\r\n东城区\t1号"


def test_nul_in_a_patch_refused_and_the_record_unchanged(api_as, tree):
    response = api_as("secretary_a").patch(f"/members/{tree.zhang.pk}", {"unit_name": "测试\x00局"})
    refusal(response, "INPUT-TEXT", "unit_name")
    with unscoped():
        assert "\x00" not in Member.objects.unscoped_all().get(pk=tree.zhang.pk).unit_name


def test_nul_in_a_query_string_refused_with_input_text_not_a_database_error(api_as, tree):
    response = api_as("secretary_a").get("/members", q="张\x00")
    refusal(response, "INPUT-TEXT", "q")


def test_nul_in_a_path_answers_404(api_as, tree):
    response = api_as("county_admin").get("/orgs/A\x00")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到"}


def test_nul_in_a_recruitment_step_refused_with_input_text(tree, secretary):
    applicant_id = apply(secretary, tree).json()["id"]
    step = {**steps(tree)[0], "reason": "理由\x00"}
    before = step_rows()
    refusal(secretary.post(f"/recruitment/applicants/{applicant_id}/events", step), "INPUT-TEXT", "reason")
    assert step_rows() == before


# ---------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize("day", ["0001-01-01", "1900-01-01", "2999-01-01", "9999-12-31"])
def test_transfer_letter_with_an_implausible_date_refused_with_input_date(api_as, tree, day):
    before = transfers()
    response = api_as("secretary_a").post(f"/members/{tree.zhang.pk}/transfer", letter(issued_on=day))
    body = refusal(response, "INPUT-DATE", "issued_on")
    assert day in body["message"]
    assert transfers() == before


def test_transfer_letter_dated_tomorrow_refused_as_a_past_act(api_as, tree):
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    response = api_as("secretary_a").post(f"/members/{tree.zhang.pk}/transfer", letter(issued_on=tomorrow))
    refusal(response, "INPUT-DATE", "issued_on")


def test_dues_paid_to_9999_12_31_refused_not_a_server_error(api_as, tree):
    response = api_as("secretary_a").post(
        f"/members/{tree.zhang.pk}/transfer", letter(dues_paid_to="9999-12-31")
    )
    refusal(response, "INPUT-DATE", "dues_paid_to")


def issued(api_as, tree) -> int:
    response = api_as("secretary_a").post(f"/members/{tree.zhang.pk}/transfer", letter())
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.mark.parametrize("day", ["1900-01-01", "2999-01-01"])
def test_transfer_receipt_with_an_implausible_date_refused_with_input_date(api_as, tree, day):
    transfer_id = issued(api_as, tree)
    response = api_as("secretary_b").post(f"/transfers/{transfer_id}/receive", {"received_on": day})
    refusal(response, "INPUT-DATE", "received_on")
    with unscoped():
        assert Transfer.objects.unscoped_all().get(pk=transfer_id).status == TransferStatus.ISSUED


def test_return_receipt_dated_before_its_letter_refused(api_as, tree):
    response = api_as("secretary_a").post(
        f"/members/{tree.zhang.pk}/transfer",
        letter(to_org=None, external_org_name="中共外县委员会", issued_on=TODAY.isoformat()),
    )
    assert response.status_code == 201, response.content
    transfer_id = response.json()["id"]
    earlier = (TODAY - dt.timedelta(days=3)).isoformat()
    response = api_as("secretary_a").post(f"/transfers/{transfer_id}/receipt", {"returned_on": earlier})
    refusal(response, "MEM-TRANSFER-LETTER", "returned_on")
    with unscoped():
        assert Transfer.objects.unscoped_all().get(pk=transfer_id).status == TransferStatus.ISSUED


def test_birth_date_in_1899_refused_with_input_date(api_as, tree):
    response = api_as("county_admin").post("/members", new_member(birth_date="1899-12-31"))
    refusal(response, "INPUT-DATE", "birth_date")


# ---------------------------------------------------------------------------------------------- integers


def step_rows():
    with unscoped():
        return RecruitmentEvent.objects.unscoped_all().count()


@pytest.mark.parametrize("count", [2**70, 2**31, 100_001], ids=["2^70", "2^31", "over-the-count-bound"])
def test_vote_count_beyond_its_bound_refused_with_input_int_and_not_stored(tree, secretary, count):
    road = steps(tree)
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, road[:11])
    before = step_rows()
    step = {"event": "branch_vote", "on": VOTE.isoformat(), **votes(yes=count)}
    response = secretary.post(f"/recruitment/applicants/{applicant_id}/events", step)
    refusal(response, "INPUT-INT", "yes")
    assert step_rows() == before


def test_id_beyond_bigint_in_a_path_answers_404(api_as, tree):
    assert api_as("county_admin").get(f"/members/{2**70}").status_code == 404


def test_integer_beyond_bigint_in_a_query_refused_with_input_int(api_as, tree):
    refusal(api_as("secretary_a").get("/members", page=2**70), "INPUT-INT", "page")


# ---------------------------------------------------------------------------------------------- pages


def test_page_10_to_the_17_answers_an_empty_page(api_as, tree):
    response = api_as("secretary_a").get("/members", page=10**17)
    assert response.status_code == 422 or response.json()["items"] == []
    refusal(response, "API-VALIDATION", "page")


def test_page_past_the_last_within_the_bound_answers_an_empty_page(api_as, tree):
    response = api_as("secretary_a").get("/members", page=2**31 - 1, page_size=200)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["items"], body["next"], body["count"]) == ([], None, 2)


# ---------------------------------------------------------------------------------------------- ID numbers


def test_id_number_with_region_000000_refused_with_mem_id_number_saying_why(api_as, tree):
    from grassroots.core import id_number

    number = id_number.make("000000", dt.date(1992, 3, 4), 12)
    response = api_as("county_admin").post("/members", new_member(id_number=number))
    body = refusal(response, "MEM-ID-NUMBER", "id_number")
    assert "行政区划代码" in body["message"]
