"""GET /api/v1/recruitment/policy (the policy in force for an org on a day, and where it comes from) and
POST /api/v1/recruitment/policy (a new effective-dated policy: 201, 422 REC-POLICY, 403, 404)."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.core.scoping import unscoped
from grassroots.recruitment import services
from grassroots.recruitment.models import RecruitmentPolicy

D = dt.date
PATH = "/recruitment/policy"


def stored() -> int:
    with unscoped():
        return RecruitmentPolicy.objects.unscoped_all().count()


@pytest.mark.django_db
def test_get_answers_the_defaults_when_no_org_on_the_path_set_a_policy(tree, api_as):
    response = api_as("secretary_a").get(PATH, org=tree.a.code, on="2026-01-01")
    assert response.status_code == 200
    body = response.json()
    assert (body["org"], body["source"], body["source_org"], body["effective_from"]) == (
        "A",
        "defaults",
        None,
        None,
    )
    assert (body["activist_wait_months"], body["training_days"], body["notice_working_days"]) == (0, 3, 5)
    assert body["notice_before"] == ["branch_vote"]


@pytest.mark.django_db
def test_get_names_the_ancestor_that_set_the_policy_from_its_date(tree, system_scope, api_as):
    services.policy_set(
        scope=system_scope, actor=None, org=tree.county, effective_from=D(2026, 1, 1), activist_wait_months=6
    )
    api = api_as("secretary_a")
    before = api.get(PATH, org=tree.a.code, on="2025-12-31").json()
    after = api.get(PATH, org=tree.a.code, on="2026-01-01").json()
    assert (before["source"], before["activist_wait_months"]) == ("defaults", 0)
    assert (after["source"], after["source_org"], after["effective_from"], after["activist_wait_months"]) == (
        "org",
        "C",
        "2026-01-01",
        6,
    )


@pytest.mark.django_db
def test_post_sets_a_policy_and_answers_201_with_it_when_an_org_admin_calls(tree, api_as):
    response = api_as("county_admin").post(
        PATH,
        {"org": "G1", "effective_from": "2026-02-01", "note": "县委组织部文件", "training_hours": 32},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["source_org"], body["note"], body["training_hours"], body["training_days"]) == (
        "G1",
        "县委组织部文件",
        32,
        3,
    )
    assert stored() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "values, field",
    [
        ({"activist_wait_months": -1}, "activist_wait_months"),
        ({"extension_max_months": 13}, "extension_max_months"),
        ({"notice_before": ["talk"]}, "notice_before"),
    ],
)
def test_post_answers_422_rec_policy_and_saves_nothing_when_a_value_is_out_of_range(
    tree, api_as, values, field
):
    response = api_as("county_admin").post(PATH, {"org": "G1", "effective_from": "2026-02-01", **values})
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("REC-POLICY", field)
    assert stored() == 0


@pytest.mark.django_db
def test_post_answers_403_when_a_secretary_sets_the_policy_of_their_branch(tree, api_as):
    response = api_as("secretary_a").post(PATH, {"org": "A", "effective_from": "2026-02-01"})
    assert response.status_code == 403
    assert stored() == 0


@pytest.mark.django_db
def test_404_when_a_secretary_asks_for_or_sets_the_policy_of_a_sibling_branch(tree, api_as):
    api = api_as("secretary_a")
    assert api.get(PATH, org=tree.b.code).status_code == 404
    assert api.post(PATH, {"org": "B", "effective_from": "2026-02-01"}).status_code == 404
    assert stored() == 0
