from grassroots.audit.models import AuditEvent
from grassroots.core.scoping import unscoped
from grassroots.orgs.models import Org
from tests.factories import SYSTEM


def tree_paths():
    with unscoped():
        return dict(Org.objects.unscoped_all().values_list("code", "path"))


def codes(response):
    return codes_of(response.json())


def codes_of(body):
    return [o["code"] for o in body["items"]]


def test_top_level_orgs_are_the_grant_roots_when_no_parent_is_given(api_as):
    response = api_as("secretary_a").get("/orgs")
    assert response.status_code == 200
    assert codes(response) == ["A"]
    assert response.json()["count"] == 1
    assert codes(api_as("county_admin").get("/orgs")) == ["C"]


def test_children_listed_when_parent_is_given(api_as):
    assert codes(api_as("county_admin").get("/orgs", parent="G1")) == ["A", "B"]
    page = api_as("county_admin").get("/orgs", parent="G1", page_size=1).json()
    assert (codes_of(page), page["count"], page["page"], page["next"]) == (["A"], 2, 1, 2)
    assert codes(api_as("secretary_a").get("/orgs", parent="A")) == ["A1"]


def test_404_when_parent_is_outside_scope(api_as):
    response = api_as("secretary_a").get("/orgs", parent="G1")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到"}


def test_detail_has_counts_parent_and_warnings_when_in_scope(api_as):
    response = api_as("county_admin").get("/orgs/A")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "A"
    assert body["kind"] == "branch"
    assert body["unit_kind"] == "government"
    assert body["parent"] == "G1"
    assert body["depth"] == 3
    assert body["member_counts"]["full"] == 2
    assert body["member_counts"]["active"] == 2
    assert "ORG-BRANCH-MIN-3" in {w["rule_id"] for w in body["warnings"]}
    assert all(set(w) == {"rule_id", "message"} for w in body["warnings"])


def test_parent_hidden_when_outside_scope(api_as):
    body = api_as("secretary_a").get("/orgs/A").json()
    assert body["parent"] is None


def test_404_when_org_is_missing(api_as):
    assert api_as("county_admin").get("/orgs/NOPE").status_code == 404


def test_created_with_201_when_admin_adds_a_branch(api_as):
    response = api_as("county_admin").post(
        "/orgs",
        {"parent": "G1", "code": "C3", "name": "中共测试局第三支部委员会", "kind": "branch", "phone": "123"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["parent"], body["depth"], body["phone"]) == ("C3", "G1", 3, "123")
    assert tree_paths()["C3"].startswith(tree_paths()["G1"])
    assert (
        AuditEvent.objects.within(SYSTEM).filter(action="org.create", target_label__contains="第三").exists()
    )


def test_422_org_code_unique_and_nothing_created_when_code_is_taken(api_as):
    before = tree_paths()
    response = api_as("county_admin").post(
        "/orgs", {"parent": "G1", "code": "A", "name": "重复", "kind": "branch"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["rule_id"] == "ORG-CODE-UNIQUE"
    assert body["field"] == "code"
    assert body["message"]
    assert tree_paths() == before


def test_422_api_validation_when_kind_is_unknown(api_as):
    response = api_as("county_admin").post(
        "/orgs", {"parent": "G1", "code": "X", "name": "x", "kind": "club"}
    )
    assert response.status_code == 422
    assert response.json()["rule_id"] == "API-VALIDATION"
    assert response.json()["field"] == "kind"


def test_403_when_secretary_creates_an_org(api_as):
    before = tree_paths()
    response = api_as("secretary_a").post(
        "/orgs", {"parent": "A", "code": "A2", "name": "二组", "kind": "group"}
    )
    assert response.status_code == 403
    assert tree_paths() == before


def test_404_when_creating_under_an_org_outside_scope(api_as):
    response = api_as("secretary_a").post(
        "/orgs", {"parent": "B", "code": "B2", "name": "x", "kind": "group"}
    )
    assert response.status_code == 404


def test_updated_when_patch_sends_some_fields(api_as):
    response = api_as("secretary_a").patch("/orgs/A", {"phone": "010-1234", "contact_name": "赵六"})
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["contact_name"]) == ("010-1234", "赵六")
    assert response.json()["name"] == "中共测试局第一支部委员会"


def test_date_cleared_when_patch_sends_null(api_as):
    client = api_as("secretary_a")
    assert client.patch("/orgs/A", {"founded_on": "2001-07-01"}).json()["founded_on"] == "2001-07-01"
    assert client.patch("/orgs/A", {"founded_on": None}).json()["founded_on"] is None


def test_422_org_kind_nesting_when_kind_change_breaks_the_tree(api_as):
    response = api_as("county_admin").patch("/orgs/A", {"kind": "group"})
    assert response.status_code == 422
    assert response.json()["rule_id"].startswith("ORG-KIND")


def test_moved_with_subtree_when_admin_moves_a_branch(api_as):
    client = api_as("county_admin")
    client.post("/orgs", {"parent": "C", "code": "G2", "name": "第二总支", "kind": "general_branch"})
    response = client.post("/orgs/A/move", {"parent": "G2"})
    assert response.status_code == 200, response.content
    assert response.json()["parent"] == "G2"
    paths = tree_paths()
    assert paths["A"].startswith(paths["G2"])
    assert paths["A1"].startswith(paths["A"])


def test_422_org_move_cycle_and_tree_unchanged_when_moving_under_own_descendant(api_as):
    before = tree_paths()
    response = api_as("county_admin").post("/orgs/G1/move", {"parent": "A"})
    assert response.status_code == 422
    assert response.json()["rule_id"] == "ORG-MOVE-CYCLE"
    assert response.json()["field"] == "parent"
    assert tree_paths() == before


def test_404_when_move_target_is_outside_scope(api_as):
    before = tree_paths()
    assert api_as("secretary_a").post("/orgs/A1/move", {"parent": "B"}).status_code == 404
    assert tree_paths() == before
