import datetime as dt

from grassroots.audit.models import AuditEvent
from grassroots.core.scoping import unscoped
from grassroots.members import figures
from grassroots.members.models import Member
from tests.factories import SYSTEM, make_id_number, make_member


def member_count():
    with unscoped():
        return Member.objects.unscoped_all().count()


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


def test_page_of_items_and_count_when_listing(api_as, tree):
    for i in range(3):
        make_member(tree.a, f"成员{i}")
    client = api_as("secretary_a")
    response = client.get("/members", page_size=2)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count", "page", "page_size", "next"}
    assert (body["count"], body["page"], body["page_size"], body["next"]) == (5, 1, 2, 2)
    assert len(body["items"]) == 2
    second = client.get("/members", page_size=2, page=3).json()
    assert len(second["items"]) == 1
    assert (second["count"], second["page"], second["next"]) == (5, 3, None)
    all_ids = {m["id"] for m in client.get("/members", page_size=200).json()["items"]}
    assert len(all_ids) == 5


def test_fifty_per_page_when_page_size_is_not_given(api_as, tree):
    with unscoped():
        Member.objects.bulk_create(
            [
                Member(
                    org=tree.a,
                    name=f"批量{i}",
                    name_pinyin=f"pi{i:03d}",
                    name_initials="pl",
                    name_sort=f"pi0{i:03d}",
                    sex="male",
                    birth_date=dt.date(1990, 1, 1),
                    education="bachelor",
                    occupation="worker",
                    admitted_on=dt.date(2015, 1, 1),
                    status="probationary",
                    joined_how="other",
                )
                for i in range(60)
            ]
        )
        # Loaded raw, like the seed: bring the maintained member figures up to date as it does.
        figures.overwrite(figures.drift())
    body = api_as("secretary_a").get("/members").json()
    assert (len(body["items"]), body["count"]) == (50, 62)


def test_422_api_validation_when_page_size_exceeds_200(api_as):
    response = api_as("secretary_a").get("/members", page_size=201)
    assert response.status_code == 422
    assert response.json()["rule_id"] == "API-VALIDATION"
    assert response.json()["field"] == "page_size"


def test_empty_page_when_page_is_past_the_end(api_as):
    body = api_as("secretary_a").get("/members", page=9).json()
    assert body == {"items": [], "count": 2, "page": 9, "page_size": 50, "next": None}


def test_zhangsan_found_when_searching_pinyin_initials_zs(api_as, tree):
    response = api_as("secretary_a").get("/members", q="zs")
    assert [m["name"] for m in response.json()["items"]] == ["张三"]
    assert [m["name"] for m in api_as("secretary_a").get("/members", q="zhangsan").json()["items"]] == [
        "张三"
    ]


def test_only_org_subtree_listed_when_org_is_given(api_as):
    client = api_as("county_admin")
    assert {m["name"] for m in client.get("/members", org="B").json()["items"]} == {"王五"}
    assert {m["name"] for m in client.get("/members", org="G1").json()["items"]} == {"张三", "李四", "王五"}


def test_filtered_when_status_is_given(api_as, tree):
    make_member(tree.a, "预备", status="probationary")
    names = [m["name"] for m in api_as("secretary_a").get("/members", status="probationary").json()["items"]]
    assert names == ["预备"]


def test_filtered_like_the_list_page_when_education_occupation_or_flags_are_given(api_as, tree):
    make_member(tree.a, "硕士", education="postgraduate", occupation="worker", is_needy=True)
    client = api_as("secretary_a")
    assert [m["name"] for m in client.get("/members", education="postgraduate").json()["items"]] == ["硕士"]
    assert [m["name"] for m in client.get("/members", occupation="worker").json()["items"]] == ["硕士"]
    assert [m["name"] for m in client.get("/members", flags="is_needy").json()["items"]] == ["硕士"]
    assert client.get("/members", flags=["is_needy", "is_mobile"]).json()["count"] == 0


def test_422_api_validation_when_a_filter_value_is_not_a_choice(api_as):
    response = api_as("secretary_a").get("/members", education="nope")
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("API-VALIDATION", "education")


def test_id_numbers_masked_when_listing(api_as, tree):
    items = api_as("secretary_a").get("/members").json()["items"]
    assert all("*" in m["id_number"] for m in items)


def test_404_when_listing_an_org_outside_scope(api_as):
    assert api_as("secretary_a").get("/members", org="B").status_code == 404


def test_403_when_member_role_lists_org_members(api_as):
    assert api_as("member_b").get("/members", org="B").status_code == 403


