import datetime as dt

from django.urls import reverse

from grassroots.core.scoping import unscoped
from grassroots.members.models import Member


def _edit_data(member, **changes):
    data = {
        "name": member.name,
        "sex": member.sex,
        "ethnicity": member.ethnicity,
        "birth_date": member.birth_date.isoformat(),
        "education": member.education,
        "occupation": member.occupation,
        "phone": member.phone,
        "admitted_on": member.admitted_on.isoformat(),
        "converted_on": member.converted_on.isoformat() if member.converted_on else "",
        "party_group": member.party_group.code if member.party_group_id else "",
    }
    data.update(changes)
    return data


def test_member_list_finds_zhang_by_initials(client, personas, tree):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("members:list"), {"q": "zs"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "张三" in html and "李四" not in html
    assert "共 1 名党员" in html


def test_member_list_htmx_request_gets_results_partial(client, personas, tree):
    client.force_login(personas.secretary_a)
    response = client.get(
        reverse("members:list"), {"status": "full"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "张三" in html and "李四" in html


def test_member_list_filters_by_org_and_flags(client, personas, tree):
    client.force_login(personas.county_admin)
    html = client.get(reverse("members:list"), {"org": tree.b.code}).content.decode()
    assert "王五" in html and "张三" not in html
    html = client.get(reverse("members:list"), {"flags": "is_needy"}).content.decode()
    assert "共 0 名党员" in html


def test_member_list_404_for_org_outside_scope(client, personas, tree):
    client.force_login(personas.secretary_a)
    assert client.get(reverse("members:list"), {"org": tree.b.code}).status_code == 404


def test_member_page_shows_profile_history_and_full_id_for_secretary(client, personas, tree):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("members:detail", args=[tree.zhang.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "张三" in html and "新建党员档案" in html
    assert "*" not in html.split('id="id-number">')[1][:20]


def test_member_page_masks_id_for_viewer(client, personas, tree):
    client.force_login(personas.county_viewer)
    html = client.get(reverse("members:detail", args=[tree.zhang.pk])).content.decode()
    assert "********" in html.split('id="id-number">')[1][:30]


def test_member_page_404_for_sibling_branch_member(client, personas, tree):
    client.force_login(personas.secretary_a)
    assert client.get(reverse("members:detail", args=[tree.wang.pk])).status_code == 404
    assert client.get(reverse("members:edit", args=[tree.wang.pk])).status_code == 404
    assert client.get(reverse("members:detail", args=[999999])).status_code == 404


def test_member_edit_creates_history_entry_with_before_and_after(client, personas, tree):
    client.force_login(personas.secretary_a)
    url = reverse("members:edit", args=[tree.zhang.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _edit_data(tree.zhang, phone="13912345678"))
    assert response.status_code == 302
    html = client.get(reverse("members:detail", args=[tree.zhang.pk])).content.decode()
    assert "修改党员信息" in html
    assert "联系电话" in html and "13800000000" in html and "13912345678" in html


def test_member_edit_shows_id_number_error_in_chinese_and_saves_nothing(client, personas, tree):
    client.force_login(personas.secretary_a)
    url = reverse("members:edit", args=[tree.zhang.pk])
    response = client.post(url, _edit_data(tree.zhang, phone="13900000001", id_number="110101199005171230"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "身份证号" in html and "MEM-ID-NUMBER" in html
    with unscoped():
        assert Member.objects.unscoped_all().get(pk=tree.zhang.pk).phone == "13800000000"


def test_member_create_under_org_saves_record(client, personas, tree):
    from tests.factories import make_id_number

    client.force_login(personas.secretary_a)
    birth = dt.date(1992, 3, 4)
    data = {
        "name": "赵六",
        "sex": "female",
        "ethnicity": "汉族",
        "birth_date": birth.isoformat(),
        "id_number": make_id_number(birth, "female"),
        "status": "probationary",
        "joined_how": "recruited",
        "education": "bachelor",
        "occupation": "worker",
        "admitted_on": "2024-07-01",
    }
    response = client.post(reverse("members:create", args=[tree.a.code]), data)
    assert response.status_code == 302
    with unscoped():
        assert Member.objects.unscoped_all().filter(name="赵六", org=tree.a).exists()


def test_member_create_shows_required_field_errors_in_chinese(client, personas, tree):
    client.force_login(personas.secretary_a)
    response = client.post(reverse("members:create", args=[tree.a.code]), {"name": "赵六"})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()


def test_member_end_records_status(client, personas, tree):
    client.force_login(personas.secretary_a)
    response = client.post(
        reverse("members:end", args=[tree.li.pk]), {"status": "deceased", "ended_on": "2026-01-05"}
    )
    assert response.status_code == 302
    with unscoped():
        assert Member.objects.unscoped_all().get(pk=tree.li.pk).status == "deceased"


def test_transfer_issue_to_external_org(client, personas, tree):
    client.force_login(personas.secretary_a)
    response = client.post(
        reverse("members:transfer", args=[tree.li.pk]),
        {
            "external_org_name": "中共某市某局机关支部",
            "letter_serial": "2026-001",
            "issued_on": "2026-01-05",
            "dues_paid_to": "2025-12-01",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("members:detail", args=[tree.li.pk])).content.decode()
    assert "2026-001" in html


def test_transfer_issue_requires_destination(client, personas, tree):
    client.force_login(personas.secretary_a)
    response = client.post(
        reverse("members:transfer", args=[tree.li.pk]),
        {"letter_serial": "2026-002", "issued_on": "2026-01-05", "dues_paid_to": "2025-12-01"},
    )
    assert response.status_code == 200
    assert "MEM-TRANSFER-LETTER" in response.content.decode()


def test_member_list_pages_by_50_with_bounded_queries(client, personas, tree, django_assert_max_num_queries):
    from tests.factories import make_member

    for i in range(52):
        make_member(tree.a, f"测试{i:02d}", birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=i))
    client.force_login(personas.secretary_a)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("members:list")).content.decode()
    assert "共 54 名党员" in html and "共 2 页" in html
    assert html.count('data-label="性别"') == 50
    html = client.get(reverse("members:list"), {"page": 2}).content.decode()
    assert html.count('data-label="性别"') == 4
