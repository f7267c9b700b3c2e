"""ORG-BRANCH-MIN-3 and joint branches (联合党支部) through the API: units are added and leave with their
validity dates, a joint branch covers at most five units on any day, only a branch is joint, and no update
path (units, kind, joint flag) bypasses the check (issue 8, item 7)."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.core.errors import RuleViolation
from grassroots.orgs import services
from grassroots.orgs.models import Org, OrgUnit, OrgWarningState
from tests.factories import SYSTEM, make_org


def units_of(org) -> list[tuple[str, dt.date | None, dt.date | None]]:
    return list(
        OrgUnit.objects.within(SYSTEM)
        .filter(org=org)
        .order_by("id")
        .values_list("name", "valid_from", "valid_until")
    )


def add(api, code, name, **extra):
    return api.post(f"/orgs/{code}/units", {"name": name, "unit_kind": "private_enterprise"} | extra)


def make_joint(api):
    response = api.patch("/orgs/B", {"is_joint": True, "unit_relation": "joint"})
    assert response.status_code == 200, response.content


def test_joint_branch_units_added_and_ended_with_validity_dates(api_as, tree):
    api = api_as("secretary_b")
    make_joint(api)
    first = add(api, "B", "甲公司", valid_from="2026-01-01")
    assert first.status_code == 201, first.content
    assert (first.json()["valid_from"], first.json()["valid_until"]) == ("2026-01-01", None)
    add(api, "B", "乙公司")
    ended = api.post(f"/orgs/B/units/{first.json()['id']}/end", {"valid_until": "2026-06-30"})
    assert ended.status_code == 200, ended.content
    assert units_of(tree.b) == [
        ("甲公司", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        ("乙公司", None, None),
    ]
    listed = api.get("/orgs/B/units").json()
    assert [u["name"] for u in listed["items"]] == ["乙公司", "甲公司"]  # current first
    again = api.post(f"/orgs/B/units/{first.json()['id']}/end", {"valid_until": "2026-07-31"})
    assert (again.status_code, again.json()["rule_id"]) == (422, "ORG-BRANCH-MIN-3")
    before = api.post(f"/orgs/B/units/{listed['items'][0]['id']}/end", {"valid_until": "2025-01-01"})
    assert before.status_code == 200  # an open-started unit may end any day


def test_joint_branch_refuses_a_sixth_unit_on_any_day(api_as, tree):
    api = api_as("secretary_b")
    make_joint(api)
    for i in range(4):
        assert add(api, "B", f"单位{i}").status_code == 201
    assert add(api, "B", "到期单位", valid_until="2026-03-31").status_code == 201
    sixth = add(api, "B", "第六家", valid_from="2026-03-01")  # overlaps the fifth in March
    assert sixth.status_code == 422
    assert (sixth.json()["rule_id"], sixth.json()["field"]) == ("ORG-BRANCH-MIN-3", "units")
    assert len(units_of(tree.b)) == 5
    later = add(api, "B", "第六家", valid_from="2026-04-01")  # after the fifth left: five at once
    assert later.status_code == 201, later.content
    assert len(units_of(tree.b)) == 6


def test_unit_refused_when_it_leaves_before_it_joins(api_as, tree):
    response = add(api_as("secretary_b"), "B", "甲", valid_from="2026-05-01", valid_until="2026-04-30")
    assert (response.status_code, response.json()["field"]) == (422, "valid_until")
    assert units_of(tree.b) == []


def test_no_update_path_bypasses_the_unit_check(api_as, tree):
    api = api_as("secretary_b")
    for i in range(6):  # a plain (not joint) org may list several units
        assert add(api, "B", f"单位{i}").status_code == 201
    joint = api.patch("/orgs/B", {"is_joint": True})
    assert (joint.status_code, joint.json()["rule_id"]) == (422, "ORG-BRANCH-MIN-3")
    assert not Org.objects.within(SYSTEM).get(pk=tree.b.pk).is_joint
    # Ending one unit makes it lawful.
    unit_id = api.get("/orgs/B/units").json()["items"][0]["id"]
    api.post(f"/orgs/B/units/{unit_id}/end", {"valid_until": "2020-01-01"})
    # The ended unit counted before 2020: five on any day after, but six before.
    assert api.patch("/orgs/B", {"is_joint": True}).status_code == 422
    unit_ids = [u["id"] for u in api.get("/orgs/B/units").json()["items"]]
    api.post(f"/orgs/B/units/{unit_ids[0]}/end", {"valid_until": "2019-01-01"})
    assert api.patch("/orgs/B", {"is_joint": True}).status_code == 422  # still six at once before 2019


def test_a_joint_branch_cannot_change_kind_and_only_a_branch_is_joint(api_as, tree):
    admin = api_as("county_admin")
    make_org(tree.county, "J", kind="branch", is_joint=True)
    # A joint branch under the county cannot become a general branch while it is joint.
    response = admin.patch("/orgs/J", {"kind": "general_branch"})
    assert (response.status_code, response.json()["rule_id"]) == (422, "ORG-BRANCH-MIN-3")
    assert Org.objects.within(SYSTEM).get(code="J").kind == "branch"
    assert admin.patch("/orgs/J", {"kind": "general_branch", "is_joint": False}).status_code == 200
    created = admin.post(
        "/orgs",
        {"parent": "C", "code": "GJ", "name": "联合党总支", "kind": "general_branch", "is_joint": True},
    )
    assert (created.status_code, created.json()["rule_id"]) == (422, "ORG-BRANCH-MIN-3")
    assert not Org.objects.within(SYSTEM).filter(code="GJ").exists()
    g1 = admin.patch("/orgs/G1", {"is_joint": True})
    assert (g1.status_code, g1.json()["rule_id"]) == (422, "ORG-BRANCH-MIN-3")


def test_units_follow_the_warning_by_their_dates(tree):
    services.org_update(scope=SYSTEM, actor=None, org=tree.b, is_joint=True)
    for i in range(5):
        services.org_unit_add(scope=SYSTEM, actor=None, org=tree.b, name=f"单位{i}", unit_kind="other")
    with pytest.raises(RuleViolation) as refused:
        services.org_unit_add(scope=SYSTEM, actor=None, org=tree.b, name="单位5", unit_kind="other")
    assert refused.value.rule_id == "ORG-BRANCH-MIN-3"
    # Only ORG-BRANCH-MIN-3 for the few full members; not for the units.
    rows = OrgWarningState.objects.within(SYSTEM).filter(org=tree.b, rule_id="ORG-BRANCH-MIN-3")
    assert [len(r.messages) for r in rows] == [1]


def test_unit_writes_need_the_edit_role_and_the_scope(api_as, tree):
    assert add(api_as("county_viewer"), "B", "甲").status_code == 403
    assert add(api_as("secretary_a"), "B", "甲").status_code == 404
    unit = services.org_unit_add(scope=SYSTEM, actor=None, org=tree.b, name="甲", unit_kind="other")
    assert (
        api_as("secretary_a").post(f"/orgs/A/units/{unit.pk}/end", {"valid_until": "2026-01-01"}).status_code
        == 404
    )
    assert api_as("secretary_b").get("/orgs/A/units").status_code == 404
    assert units_of(tree.b) == [("甲", None, None)]
