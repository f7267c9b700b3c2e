"""Item 19 of issue 8: full-width input (ＣＨＺ, full-width digits, the ideographic space) searches as its
half-width form, and an ID number's last four characters find its record, through the API of the lists."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from grassroots.core import id_number
from grassroots.core.scoping import unscoped
from grassroots.members.models import Member
from tests.factories import make_member
from tests.support.dossiers import applicant


def full_width(text: str) -> str:
    """`text` as a Chinese input method types it: ASCII letters and digits in their full-width forms."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_member_found_by_full_width_initials_and_pinyin_when_searching(api_as, tree):
    make_member(tree.a, "陈浩哲")
    client = api_as("secretary_a")
    assert names(client.get("/members", q="ＣＨＺ")) == ["陈浩哲"]
    assert names(client.get("/members", q="\u3000ｃｈｅｎ\u3000ｈａｏ")) == ["陈浩哲"]
    assert names(client.get("/members", q="chz")) == ["陈浩哲"]


def test_member_found_by_full_width_phone_digits_when_searching(api_as, tree):
    make_member(tree.a, "陈浩哲", phone="13912345678")
    assert names(api_as("secretary_a").get("/members", q=full_width("912345"))) == ["陈浩哲"]


def test_member_found_by_full_width_id_number_when_searching(api_as, tree):
    number = id_number.make("110101", dt.date(1990, 5, 6), 123)
    make_member(tree.a, "陈浩哲", birth_date=dt.date(1990, 5, 6), sex="male", id_number=number)
    # A whole ID number travels in the X-Search header (core.id_search), percent-encoded.
    searched = quote(full_width(number.lower()))
    assert names(api_as("secretary_a").get("/members", headers={"X-Search": searched})) == ["陈浩哲"]


def test_member_found_by_last_four_id_characters_when_searching(api_as, tree):
    number = id_number.make("110101", dt.date(1990, 5, 6), 123)
    member = make_member(tree.a, "陈浩哲", birth_date=dt.date(1990, 5, 6), sex="male", id_number=number)
    with unscoped():
        stored = Member.objects.unscoped_all().get(pk=member.pk)
    assert number[-4:] not in stored.id_number_masked  # the masked form does not show the tail
    client = api_as("secretary_a")
    assert names(client.get("/members", q=number[-4:])) == ["陈浩哲"]
    assert names(client.get("/members", q=full_width(number[-4:]))) == ["陈浩哲"]
    # Any other part of the number is not searchable: nothing is stored from which it could be read.
    assert names(client.get("/members", q=number[6:14])) == []
    assert names(client.get("/members", q=number[:6])) == []


def test_member_found_by_id_tail_ending_in_x_when_searching_lower_case(api_as, tree):
    birth = dt.date(1990, 5, 6)
    sequence = next(s for s in range(1, 999, 2) if id_number.make("110101", birth, s).endswith("X"))
    number = id_number.make("110101", birth, sequence)
    make_member(tree.a, "陈浩哲", birth_date=birth, sex="male", id_number=number)
    assert names(api_as("secretary_a").get("/members", q=number[-4:].lower())) == ["陈浩哲"]


def test_dossier_found_by_full_width_initials_and_id_tail_when_searching(tree, secretary):
    person = applicant(tree.a, "陈浩哲")
    applicant(tree.a, "钱七")
    from grassroots.core import crypto

    with unscoped():
        tail = crypto.decrypt(person.id_number_encrypted)[-4:]
        assert tail not in person.id_number_masked
    found = secretary.get("/recruitment/applicants", org=tree.a.code, q="ＣＨＺ")
    assert names(found) == ["陈浩哲"]
    assert names(secretary.get("/recruitment/applicants", org=tree.a.code, q=full_width(tail))) == ["陈浩哲"]


def test_org_found_by_full_width_code_when_searching(client, personas, tree):
    client.force_login(personas.county_admin)
    html = client.get("/orgs/search/", {"q": full_width(tree.a.code)}).content.decode()
    assert tree.a.name in html


def test_members_listed_by_surname_pinyin_not_by_character_code_when_listing(api_as, tree):
    # By code point 丁 < 何 < 安 < 张 < 李 < 董; by pinyin (surname first) 安 < 丁 < 董 < 何 < 李 < 张.
    for name in ("丁一", "何二", "安三", "李四四", "董五", "张六六"):
        make_member(tree.a, name)
    listed = names(api_as("secretary_a").get("/members", org=tree.a.code, page_size=50))
    ours = [n for n in listed if n in {"丁一", "何二", "安三", "李四四", "董五", "张六六", "张三"}]
    assert ours == ["安三", "丁一", "董五", "何二", "李四四", "张六六", "张三"]


def test_members_listed_by_surname_syllable_when_one_surname_begins_another(api_as, tree):
    # 李 (li) before 林 (lin) on both engines, although "linan" < "lining" letter by letter.
    for name in ("林安", "李宁"):
        make_member(tree.a, name)
    listed = names(api_as("secretary_a").get("/members", org=tree.a.code, page_size=50))
    assert [n for n in listed if n in {"林安", "李宁"}] == ["李宁", "林安"]


def test_dossiers_listed_by_surname_pinyin_when_listing(tree, secretary):
    for name in ("丁一", "安三", "何二"):
        applicant(tree.a, name)
    listed = names(secretary.get("/recruitment/applicants", org=tree.a.code))
    assert listed == ["安三", "丁一", "何二"]


def test_id_number_and_tail_find_nothing_when_caller_may_not_read_the_number(api_as, tree):
    """A viewer sees masked numbers only: a search by a whole number or a tail would confirm a guess, so it
    finds nothing for them, while the secretary who keeps the records finds the member."""
    number = id_number.make("110101", dt.date(1990, 5, 6), 123)
    make_member(tree.a, "陈浩哲", birth_date=dt.date(1990, 5, 6), sex="male", id_number=number)
    viewer = api_as("county_viewer")
    assert names(viewer.get("/members", q="陈浩哲")) == ["陈浩哲"]
    assert names(viewer.get("/members", q=number[-4:])) == []
    assert names(api_as("secretary_a").get("/members", q=number[-4:])) == ["陈浩哲"]


def test_dossier_id_tail_finds_nothing_when_caller_may_not_read_the_number(tree, api_as, secretary):
    from grassroots.core import crypto

    person = applicant(tree.a, "陈浩哲")
    with unscoped():
        tail = crypto.decrypt(person.id_number_encrypted)[-4:]
    assert names(secretary.get("/recruitment/applicants", org=tree.a.code, q=tail)) == ["陈浩哲"]
    assert names(api_as("county_viewer").get("/recruitment/applicants", org=tree.a.code, q=tail)) == []
