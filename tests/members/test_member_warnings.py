"""MEM-LOST-CONTACT and MEM-TRANSFER-REQUIRED warnings (issue 8, item 8): computed from what the member record
holds, stored per member (MemberWarningState, kept by the services), shown on the member's record and counted
over every org's subtree, each count opening the list of the members concerned."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from grassroots.core import derived
from grassroots.core.dates import add_months, add_years
from grassroots.core.scoping import unscoped
from grassroots.members import selectors
from grassroots.members.models import MemberWarningState
from tests.factories import SYSTEM, make_id_number, make_member
from tests.support.personas import client_for


def today():
    return timezone.localdate()


def stored(member_id: int) -> dict[str, object]:
    with unscoped():
        return dict(
            MemberWarningState.objects.unscoped_all()
            .filter(member_id=member_id)
            .values_list("rule_id", "holds_from")
        )


def new_member(org="A", **overrides):
    born = add_years(today(), -40)
    return {
        "org": org,
        "name": "赵失联",
        "sex": "male",
        "birth_date": born.isoformat(),
        "id_number": make_id_number(born, "male"),
        "status": "full",
        "admitted_on": add_years(today(), -10).isoformat(),
        "converted_on": add_years(today(), -9).isoformat(),
        "education": "bachelor",
        "occupation": "worker",
    } | overrides


def names(body) -> list[str]:
    return sorted(m["name"] for m in body["items"])


def test_mem_lost_contact_warns_the_branch_after_six_months_out_of_contact(api_as):
    api = api_as("secretary_a")
    since = add_months(today(), -7)
    created = api.post("/members", new_member(is_lost_contact=True, lost_contact_since=since.isoformat()))
    assert created.status_code == 201, created.content
    member = created.json()
    assert [w["rule_id"] for w in member["warnings"]] == ["MEM-LOST-CONTACT"]
    assert "应按规定停止其党籍" in member["warnings"][0]["message"]
    assert stored(member["id"]) == {"MEM-LOST-CONTACT": add_months(since, 6)}
    # Three months out of contact: the row is stored with its day ahead, and nothing is shown yet.
    recent = api.post(
        "/members",
        new_member(
            name="钱近期",
            id_number=make_id_number(add_years(today(), -40), "male"),
            is_lost_contact=True,
            lost_contact_since=add_months(today(), -3).isoformat(),
        ),
    ).json()
    assert recent["warnings"] == [] and stored(recent["id"])["MEM-LOST-CONTACT"] > today()
    listed = api.get("/members", org="A", warning="MEM-LOST-CONTACT").json()
    assert names(listed) == ["赵失联"] and listed["count"] == 1
    # Suspended (停止党籍) and still out of contact: the warning turns to removal, two years after.
    ended = api.post(f"/members/{member['id']}/end", {"status": "suspended", "ended_on": today().isoformat()})
    assert ended.status_code == 200 and ended.json()["warnings"] == []
    assert stored(member["id"]) == {"MEM-LOST-CONTACT": add_years(today(), 2)}
    # Contact found again: the warning goes.
    patched = api.patch(f"/members/{recent['id']}", {"is_lost_contact": False})
    assert patched.status_code == 200 and stored(recent["id"]) == {}
    assert api.get("/members", org="A", warning="not-a-rule").status_code == 422


def test_mem_transfer_required_warns_after_six_months_away(api_as):
    api = api_as("secretary_a")
    created = api.post(
        "/members",
        new_member(
            name="孙外出",
            is_mobile=True,
            mobile_to="深圳市",
            mobile_since=add_months(today(), -8).isoformat(),
        ),
    )
    assert created.status_code == 201, created.content
    member = created.json()
    assert [w["rule_id"] for w in member["warnings"]] == ["MEM-TRANSFER-REQUIRED"]
    assert "深圳市" in member["warnings"][0]["message"]
    assert "MEM-TRANSFER-REQUIRED" in stored(member["id"])
    assert names(api.get("/members", warning="MEM-TRANSFER-REQUIRED").json()) == ["孙外出"]
    # The letter goes out: the transfer is under way, the warning is resolved.
    letter = {
        "to_org": "B",
        "letter_serial": "JS-2026-009",
        "dues_paid_to": today().replace(day=1).isoformat(),
        "issued_on": today().isoformat(),
    }
    issued = api.post(f"/members/{member['id']}/transfer", letter)
    assert issued.status_code == 201
    assert stored(member["id"]) == {}
    assert api.get(f"/members/{member['id']}").json()["warnings"] == []
    # The letter is cancelled: no transfer is under way any more, and the warning holds again.
    cancelled = api.post(
        f"/transfers/{issued.json()['id']}/cancel",
        {"reason": "单位名称有误", "cancelled_on": today().isoformat()},
    )
    assert cancelled.status_code == 200
    assert "MEM-TRANSFER-REQUIRED" in stored(member["id"])
    assert [w["rule_id"] for w in api.get(f"/members/{member['id']}").json()["warnings"]] == [
        "MEM-TRANSFER-REQUIRED"
    ]


def test_member_warnings_are_counted_up_the_tree_and_drill_down(tree, personas):
    make_member(tree.a, "赵失联", is_lost_contact=True, lost_contact_since=add_months(today(), -9))
    make_member(tree.b, "钱失联", is_lost_contact=True, lost_contact_since=add_months(today(), -7))
    make_member(tree.b, "孙外出", is_mobile=True, mobile_since=add_months(today(), -6))
    make_member(tree.b, "李刚走", is_mobile=True, mobile_since=add_months(today(), -1))
    on = today()
    assert selectors.member_warning_counts(scope=SYSTEM, org=tree.county, on=on) == {
        "MEM-LOST-CONTACT": 2,
        "MEM-TRANSFER-REQUIRED": 1,
    }
    assert selectors.member_warning_counts(scope=SYSTEM, org=tree.a, on=on) == {
        "MEM-LOST-CONTACT": 1,
        "MEM-TRANSFER-REQUIRED": 0,
    }
    client = client_for("county_admin")
    page = client.get(reverse("orgs:detail", args=[tree.county.code])).content.decode()
    card = re.search(r'id="summary-member_warnings".*?</div>', page, re.S).group(0)
    links = dict(re.findall(r'<a class="count-link" href="([^"]+)">(\d+)</a>', card))
    assert sorted(links.values()) == ["1", "2"]
    lost_url = next(url for url, n in links.items() if n == "2").replace("&amp;", "&")
    listed = client.get(lost_url).content.decode()
    assert "赵失联" in listed and "钱失联" in listed and "孙外出" not in listed
    # The branch sees its own; a secretary of A does not see B's.
    branch_page = client_for("secretary_a").get(reverse("orgs:detail", args=[tree.a.code])).content.decode()
    assert 'id="summary-member_warnings"' in branch_page
    assert selectors.member_warning_counts(scope=SYSTEM, org=tree.a1, on=on) == {
        "MEM-LOST-CONTACT": 0,
        "MEM-TRANSFER-REQUIRED": 0,
    }


def test_member_warnings_are_counted_on_the_home_page_of_each_grant(tree, personas):
    make_member(tree.a, "赵失联", is_lost_contact=True, lost_contact_since=add_months(today(), -9))
    make_member(tree.b, "钱失联", is_lost_contact=True, lost_contact_since=add_months(today(), -7))
    county = client_for("county_admin").get(reverse("home")).content.decode()
    [(url, n)] = re.findall(
        r'class="count-link text-danger member-warning" href="([^"]+)"[^>]*>失联党员应作处置 (\d+) 名', county
    )
    assert n == "2" and "warning=MEM-LOST-CONTACT" in url
    listed = client_for("county_admin").get(url.replace("&amp;", "&")).content.decode()
    assert "赵失联" in listed and "钱失联" in listed
    branch = client_for("secretary_a").get(reverse("home")).content.decode()
    assert re.findall(r"失联党员应作处置 (\d+) 名", branch) == ["1"]
    assert "组织关系应转未转" not in branch  # none: nothing to show


def test_member_page_shows_its_warnings(tree, personas):
    lost = make_member(tree.a, "赵失联", is_lost_contact=True, lost_contact_since=add_months(today(), -7))
    page = client_for("secretary_a").get(reverse("members:detail", args=[lost.pk])).content.decode()
    assert 'id="member-warnings"' in page and "MEM-LOST-CONTACT" in page
    plain = client_for("secretary_a").get(reverse("members:detail", args=[tree.li.pk])).content.decode()
    assert 'id="member-warnings"' not in plain


def test_stored_member_warnings_are_checked_and_refreshed_as_a_derived_table(tree):
    lost = make_member(tree.a, "赵失联", is_lost_contact=True, lost_contact_since=add_months(today(), -7))
    table = {t.name: t for t in derived.REGISTRY.ordered()}["member_warnings"]
    assert table.drift(scope=SYSTEM) == []
    with unscoped():
        MemberWarningState.objects.unscoped_all().filter(member=lost).delete()
    assert table.drift(scope=SYSTEM) == [f"member {lost.pk}: MEM-LOST-CONTACT missing"]
    assert table.refresh(scope=SYSTEM, actor=None) == [
        "member warnings: 1 members checked, 1 added, 0 changed, 0 removed"
    ]
    assert table.drift(scope=SYSTEM) == [] and "MEM-LOST-CONTACT" in stored(lost.pk)
