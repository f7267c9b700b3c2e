"""The member roster as .xlsx: the list's filters, a real workbook, ID numbers masked for viewers."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.scoping import unscoped
from grassroots.members.models import Member
from grassroots.members.selectors import member_id_number
from tests import office
from tests.factories import SYSTEM

# CSV with comma, double quotes and UTF-8 (filter option 76).
HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "学历",
    "人员类别",
    "党员状态",
    "入党时间",
    "转正时间",
    "所在党组织",
    "党小组",
    "工作单位",
    "联系电话",
    "标记",
]


def download(client, **params):
    response = client.get(reverse("members:export"), params)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_export_is_a_roster_workbook_with_title_header_and_rows(client, personas, tree):
    client.force_login(personas.county_admin)
    response, body = download(client, org=tree.g1.code)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="members-G1-')
    assert "filename*=UTF-8''" + quote(tree.g1.name) in disposition
    assert quote("党员名册") in disposition
    wb = load_workbook(io.BytesIO(body))
    ws = wb.active
    assert ws.title == "党员名册"
    assert tree.g1.name in ws["A1"].value and dt.date.today().isoformat() in ws["A1"].value
    assert [c.value for c in ws[2]] == HEADER
    assert all(c.font.b for c in ws[2])
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["L"].width >= 30
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert sorted(r[1] for r in rows) == ["张三", "李四", "王五"]
    zhang = ws.cell(row=3 + [r[1] for r in rows].index("张三"), column=10)
    assert zhang.value == dt.datetime(2015, 7, 1) and zhang.number_format == "yyyy-mm-dd"
    assert rows[0][2] in ("男", "女") and rows[0][8] == "正式党员"


def test_export_applies_the_list_filters(client, personas, tree):
    client.force_login(personas.county_admin)
    _r, body = download(client, org=tree.g1.code, q="张")
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == ["张三"]
    _r, body = download(client, org=tree.a.code, status="probationary")
    assert load_workbook(io.BytesIO(body)).active.max_row == 2  # title and header only


def test_export_masks_id_numbers_for_a_viewer_and_shows_them_to_an_admin(client, personas, tree):
    with unscoped():
        zhang = Member.objects.unscoped_all().select_related("org").get(pk=tree.zhang.pk)
    clear = member_id_number(scope=SYSTEM, member=zhang)
    client.force_login(personas.county_viewer)
    _r, body = download(client, org=tree.a.code, q="张")
    (row,) = load_workbook(io.BytesIO(body)).active.iter_rows(min_row=3, values_only=True)
    assert row[5] == zhang.id_number_masked and "*" in row[5] and row[5] != clear
    client.force_login(personas.county_admin)
    _r, body = download(client, org=tree.a.code, q="张")
    (row,) = load_workbook(io.BytesIO(body)).active.iter_rows(min_row=3, values_only=True)
    assert row[5] == clear


def test_export_404_for_an_org_outside_scope_and_403_without_member_view(client, personas, tree):
    client.force_login(personas.secretary_a)
    assert client.get(reverse("members:export"), {"org": tree.b.code}).status_code == 404
    client.force_login(personas.member_b)
    assert client.get(reverse("members:export"), {"org": tree.b.code}).status_code == 403


def test_member_list_offers_the_export_with_its_filters(client, personas, tree):
    client.force_login(personas.county_admin)
    html = client.get(reverse("members:list"), {"org": tree.a.code, "status": "full"}).content.decode()
    assert f"{reverse('members:export')}?org={tree.a.code}&amp;status=full" in html


def test_export_converts_cleanly_with_libreoffice(client, personas, tree, tmp_path):
    client.force_login(personas.county_admin)
    _r, body = download(client, org=tree.g1.code)
    text = office.as_csv(body, tmp_path, "roster")
    assert "姓名" in text and "张三" in text and "2015-07-01" in text


def test_export_opens_when_a_record_holds_control_characters_stored_before_they_were_refused(
    client, personas, tree
):
    """Rows written before input hygiene (or around the services) may hold control characters: the roster
    export still answers a workbook, with those characters dropped and formula-like text kept as text."""
    with unscoped():
        Member.objects.unscoped_all().filter(pk=tree.zhang.pk).update(
            unit_name="测试\x1b局\x08", phone="=1+2"
        )
    client.force_login(personas.county_admin)
    _r, body = download(client, org=tree.g1.code)
    sheet = load_workbook(io.BytesIO(body)).active
    row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[1] == "张三")
    assert "测试局" in row and "=1+2" in row
