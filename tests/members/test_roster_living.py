"""Rosters count the living (issue 8, item 15): the member list, `GET /members` and the .xlsx roster leave out
ended, suspended and transferred-out memberships unless a status asks for them, so the list counts what the
home page and the org page count; the export's title names the org; the export button shows that the file is
being prepared until the download starts."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.scoping import unscoped
from grassroots.members import services
from grassroots.members.models import Member
from tests.factories import SYSTEM, make_member
from tests.support.personas import client_for

D = dt.date


def ended_world(tree):
    """Branch B gets a deceased member, a suspended one and a probationary one; 王五 stays full."""
    gone = make_member(tree.b, "赵已故")
    services.member_end(scope=SYSTEM, actor=None, member=gone, status="deceased", ended_on=D(2025, 3, 1))
    paused = make_member(tree.b, "钱停止")
    services.member_end(scope=SYSTEM, actor=None, member=paused, status="suspended", ended_on=D(2025, 4, 1))
    make_member(tree.b, "孙预备", status="probationary")
    return gone, paused


def names(body) -> list[str]:
    return sorted(m["name"] for m in body["items"])


def test_member_list_leaves_out_ended_memberships_unless_asked(api_as, tree):
    ended_world(tree)
    api = api_as("county_admin")
    living = api.get("/members", org="B")
    assert living.status_code == 200
    assert names(living.json()) == sorted(["王五", "孙预备"])
    assert living.json()["count"] == 2
    everyone = api.get("/members", org="B", status="all").json()
    assert names(everyone) == sorted(["王五", "孙预备", "赵已故", "钱停止"]) and everyone["count"] == 4
    assert names(api.get("/members", org="B", status="deceased").json()) == ["赵已故"]
    assert names(api.get("/members", org="B", status="suspended").json()) == ["钱停止"]
    assert api.get("/members", org="B", status="ended-or-not").status_code == 422
    # The records themselves are kept (MEM-NO-DELETE): only the list leaves them out.
    with unscoped():
        stored = dict(Member.objects.unscoped_all().filter(org=tree.b).values_list("name", "status"))
    assert stored["赵已故"] == "deceased" and stored["钱停止"] == "suspended"


def test_member_list_count_matches_the_home_page(tree, personas):
    ended_world(tree)
    client = client_for("county_admin")
    home = client.get(reverse("home")).content.decode()
    on_home = int(re.search(r"党员 (\d+) 名", home).group(1))
    listed = client.get(reverse("members:list"), {"org": tree.county.code}).content.decode()
    on_list = int(re.search(r'id="result-count">共 (\d+) 名党员', listed).group(1))
    assert on_home == on_list == 4  # 张三, 李四, 王五, 孙预备; not the deceased or the suspended
    page = client.get(reverse("members:list"), {"org": tree.county.code, "status": "all"}).content.decode()
    assert int(re.search(r'id="result-count">共 (\d+) 名党员', page).group(1)) == 6


def export_rows(client, **params):
    response = client.get(reverse("members:export"), params)
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return response, ws["A1"].value, [r[1] for r in ws.iter_rows(min_row=3, values_only=True)]


def test_export_leaves_out_ended_memberships_unless_asked(tree, personas):
    ended_world(tree)
    client = client_for("county_admin")
    _r, title, rows = export_rows(client, org=tree.b.code)
    assert sorted(rows) == sorted(["王五", "孙预备"])
    assert "在册党员" in title
    _r, title, rows = export_rows(client, org=tree.b.code, status="all")
    assert sorted(rows) == sorted(["王五", "孙预备", "赵已故", "钱停止"])
    assert "全部" in title


def test_export_title_names_the_org(tree, personas):
    client = client_for("county_admin")
    _r, title, _rows = export_rows(client, org=tree.g1.code)
    assert title.startswith(tree.g1.name)
    # Without ?org= the roster is the caller's whole scope, named after the org of their grant.
    response, title, rows = export_rows(client)
    assert title.startswith(tree.county.name) and "本人管理范围" not in title
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert sorted(rows) == sorted(["张三", "李四", "王五"])


def test_export_button_shows_progress_until_the_download_starts(tree, personas):
    client = client_for("county_admin")
    page = client.get(reverse("members:list"), {"org": tree.a.code}).content.decode()
    button = re.search(r'<a [^>]*id="export-xlsx"[^>]*>', page).group(0)
    assert "data-export" in button and 'data-busy-text="正在生成…"' in button
    assert "grassroots/export.js" in page
    # The download answers with the cookie the page's script waits for; a malformed token sets none.
    response = client.get(reverse("members:export"), {"org": tree.a.code, "download": "k3x9"})
    cookie = response.cookies["download-k3x9"]
    assert cookie.value == "1" and cookie["path"] == "/" and cookie["max-age"] == 60
    response = client.get(reverse("members:export"), {"org": tree.a.code, "download": "a;b=c"})
    assert not [c for c in response.cookies if c.startswith("download-")]
