"""The 三会一课 register (会议记录本, issue 10 item 9): the year's meetings of an org as a page, a printable A4 view
and an .xlsx with two sheets (the meetings; each finalized meeting's minutes, amendments, attendance and votes),
补记 and amendments visible everywhere, every text stored as text, each export audited."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from grassroots.audit.models import AuditEvent
from grassroots.core.scoping import unscoped
from tests.factories import make_meeting
from tests.office import as_csv
from tests.support.endpoints import body_of
from tests.support.meeting_records import amend, attend, finalize, vote
from tests.support.personas import client_for
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def year_of_meetings(tree, personas, today_is):
    """Branch A in 2026: a general meeting finalized late (补记) with an amendment and a vote; a group meeting
    finalized on time; a lecture still planned; and a meeting of 2025 that the register of 2026 leaves out."""
    today_is(D(2026, 12, 20))
    general = make_meeting(
        tree.a,
        topic="=1+2",
        planned_on=D(2026, 3, 31),
        place="@活动室",
        convener=tree.zhang,
        recorder=tree.li,
    )
    attend(general, {tree.zhang: "present", tree.li: "excused"}, reasons={tree.li: "出差"})
    finalize(general, "一、学习文件。\n二、讨论发展对象。", late=True)
    amend(general, "第二项应为“讨论入党积极分子”。", "笔误")
    vote(general, "接收张某为预备党员", should=2, present=1, yes=1)
    group = make_meeting(tree.a1, kind="group_meeting", topic="小组学习", planned_on=D(2026, 4, 2))
    attend(group, {tree.zhang: "present"})
    finalize(group, "小组学习记录")
    make_meeting(tree.a, kind="party_lecture", topic="专题党课", planned_on=D(2026, 12, 28))
    make_meeting(tree.a, topic="去年的会", planned_on=D(2025, 12, 1))
    return general


def xlsx_of(client, code="A", year=2026):
    response = client.get(reverse("meetings:register_xlsx", args=[code]) + f"?year={year}")
    assert response.status_code == 200, response.status_code
    return body_of(response)


def exports() -> list[AuditEvent]:
    with unscoped():
        return list(AuditEvent.objects.unscoped_all().filter(action="personal_data.export").order_by("id"))


def test_register_lists_the_years_meetings_with_late_mark_when_opened(tree, personas, year_of_meetings):
    html = (
        client_for("secretary_a")
        .get(reverse("meetings:register", args=["A"]) + "?year=2026")
        .content.decode()
    )
    assert html.count('class="register-row') == 3
    assert "去年的会" not in html
    assert "小组学习" in html and "专题党课" in html
    assert 'late-mark">补记' in html


def test_workbook_lists_meetings_and_details_when_exported(tree, personas, year_of_meetings):
    book = openpyxl.load_workbook(io.BytesIO(xlsx_of(client_for("secretary_a"))))
    assert book.sheetnames == ["会议记录本", "会议记录"]
    listing = book["会议记录本"]
    assert "中共测试局第一支部委员会 2026年" in listing["A1"].value
    headers = [c.value for c in listing[2]]
    rows = [dict(zip(headers, (c.value for c in r), strict=True)) for r in listing.iter_rows(min_row=3)]
    assert [r["会议主题"] for r in rows] == ["=1+2", "小组学习", "专题党课"]
    general = rows[0]
    assert general["会议日期"].date() == D(2026, 3, 31)
    assert (general["主持人"], general["记录人"], general["地点"]) == ("张三", "李四", "@活动室")
    assert (general["应到"], general["实到"], general["请假"], general["缺席"]) == (2, 1, 1, 0)
    assert (general["补记"], general["更正次数"]) == ("补记", 1)
    assert rows[1]["补记"] is None and rows[2]["会议记录"] == "草稿"

    details = book["会议记录"]
    headers = [c.value for c in details[2]]
    lines = [dict(zip(headers, (c.value for c in r), strict=True)) for r in details.iter_rows(min_row=3)]
    of_general = {line["项目"]: line for line in lines if line["会议主题"] == "=1+2"}
    assert of_general["会议记录（补记）"]["内容"].startswith("一、学习文件。")
    amendment = of_general["更正说明1"]
    assert (amendment["内容"], amendment["记录人或更正人"], amendment["更正理由"]) == (
        "第二项应为“讨论入党积极分子”。",
        "李四",
        "笔误",
    )
    assert amendment["时间"]
    assert of_general["出席"]["内容"] == "张三"
    assert of_general["请假"]["内容"] == "李四（出差）"
    assert "达到法定人数" in of_general["表决1"]["内容"] and "通过" in of_general["表决1"]["内容"]
    assert not any(line["会议主题"] == "专题党课" for line in lines)  # not finalized: no details


def test_formula_is_stored_as_text_when_a_topic_starts_with_equals(tree, personas, year_of_meetings):
    body = xlsx_of(client_for("secretary_a"))
    cell = openpyxl.load_workbook(io.BytesIO(body))["会议记录本"]["D3"]
    assert cell.value == "=1+2" and cell.data_type == "s"
    raw = openpyxl.load_workbook(io.BytesIO(body), data_only=False)["会议记录本"]["E3"]
    assert raw.value == "@活动室" and raw.data_type == "s"


def test_libreoffice_opens_the_register_when_exported(tree, personas, year_of_meetings, tmp_path):
    csv = as_csv(xlsx_of(client_for("secretary_a")), tmp_path, "register")
    assert "=1+2" in csv and ",3," not in csv.split("\n")[2]  # the topic as written, never computed
    assert "补记" in csv and "小组学习" in csv


def test_export_is_audited_when_the_register_is_downloaded_or_printed(tree, personas, year_of_meetings):
    client = client_for("secretary_a")
    xlsx_of(client)
    client.get(reverse("meetings:register_print", args=["A"]) + "?year=2026")
    events = exports()
    assert [e.changes["export"] for e in events] == ["meetings.register", "meetings.register_print"]
    assert all(e.org_id == tree.a.pk and e.changes["rows"] == 3 for e in events)
    assert events[0].actor_label == "secretary_a"


def test_print_shows_minutes_amendments_attendance_and_votes_when_opened(tree, personas, year_of_meetings):
    response = client_for("secretary_a").get(reverse("meetings:register_print", args=["A"]) + "?year=2026")
    html = response.content.decode()
    assert "中共测试局第一支部委员会 · 2026年" in html
    assert html.count('class="register-meeting"') == 2  # one page per finalized meeting
    assert "【补记】" in html
    assert "更正说明 1" in html and "笔误" in html and "第二项应为“讨论入党积极分子”。" in html
    assert html.index("一、学习文件。") < html.index(
        "第二项应为"
    )  # the original stays, the amendment after it
    assert "李四（出差）" in html
    assert "接收张某为预备党员" in html and "通过" in html
    assert "去年的会" not in html


def test_register_is_hidden_when_the_org_is_outside_the_callers_scope(tree, personas, year_of_meetings):
    client = client_for("secretary_b")
    for name in ("meetings:register", "meetings:register_print", "meetings:register_xlsx"):
        assert client.get(reverse(name, args=["A"])).status_code == 404
    assert exports() == []


def test_register_shows_this_year_when_the_year_is_not_a_year(tree, personas, year_of_meetings):
    html = (
        client_for("secretary_a").get(reverse("meetings:register", args=["A"]) + "?year=abc").content.decode()
    )
    assert "2026年" in html and "=1+2" in html


def test_print_queries_stay_fixed_when_the_year_holds_more_meetings(tree, personas, year_of_meetings):
    client = client_for("secretary_a")
    url = reverse("meetings:register_print", args=["A"]) + "?year=2026"
    few, _ = count_queries(lambda: client.get(url))
    for month in range(5, 9):
        meeting = make_meeting(tree.a, topic=f"{month}月的会", planned_on=D(2026, month, 3))
        attend(meeting, {tree.zhang: "present"})
        finalize(meeting, "记录", late=month % 2 == 0)
        amend(meeting, "更正", "补充")
        vote(meeting, "议题", should=2, present=2, yes=2)
    many, response = count_queries(lambda: client.get(url))
    assert few == many
    assert response.content.decode().count('class="register-meeting"') == 6