def test_id_number_in_clear_when_secretary_reads_a_record(api_as, tree):
    body = api_as("secretary_a").get(f"/members/{tree.zhang.pk}").json()
    assert body["name"] == "张三"
    assert body["org"] == "A"
    assert body["party_group"] == "A1"
    assert "*" not in body["id_number"]
    assert len(body["id_number"]) == 18


def test_id_number_masked_when_viewer_reads_a_record(api_as, tree):
    body = api_as("county_viewer").get(f"/members/{tree.zhang.pk}").json()
    assert "*" in body["id_number"]
    assert body["id_number"] == tree.zhang.id_number_masked


def test_404_when_member_is_missing(api_as):
    assert api_as("county_admin").get("/members/999999").status_code == 404


def test_created_with_201_when_input_is_valid(api_as):
    before = member_count()
    response = api_as("secretary_a").post("/members", new_member(party_group="A1"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["org"], body["party_group"], body["status"]) == (
        "赵六",
        "A",
        "A1",
        "probationary",
    )
    assert member_count() == before + 1
    assert AuditEvent.objects.within(SYSTEM).filter(action="member.create", target_id=body["id"]).exists()


def test_422_mem_id_number_and_nothing_created_when_id_number_is_invalid(api_as):
    before = member_count()
    good = make_id_number(dt.date(1992, 3, 4), "female")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = api_as("secretary_a").post("/members", new_member(id_number=bad))
    assert response.status_code == 422
    body = response.json()
    assert body["rule_id"] == "MEM-ID-NUMBER"
    assert body["field"] == "id_number"
    assert body["message"]
    assert member_count() == before
    assert not AuditEvent.objects.within(SYSTEM).filter(action="member.create", target_label="赵六").exists()


def test_422_mem_id_number_when_birth_date_disagrees(api_as):
    response = api_as("secretary_a").post("/members", new_member(birth_date="1992-03-05"))
    assert response.json()["rule_id"] == "MEM-ID-NUMBER"


def test_422_mem_id_duplicate_when_number_is_on_another_record(api_as, tree):
    from grassroots.members.selectors import member_id_number

    taken = member_id_number(scope=SYSTEM, member=tree.zhang)
    response = api_as("secretary_a").post(
        "/members", new_member(id_number=taken, sex="male", birth_date="1990-05-17")
    )
    assert response.json()["rule_id"] == "MEM-ID-DUPLICATE"


def test_404_and_nothing_created_when_org_is_outside_scope(api_as):
    before = member_count()
    assert api_as("secretary_a").post("/members", new_member(org="B")).status_code == 404
    assert member_count() == before


def test_422_api_validation_when_required_field_is_missing(api_as):
    body = new_member()
    del body["name"]
    response = api_as("secretary_a").post("/members", body)
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("API-VALIDATION", "name")


def test_updated_when_patch_sends_some_fields(api_as, tree):
    response = api_as("secretary_a").patch(
        f"/members/{tree.zhang.pk}", {"phone": "13700000000", "name": "张叁"}
    )
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["name"]) == ("13700000000", "张叁")
    assert (
        response.json()["id_number"]
        == api_as("secretary_a").get(f"/members/{tree.zhang.pk}").json()["id_number"]
    )


def test_party_group_removed_when_patch_sends_null(api_as, tree):
    response = api_as("secretary_a").patch(f"/members/{tree.zhang.pk}", {"party_group": None})
    assert response.status_code == 200
    assert response.json()["party_group"] is None


def test_422_mem_id_number_when_patch_sends_a_bad_number(api_as, tree):
    response = api_as("secretary_a").patch(f"/members/{tree.zhang.pk}", {"id_number": "110101199005170000"})
    assert response.status_code == 422
    assert response.json()["rule_id"] == "MEM-ID-NUMBER"


def test_403_when_viewer_patches(api_as, tree):
    assert api_as("county_viewer").patch(f"/members/{tree.zhang.pk}", {"phone": "1"}).status_code == 403


def test_record_kept_with_status_when_membership_ends(api_as, tree):
    response = api_as("secretary_a").post(
        f"/members/{tree.li.pk}/end",
        {"status": "deceased", "ended_on": "2025-01-02", "reason": "病故", "document": "支部登记"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["ended_on"], body["end_reason"]) == ("deceased", "2025-01-02", "病故")
    assert api_as("secretary_a").get(f"/members/{tree.li.pk}").status_code == 200


def test_422_mem_status_when_end_status_is_not_an_ending(api_as, tree):
    response = api_as("secretary_a").post(
        f"/members/{tree.li.pk}/end", {"status": "full", "ended_on": "2025-01-02"}
    )
    assert response.status_code == 422
    assert response.json()["rule_id"] == "MEM-STATUS"
