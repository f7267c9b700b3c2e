"""Cadence (issue 10 item 6, the cadence API of item 8): the stored per-org counts kept by the hooks, the
rules' required vs held per period, the subtree rollup and its refresh, the page, the API and the to-do."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from grassroots.core import todo
from grassroots.core.scoping import Scope, unscoped
from grassroots.meetings import cadence, services
from grassroots.meetings import rules as crules
from grassroots.meetings.models import OrgCadenceCount, SubtreeCadence, Talk
from grassroots.orgs.models import Org
from tests.factories import make_meeting, make_org
from tests.support.meetings import finalized
from tests.support.personas import client_for

pytestmark = pytest.mark.django_db
D = dt.date
SYSTEM = Scope.system("tests")
TODAY = D(2026, 12, 5)


@pytest.fixture
def old_tree(tree, today_is):
    """The persona tree, its orgs founded in 2020 (they existed the whole year), today 5 December 2026."""
    today_is(TODAY)
    with unscoped():
        Org.objects.unscoped_all().update(founded_on=D(2020, 1, 1))
        for name in ("county", "g1", "a", "a1", "b"):
            getattr(tree, name).refresh_from_db()
    return tree


def counts(org) -> dict:
    with unscoped():
        return {
            (k, s): n
            for k, s, n in OrgCadenceCount.objects.unscoped_all()
            .filter(org=org)
            .values_list("kind", "period_start", "held")
        }


def cell(org, rule_id, start, year=2026):
    cells = cadence.org_cells(org, year, TODAY)
    return next(c for c in cells if c.rule_id == rule_id and c.period.start == start)


def refresh(year=2026):
    return services.cadence_refresh(scope=SYSTEM, actor=None, years=[year], today=TODAY)


def test_meeting_counts_for_q1_when_held_on_31_march(old_tree):
    finalized(make_meeting(old_tree.a, planned_on=D(2026, 3, 31)))
    assert counts(old_tree.a) == {("general_meeting", D(2026, 1, 1)): 1}
    assert cell(old_tree.a, "MTG-GENERAL-Q", D(2026, 1, 1)).state == "done"
    assert cell(old_tree.a, "MTG-GENERAL-Q", D(2026, 4, 1)).state == "behind"


def test_meeting_counts_for_q2_when_held_on_1_april(old_tree):
    finalized(make_meeting(old_tree.a, planned_on=D(2026, 4, 1)))
    assert counts(old_tree.a) == {("general_meeting", D(2026, 4, 1)): 1}
    assert cell(old_tree.a, "MTG-GENERAL-Q", D(2026, 1, 1)).state == "behind"
    assert cell(old_tree.a, "MTG-GENERAL-Q", D(2026, 4, 1)).state == "done"


def test_meeting_does_not_count_when_minutes_are_not_final(old_tree):
    make_meeting(old_tree.a, planned_on=D(2026, 3, 31))
    assert counts(old_tree.a) == {}
    assert cadence.live_counts(old_tree.a.path) == {}
    assert cell(old_tree.a, "MTG-GENERAL-Q", D(2026, 1, 1)).state == "behind"


def test_group_is_judged_for_its_part_when_created_mid_quarter(old_tree):
    group = make_org(old_tree.b, "B1", "第二党小组", kind="group", founded_on=D(2026, 2, 20))
    cells = {c.period.start: c for c in cadence.org_cells(group, 2026, TODAY)}
    assert D(2026, 1, 1) in cells and cells[D(2026, 1, 1)].state == "not_required"
    assert cells[D(2026, 2, 1)].required == 0
    assert cells[D(2026, 3, 1)].required == 1 and cells[D(2026, 3, 1)].state == "behind"


def test_talk_counts_for_its_year_when_recorded(old_tree):
    with unscoped():
        talk = Talk.objects.unscoped_all().create(
            org=old_tree.a,
            held_on=D(2026, 6, 3),
            initiator=old_tree.zhang,
            counterpart=old_tree.li,
            topic="谈心",
        )
    services.talk_counted(talk)
    assert counts(old_tree.a) == {("talk", D(2026, 1, 1)): 1}
    assert cell(old_tree.a, "MTG-TALK-Y", D(2026, 1, 1)).state == "done"
    assert cadence.count_drift(old_tree.county.path) == []


def test_refresh_corrects_the_counts_when_they_drifted(old_tree, capsys):
    finalized(make_meeting(old_tree.a, planned_on=D(2026, 5, 6)))
    with unscoped():
        OrgCadenceCount.objects.unscoped_all().update(held=5)
        OrgCadenceCount.objects.unscoped_all().create(
            org=old_tree.b, kind="themed_day", period_start=D(2026, 1, 1), held=2
        )
    drifted = cadence.count_drift(old_tree.county.path)
    assert len(drifted) == 2
    with pytest.raises(CommandError, match="cadence drift"):
        call_command("derived_refresh", "cadence", "--check")
    call_command("derived_refresh", "cadence")
    assert cadence.count_drift(old_tree.county.path) == []
    assert counts(old_tree.a) == {("general_meeting", D(2026, 4, 1)): 1}
    assert counts(old_tree.b) == {("themed_day", D(2026, 1, 1)): 0}
    call_command("derived_refresh", "cadence", "--check")


def test_refresh_writes_nothing_when_run_twice(old_tree):
    finalized(make_meeting(old_tree.a, planned_on=D(2026, 5, 6)))
    refresh()
    assert refresh()[-1].endswith("rollup 0 added, 0 changed, 0 removed (as of 2026-12-05)")
    assert cadence.rollup_drift(old_tree.county.path, 2026, TODAY) == []


def _brute_force(root: Org, year: int) -> dict[tuple[int, str], tuple[int, int, int]]:
    """Every org's cells from the rules, each org's subtree summed by walking its descendants one by one."""
    with unscoped():
        orgs = list(Org.objects.unscoped_all().filter(path__startswith=root.path))
    own = {}
    for org in orgs:
        per_rule: dict[str, list[int]] = {}
        for c in cadence.org_cells(org, year, TODAY):
            acc = per_rule.setdefault(c.rule_id, [0, 0])
            acc[0] |= c.state != "not_required"
            acc[1] += c.state == "behind"
        own[org.pk] = per_rule
    out = {}
    for org in orgs:
        for rule in cadence.RULE_IDS:
            judged = behind = periods = 0
            for d in orgs:
                if d.path.startswith(org.path) and own[d.pk].get(rule, [0, 0])[0]:
                    judged += 1
                    behind += own[d.pk][rule][1] > 0
                    periods += own[d.pk][rule][1]
            if judged:
                out[(org.pk, rule)] = (judged, behind, periods)
    return out


def test_subtree_table_equals_brute_force_when_the_tree_is_small(old_tree):
    c2 = make_org(old_tree.g1, "C2", "中共测试局第三支部委员会", kind="branch", founded_on=D(2026, 8, 10))
    make_org(c2, "C21", "第三党小组", kind="group", founded_on=D(2026, 8, 10))
    days = itertools.cycle([D(2026, m, 15) for m in range(1, 12)])
    for org, kind, n in (
        (old_tree.a, "general_meeting", 3),
        (old_tree.a, "themed_day", 7),
        (old_tree.a1, "group_meeting", 9),
        (old_tree.b, "party_lecture", 2),
        (c2, "general_meeting", 1),
    ):
        for _ in range(n):
            day = next(days)
            finalized(make_meeting(org, kind=kind, planned_on=max(day, D(2026, 8, 11)) if org == c2 else day))
    refresh()
    brute = _brute_force(old_tree.county, 2026)
    with unscoped():
        stored = {
            (o, r): (j, b, p)
            for o, r, j, b, p in SubtreeCadence.objects.unscoped_all()
            .filter(year=2026)
            .values_list("org_id", "rule_id", "orgs_judged", "orgs_behind", "periods_behind")
        }
    assert stored == brute
    rows, as_of = cadence.subtree_rows(old_tree.g1, 2026)
    assert as_of == TODAY
    assert [r.code for r in rows] == ["A", "B", "C2"]
    a_row = rows[0]
    assert a_row.rules["MTG-GENERAL-Q"] == brute[(old_tree.a.pk, "MTG-GENERAL-Q")]


def test_ancestors_move_at_once_when_a_late_meeting_is_finalized(old_tree):
    refresh()
    before = cadence.subtree_totals(old_tree.county, 2026)["MTG-GENERAL-Q"]
    finalized(make_meeting(old_tree.a, planned_on=D(2026, 2, 10)))  # Q1 of branch A, long ended
    after = cadence.subtree_totals(old_tree.county, 2026)["MTG-GENERAL-Q"]
    assert after[2] == before[2] - 1
    assert cadence.rollup_drift(old_tree.county.path, 2026, TODAY) == []


def test_api_answers_periods_and_subtree_when_asked_for_an_upper_org(old_tree, personas, api_as):
    finalized(make_meeting(old_tree.a, planned_on=D(2026, 3, 31)))
    refresh()
    api = api_as("county_admin")
    out = api.get("/orgs/A/cadence?year=2026")
    assert out.status_code == 200, out.content
    body = out.json()
    general = next(r for r in body["rules"] if r["rule_id"] == "MTG-GENERAL-Q")
    assert [p["state"] for p in general["periods"]] == ["done", "behind", "behind", "due"]
    assert general["periods"][0] == {
        "start": "2026-01-01",
        "end": "2026-03-31",
        "due_on": "2026-03-31",
        "required": 1,
        "held": 1,
        "state": "done",
    }
    upper = api.get("/orgs/G1/cadence?year=2026").json()
    assert [c["code"] for c in upper["subtree"]["children"]] == ["A", "B"]
    assert upper["subtree"]["as_of"] == "2026-12-05"


def test_api_refuses_the_year_when_it_is_out_of_range(old_tree, personas, api_as):
    out = api_as("county_admin").get("/orgs/A/cadence?year=1800")
    assert out.status_code == 422
    assert out.json()["rule_id"] == "MTG-YEAR"


def test_api_answers_404_when_the_org_is_a_sibling(old_tree, personas, api_as):
    assert api_as("secretary_a").get("/orgs/B/cadence").status_code == 404


def test_page_shows_the_subtree_and_the_heat_map_when_opened_by_the_county(old_tree, personas):
    finalized(make_meeting(old_tree.a, planned_on=D(2026, 3, 31)))
    refresh()
    page = client_for("county_admin").get(reverse("meetings:cadence", args=["G1"]) + "?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="cadence-child-A"' in html and 'id="cadence-child-B"' in html
    assert "/meetings/org/A/cadence/?year=2026" in html
    assert 'id="cadence-heatmap-data"' in html
    branch = client_for("county_admin").get(reverse("meetings:cadence", args=["A"]) + "?year=2026")
    assert '"2026-03-31", 1' in branch.content.decode()
    assert 'data-state="done"' in branch.content.decode()


def test_page_refuses_the_year_when_it_is_not_a_number(old_tree, personas):
    page = client_for("county_admin").get(reverse("meetings:cadence", args=["A"]) + "?year=abc")
    assert page.status_code == 422


def test_todo_lists_the_branches_behind_when_the_county_looks(old_tree, personas):
    finalized(make_meeting(old_tree.a, planned_on=D(2026, 3, 31)))
    refresh()
    from grassroots.accounts.models import User
    from grassroots.accounts.selectors import scope_for_user

    scope = scope_for_user(User.objects.get(username="county_admin"))
    found = todo.collect(scope=scope, today=TODAY, limit=5)
    mine = [i for i in found.items if i.category == "cadence"]
    assert mine and all(i.overdue for i in mine)
    count = next(c for c in found.counts if c.category == "cadence")
    with unscoped():
        expected = SubtreeCadence.objects.unscoped_all().filter(year=2026, own_periods_behind__gt=0).count()
    assert count.total == expected
    # The provider answers the most periods behind first: eleven themed days (December is still due).
    from grassroots.meetings import todo as meetings_todo

    first = meetings_todo.due_items(scope=scope, today=TODAY, limit=1).items[0]
    assert first.rule_id == "MTG-THEMED-DAY-M" and "11" in first.title
    sibling = scope_for_user(User.objects.get(username="secretary_a"))
    assert all(i.subject != old_tree.b.name for i in todo.collect(scope=sibling, today=TODAY).items)


def test_rules_table_counts_lectures_from_the_policy_when_one_is_set(old_tree):
    from grassroots.meetings.models import MeetingPolicy

    with unscoped():
        MeetingPolicy.objects.unscoped_all().create(
            org=old_tree.g1, effective_from=D(2025, 1, 1), lectures_per_quarter=2
        )
    finalized(make_meeting(old_tree.a, kind="party_lecture", planned_on=D(2026, 1, 10)))
    c = cell(old_tree.a, "MTG-LECTURE-Q", D(2026, 1, 1))
    assert (c.required, c.held, c.state) == (2, 1, "behind")
    assert crules.period_of("quarter", D(2026, 3, 31)).start == D(2026, 1, 1)
