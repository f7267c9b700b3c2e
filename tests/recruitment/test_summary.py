"""The per-person summary (发展党员纪实表): every milestone in order with its date, details, recorder and
warnings, empty rows for the steps not taken, the ID number masked unless the viewer keeps records, an xlsx
export, links from the dossier and the ledger, 404 outside the scope."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.accounts import services as account_services
from grassroots.core import crypto
from grassroots.core.scoping import unscoped
from grassroots.recruitment.models import Applicant
from tests import office
from tests.factories import SYSTEM
from tests.support.dossiers import activist, applicant, step
from tests.support.personas import PASSWORD, client_for

D = dt.date


def rows_of(response) -> list[tuple]:
    return [(r["label"], r["on"]) for r in response.context["rows"]]


def clear_id_number(person) -> str:
    with unscoped():
        return crypto.decrypt(Applicant.objects.unscoped_all().get(pk=person.pk).id_number_encrypted)


@pytest.mark.django_db
def test_summary_lists_every_milestone_in_order_with_empty_rows_for_steps_not_taken(tree, personas):
    person = activist(tree)
    response = client_for("secretary_a").get(reverse("recruitment:summary", args=[person.pk]))
    assert response.status_code == 200
    rows = rows_of(response)
    assert rows[:7] == [
        ("提出入党申请", D(2025, 2, 10)),
        ("入党谈话", D(2025, 2, 20)),
        ("确定为入党积极分子", D(2025, 3, 3)),
        ("指定培养联系人", D(2025, 3, 3)),
        ("培养考察", D(2025, 9, 1)),
        ("培养考察", D(2026, 2, 27)),
        ("确定为发展对象", None),
    ]
    labels = [label for label, _on in rows]
    assert labels[7:] == [
        "确定入党介绍人",
        "政治审查",
        "集中培训",
        "上级党委预审",
        "公示",
        "支部大会讨论接收预备党员",
        "上级党委审批",
        "入党宣誓",
        "支部大会讨论转正",
        "上级党委审批转正",
        "入党时间",
        "转正时间",
    ]
    assert all(on is None for _label, on in rows[6:])
    html = response.content.decode()
    assert "党支部书记（签字）：" in html and 'data-action="print"' in html


@pytest.mark.django_db
def test_summary_names_the_mentors_and_the_source_of_the_activist(tree, personas):
    person = activist(tree)
    rows = client_for("secretary_a").get(reverse("recruitment:summary", args=[person.pk])).context["rows"]
    assert "党员推荐" in rows[2]["details"]
    assert "张三" in rows[3]["details"] and "李四" in rows[3]["details"]


@pytest.mark.django_db
def test_summary_shows_the_warning_a_late_talk_raised_and_who_recorded_it(tree, personas):
    person = applicant(tree.a, "孙申请", applied_on=D(2025, 1, 6))
    client_for("secretary_a").post(
        reverse("recruitment:event", args=[person.pk]), {"event": "talk", "on": "2025-03-01"}
    )
    response = client_for("secretary_a").get(reverse("recruitment:summary", args=[person.pk]))
    talk = response.context["rows"][1]
    assert (talk["label"], talk["on"], talk["recorded_by"]) == ("入党谈话", D(2025, 3, 1), "secretary_a")
    assert [w["rule_id"] for w in talk["warnings"]] == ["REC-TALK-1M"]
    assert "REC-TALK-1M" in response.content.decode()


@pytest.mark.django_db
def test_summary_shows_the_public_notice_period_from_start_to_end(tree, personas):
    person = activist(tree)
    step(person, "public_notice", D(2026, 3, 10), start_on="2026-03-02", working_days=5)
    rows = client_for("secretary_a").get(reverse("recruitment:summary", args=[person.pk])).context["rows"]
    [notice] = [r for r in rows if r["label"] == "公示"]
    assert "公示期 2026-03-02 至 2026-03-06" in notice["details"]


@pytest.mark.django_db
def test_summary_shows_the_full_id_number_to_the_secretary_and_masked_to_a_viewer(tree, personas):
    person = activist(tree)
    url = reverse("recruitment:summary", args=[person.pk])
    full = clear_id_number(person)
    assert full in client_for("secretary_a").get(url).content.decode()
    viewer = client_for("county_viewer").get(url).content.decode()
    assert full not in viewer and person.id_number_masked in viewer


@pytest.mark.django_db
def test_summary_exports_one_sheet_with_a_line_per_milestone(tree, personas):
    person = activist(tree)
    export = client_for("secretary_a").get(reverse("recruitment:summary", args=[person.pk]) + "?format=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    title = sheet.cell(row=1, column=1).value
    assert "钱七" in title and clear_id_number(person) in title
    lines = list(sheet.iter_rows(min_row=3, values_only=True))
    assert (lines[1][1], lines[1][2].date()) == ("入党谈话", D(2025, 2, 20))
    assert lines[-1][1] == "转正时间" and lines[-1][2] is None


@pytest.mark.django_db
def test_dossier_and_ledger_link_to_the_summary(tree, personas):
    person = activist(tree)
    url = reverse("recruitment:summary", args=[person.pk])
    client = client_for("secretary_a")
    assert url in client.get(reverse("recruitment:detail", args=[person.pk])).content.decode()
    assert url in client.get(reverse("recruitment:ledger") + f"?org={tree.a.code}").content.decode()


@pytest.mark.django_db
def test_404_when_secretary_opens_summary_of_sibling_branch(tree, personas):
    person = applicant(tree.b, "赵别支部")
    response = client_for("secretary_a").get(reverse("recruitment:summary", args=[person.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_404_when_a_member_role_opens_the_summary_in_their_own_branch(tree, personas):
    person = applicant(tree.b, "赵别支部")
    account_services.user_add(
        scope=SYSTEM, actor=None, username="member_only", password=PASSWORD, org_code="B", role="member"
    )
    assert client_for("member_only").get(reverse("recruitment:summary", args=[person.pk])).status_code == 404


@pytest.mark.django_db
def test_summary_export_opens_in_libreoffice(tree, personas, tmp_path):
    person = activist(tree)
    export = client_for("secretary_a").get(reverse("recruitment:summary", args=[person.pk]) + "?format=xlsx")
    text = office.as_csv(b"".join(export.streaming_content), tmp_path, "summary")
    assert "钱七" in text and "入党谈话" in text and "2025-02-20" in text
