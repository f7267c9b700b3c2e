"""Recruitment pages: the pipeline board, the dossier (404 outside the scope), and the step form that shows a
refusal with its rule id and saves nothing, or records a lawful step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.core.scoping import unscoped
from grassroots.recruitment.models import Applicant, RecruitmentEvent
from tests import office
from tests.factories import make_id_number
from tests.support.dossiers import (
    ACTIVIST_ON,
    activist,
    applicant,
    events_of,
    stage_of,
    step,
)
from tests.support.personas import client_for
from tests.support.queries import few_vs_many

D = dt.date


@pytest.mark.django_db
def test_board_shows_names_per_stage_with_next_step_when_secretary_opens_it(tree, personas):
    applicant(tree.a, "孙申请", applied_on=D(2026, 11, 1))
    activist(tree, "钱积极")
    applicant(tree.b, "赵别支部")
    response = client_for("secretary_a").get(reverse("recruitment:board") + f"?org={tree.a.code}")
    assert response.status_code == 200
    columns = {c["stage"]: [card["name"] for card in c["cards"]] for c in response.context["columns"]}
    assert columns == {"applicant": ["孙申请"], "activist": ["钱积极"], "candidate": [], "probationary": []}
    html = response.content.decode()
    assert "孙申请" in html and "钱积极" in html and "赵别支部" not in html
    assert (
        "确定为发展对象" in html and "2026-03-03" in html
    )  # the activist's next step, from its earliest day


@pytest.mark.django_db
def test_board_marks_overdue_talk_in_red_when_a_month_has_passed(tree, personas):
    applicant(tree.a, "孙申请", applied_on=D(2025, 1, 6))
    response = client_for("secretary_a").get(reverse("recruitment:board") + f"?org={tree.a.code}")
    card = response.context["columns"][0]["cards"][0]
    assert card["overdue"] and card["next"][0]["event"] == "talk"
    assert "overdue" in response.content.decode()


@pytest.mark.django_db
def test_404_when_secretary_opens_dossier_of_sibling_branch(tree, personas):
    other = applicant(tree.b, "赵别支部")
    client = client_for("secretary_a")
    assert client.get(reverse("recruitment:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("recruitment:event", args=[other.pk])).status_code == 404
    assert client_for("secretary_b").get(reverse("recruitment:detail", args=[other.pk])).status_code == 200


@pytest.mark.django_db
def test_dossier_shows_timeline_and_next_step_with_earliest_date(tree, personas):
    person = activist(tree)
    response = client_for("secretary_a").get(reverse("recruitment:detail", args=[person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "入党积极分子" in html  # the stage
    assert "指定培养联系人" in html and "张三" in html and "李四" in html  # a step with its people by name
    assert "2026年3月3日" in html  # 确定为发展对象 from one year after the designation
    assert reverse("recruitment:event", args=[person.pk]) + "?event=candidate_designated" in html


@pytest.mark.django_db
def test_refusal_shows_rule_id_and_saves_nothing_when_candidate_is_designated_a_day_early(tree, personas):
    person = activist(tree)
    before = events_of(person)
    url = reverse("recruitment:event", args=[person.pk]) + "?event=candidate_designated"
    response = client_for("secretary_a").post(url, {"event": "candidate_designated", "on": "2026-03-02"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "REC-CANDIDATE-1Y" in html and "2026年3月3日" in html
    assert events_of(person) == before
    assert stage_of(person) == "activist"


@pytest.mark.django_db
def test_step_is_saved_and_stage_moves_when_lawful(tree, personas):
    person = activist(tree)
    before = events_of(person)
    url = reverse("recruitment:event", args=[person.pk])
    response = client_for("secretary_a").post(url, {"event": "candidate_designated", "on": "2026-03-03"})
    assert response.status_code == 302
    assert response["Location"] == reverse("recruitment:detail", args=[person.pk])
    assert events_of(person) == before + 1
    assert stage_of(person) == "candidate"


@pytest.mark.django_db
def test_mentor_picker_offers_the_branch_full_members_and_records_them(tree, personas):
    person = applicant(tree.a, "孙申请")
    step(person, "talk", D(2025, 2, 20))
    step(person, "activist_designated", ACTIVIST_ON, source="member_recommendation")
    client = client_for("secretary_a")
    url = reverse("recruitment:event", args=[person.pk]) + "?event=mentors_assigned"
    page = client.get(url)
    assert {name for _pk, name in page.context["form"].fields["mentors"].choices} == {"张三", "李四"}
    assert "王五" not in page.content.decode()  # branch B's member is not offered
    response = client.post(url, {"event": "mentors_assigned", "on": "2025-03-04", "mentors": [tree.zhang.pk]})
    assert response.status_code == 302
    with unscoped():
        row = RecruitmentEvent.objects.unscoped_all().filter(applicant_id=person.pk).last()
    assert row.kind == "mentors_assigned" and row.payload == {"mentors": [tree.zhang.pk]}


@pytest.mark.django_db
def test_applicant_is_created_from_branch_form(tree, personas):
    birth = D(2001, 6, 1)
    response = client_for("secretary_a").post(
        reverse("recruitment:create", args=[tree.a.code]),
        {
            "name": "周申请",
            "sex": "male",
            "birth_date": birth.isoformat(),
            "id_number": make_id_number(birth, "male"),
            "applied_on": "2026-11-02",
        },
    )
    assert response.status_code == 302
    with unscoped():
        created = Applicant.objects.unscoped_all().get(name="周申请")
    assert created.org_id == tree.a.pk and created.stage == "applicant"


@pytest.mark.django_db
def test_home_lists_overdue_talk_with_a_link_to_the_dossier(tree, personas):
    person = applicant(tree.a, "孙申请", applied_on=D(2025, 1, 6))
    applicant(tree.b, "赵别支部", applied_on=D(2025, 1, 6))
    html = client_for("secretary_a").get(reverse("home")).content.decode()
    assert 'id="todo-recruitment"' in html
    assert "孙申请 · 入党谈话" in html and "已逾期" in html
    assert reverse("recruitment:detail", args=[person.pk]) in html
    assert "赵别支部" not in html


@pytest.mark.django_db
def test_board_query_count_does_not_grow_with_the_number_of_dossiers(tree, personas):
    client = client_for("secretary_a")
    url = reverse("recruitment:board") + f"?org={tree.a.code}"
    activist(tree, "钱一")

    def two_more():
        activist(tree, "钱二", birth=D(1997, 1, 2))
        activist(tree, "钱三", birth=D(1996, 5, 6))

    three = few_vs_many(lambda: client.get(url), two_more)
    assert three.result.status_code == 200


@pytest.mark.django_db
def test_ledger_lists_each_dossier_with_its_milestone_dates_and_exports_xlsx(tree, personas):
    from io import BytesIO

    from openpyxl import load_workbook

    activist(tree, "钱积极")
    applicant(tree.b, "赵别支部")
    client = client_for("secretary_a")
    url = reverse("recruitment:ledger") + f"?org={tree.a.code}"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "钱积极" in html and "2025-03-03" in html and "赵别支部" not in html
    export = client.get(url + "&format=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[7].date(), r[11]) for r in rows] == [("钱积极", ACTIVIST_ON, "入党积极分子")]


def test_ledger_export_opens_in_libreoffice(tree, personas, tmp_path):
    activist(tree, "钱积极")
    export = client_for("secretary_a").get(reverse("recruitment:ledger") + f"?org={tree.a.code}&format=xlsx")
    text = office.as_csv(b"".join(export.streaming_content), tmp_path, "ledger")
    assert "钱积极" in text and ACTIVIST_ON.isoformat() in text


def test_step_summary_leaves_out_fields_recorded_empty():
    from grassroots.recruitment.presenters import step_summary

    lines = dict(step_summary({"approved": True, "reason": ""}, {}))
    assert lines == {"审批结果": "批准"}


def test_dossier_offers_only_the_steps_its_stage_allows(tree, personas):
    person = activist(tree)
    kinds = [k for k, _label in client_for("secretary_a").get(f"/recruitment/{person.pk}/").context["kinds"]]
    assert kinds == ["mentors_assigned", "assessment", "candidate_designated", "public_notice"]


def test_ledger_filters_by_pinyin_initials_stage_and_admission_year_and_exports_the_filtered_rows(
    tree, personas
):
    from io import BytesIO

    from openpyxl import load_workbook

    activist(tree, "钱积极")
    applicant(tree.a, "孙申请", birth=D(1996, 4, 2))
    client = client_for("secretary_a")
    url = reverse("recruitment:ledger")
    by_initials = client.get(url, {"org": tree.a.code, "q": "qjj"})
    assert [r["name"] for r in by_initials.context["rows"]] == ["钱积极"]
    by_stage = client.get(url, {"org": tree.a.code, "stage": "applicant"})
    assert [r["name"] for r in by_stage.context["rows"]] == ["孙申请"]
    nobody_admitted = client.get(url, {"org": tree.a.code, "year": "2026"})
    assert nobody_admitted.context["count"] == 0
    export = client.get(url, {"org": tree.a.code, "q": "sun", "format": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    assert [r[1] for r in sheet.iter_rows(min_row=3, values_only=True)] == ["孙申请"]


def test_ledger_pages_through_rows_numbering_them_across_pages(tree, personas, monkeypatch):
    from grassroots.recruitment.views import ledgers

    monkeypatch.setattr(ledgers, "LEDGER_PAGE_SIZE", 1)
    applicant(tree.a, "孙申请", birth=D(1996, 4, 2))
    applicant(tree.a, "钱申请", birth=D(1995, 4, 2))
    page2 = client_for("secretary_a").get(reverse("recruitment:ledger"), {"org": tree.a.code, "page": 2})
    assert page2.context["count"] == 2 and [r["name"] for r in page2.context["rows"]] == ["孙申请"]
    assert page2.context["first_number"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "rule_id"),
    [
        ({"on": "0001-01-01"}, "INPUT-DATE"),
        ({"on": "2026-03-03", "document-title": "标题\x1b"}, "INPUT-TEXT"),
    ],
    ids=["step-in-year-1", "control-character-in-the-document-title"],
)
def test_step_form_refuses_input_hygiene_on_its_field_and_saves_nothing(tree, personas, data, rule_id):
    person = activist(tree)
    before = events_of(person)
    url = reverse("recruitment:event", args=[person.pk])
    response = client_for("secretary_a").post(url, {"event": "candidate_designated", **data})
    assert response.status_code in (200, 422)
    assert rule_id in response.content.decode()
    assert events_of(person) == before
