"""Stored next steps (Applicant.next_steps, next_due_on): kept equal to the live `rules.next_steps` by every
step, by a policy change and by `recruitment_refresh`; the to-do and the board read them with a count and a
limited query; nothing of branch A reaches branch B."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.selectors import scope_for_user as scope_of_user
from grassroots.core.scoping import unscoped
from grassroots.recruitment import selectors, services
from grassroots.recruitment.models import Applicant
from tests.factories import SYSTEM, make_org
from tests.support.dossiers import applicant, reload
from tests.support.personas import client_for
from tests.support.road import PROBATION_ENDS, VOTE, steps

D = dt.date
BOARD = reverse("recruitment:board")
LONG_AGO = D(2025, 1, 6)  # talk overdue (REC-TALK-1M)


def without_labels(steps: list[dict]) -> list[dict]:
    return [{k: v for k, v in s.items() if k != "label"} for s in steps]


def assert_stored_is_live(person: Applicant) -> list[dict]:
    """The stored next steps equal what the dossier page computes live, and next_due_on is their deadline."""
    person = reload(person)
    live = without_labels(selectors.dossier(scope=SYSTEM, applicant=person)["next"])
    stored = without_labels(selectors.next_out(person.next_steps))
    assert stored == live, (person.stage, stored, live)
    dues = [s["due_by"] for s in live if s["due_by"] is not None]
    assert person.next_due_on == (min(dues) if dues else None)
    assert person.next_computed_on == timezone.localdate()
    events = selectors.applicant_events(scope=SYSTEM, applicant=person)
    milestones = selectors.milestones_of(selectors.timeline_of(person, events))
    assert {name: getattr(person, name) for name in selectors.MILESTONE_FIELDS} == milestones
    return live


def record(person: Applicant, road: list[dict]) -> None:
    for item in road:
        payload = dict(item)
        kind, on = payload.pop("event"), dt.date.fromisoformat(payload.pop("on"))
        services.event_record(scope=SYSTEM, actor=None, applicant=person, kind=kind, on=on, payload=payload)
        assert_stored_is_live(person)


def votes(**counts) -> dict:
    return {"should_attend": 2, "present": 2, "yes": 2, "no": 0, "abstain": 0, "written_yes": 0} | counts


@pytest.mark.django_db
def test_stored_next_steps_equal_the_live_ones_after_every_step_when_walking_to_full_membership(
    tree, road_clock
):
    person = applicant(tree.a, "钱七", applied_on=D(2025, 3, 10), birth=D(2007, 3, 10))
    assert {s["event"] for s in assert_stored_is_live(person)} == {"talk", "activist_designated"}
    record(person, steps(tree))
    done = reload(person)
    assert (done.stage, done.next_steps, done.next_due_on) == ("full", [], None)
    assert (done.admitted_on, done.converted_on) == (VOTE, PROBATION_ENDS)


@pytest.mark.django_db
def test_stored_next_steps_follow_a_refused_approval_an_extension_and_a_cancellation(tree, road_clock):
    person = applicant(tree.a, "钱七", applied_on=D(2025, 3, 10), birth=D(2007, 3, 10))
    road = steps(tree)
    record(person, road[:12])  # up to the admitting branch vote
    record(person, [{"event": "approval", "on": "2026-04-14", "approved": False, "reason": "材料不全"}])
    assert reload(person).stage == "candidate"
    record(person, [{"event": "branch_vote", "on": "2026-04-15", **votes()}])
    record(
        person,
        [{"event": "approval", "on": "2026-04-16", "approved": True}, {"event": "oath", "on": "2026-04-17"}],
    )
    record(
        person,
        [
            {"event": "conversion_vote", "on": "2027-04-15", "outcome": "extend", **votes()},
            {"event": "probation_extended", "on": "2027-04-20", "months": 6},
        ],
    )
    extended = reload(person)
    assert extended.stage == "probationary" and extended.next_due_on > PROBATION_ENDS
    record(
        person,
        [
            {"event": "conversion_vote", "on": "2027-05-04", "outcome": "cancel", **votes()},
            {"event": "probation_cancelled", "on": "2027-05-10"},
        ],
    )
    assert (reload(person).stage, reload(person).next_steps) == ("cancelled", [])


@pytest.mark.django_db
def test_stored_next_steps_equal_the_live_ones_when_the_branch_vote_carries_a_roster(tree):
    person = applicant(tree.a, "钱七", applied_on=D(2025, 3, 10), birth=D(2007, 3, 10))
    road = steps(tree)
    record(person, road[:11])
    roster = {"present": [tree.zhang.pk, tree.li.pk], "excluded": [], "written": []}
    record(person, [{"event": "branch_vote", "on": road[11]["on"], "yes": 2, "roster": roster}])
    assert reload(person).next_steps[0]["event"] == "approval"


def set_policy(org, **values):
    return services.policy_set(
        scope=SYSTEM, actor=None, org=org, effective_from=values.pop("effective_from", LONG_AGO), **values
    )


def activist_earliest(person: Applicant) -> dt.date:
    [step] = [s for s in selectors.next_out(reload(person).next_steps) if s["event"] == "activist_designated"]
    return step["earliest_on"]


@pytest.mark.django_db
def test_a_policy_change_rewrites_the_stored_steps_of_its_subtree_only(tree):
    other = make_org(tree.county, "Z", "中共测试另一支部委员会", kind="branch", unit_kind="government")
    in_a = applicant(tree.a, "孙甲", applied_on=D(2026, 10, 8))
    in_b = applicant(tree.b, "赵乙", applied_on=D(2026, 10, 8), birth=D(1997, 3, 4))
    outside = applicant(other, "周丙", applied_on=D(2026, 10, 8), birth=D(1996, 5, 6))
    before = {p.pk: activist_earliest(p) for p in (in_a, in_b, outside)}
    row = set_policy(tree.g1, activist_wait_months=6)
    for p in (in_a, in_b):
        assert activist_earliest(p) == D(2027, 4, 8) != before[p.pk]
        assert reload(p).next_policy_id == row.pk
        assert_stored_is_live(p)
    assert activist_earliest(outside) == before[outside.pk]
    assert reload(outside).next_policy_id is None


@pytest.mark.django_db
def test_a_future_policy_leaves_the_steps_until_the_refresh_of_the_day_it_comes_into_force(tree):
    person = applicant(tree.a, "孙甲", applied_on=D(2026, 10, 8))
    before = reload(person).next_steps
    start = timezone.localdate() + dt.timedelta(days=10)
    set_policy(tree.g1, activist_wait_months=6, effective_from=start)
    assert reload(person).next_steps == before
    assert services.next_steps_refresh(scope=SYSTEM, today=start - dt.timedelta(days=1)).changed == 0
    done = services.next_steps_refresh(scope=SYSTEM, today=start)
    assert (done.checked, done.changed) == (1, 1)
    assert activist_earliest(person) == D(2027, 4, 8)


@pytest.mark.django_db
def test_refresh_command_fixes_a_stale_dossier_and_changes_nothing_when_run_again(tree):
    stale = applicant(tree.a, "孙甲", applied_on=LONG_AGO)
    fine = applicant(tree.b, "赵乙", applied_on=LONG_AGO, birth=D(1997, 3, 4))
    with unscoped():
        Applicant.objects.unscoped_all().filter(pk=stale.pk).update(next_steps=[], next_due_on=None)
        Applicant.objects.unscoped_all().filter(pk=fine.pk).update(next_due_on=None)
    out = io.StringIO()
    call_command("recruitment_refresh", "--org", tree.a.code, stdout=out)
    assert "1 open dossiers checked, 1 updated" in out.getvalue()
    assert_stored_is_live(stale)
    assert reload(fine).next_due_on is None  # outside --org: untouched
    out = io.StringIO()
    call_command("recruitment_refresh", "--batch-size", "1", stdout=out)
    assert "2 open dossiers checked, 1 updated" in out.getvalue()
    out = io.StringIO()
    call_command("recruitment_refresh", stdout=out)
    assert "2 open dossiers checked, 0 updated" in out.getvalue()
    assert_stored_is_live(fine)


@pytest.mark.django_db
def test_refresh_as_a_branch_secretary_reaches_only_their_branch(tree, personas):
    in_a = applicant(tree.a, "孙甲", applied_on=LONG_AGO)
    in_b = applicant(tree.b, "赵乙", applied_on=LONG_AGO, birth=D(1997, 3, 4))
    with unscoped():
        Applicant.objects.unscoped_all().update(next_due_on=None)
    out = io.StringIO()
    call_command("recruitment_refresh", "--as-user", "secretary_b", stdout=out)
    assert "1 open dossiers checked, 1 updated" in out.getvalue()
    assert reload(in_a).next_due_on is None and reload(in_b).next_due_on is not None
    with pytest.raises(Exception, match="not found"):
        call_command("recruitment_refresh", "--as-user", "secretary_b", "--org", tree.a.code)


# ---------------------------------------------------------------------------------------------- reads


@pytest.mark.django_db
def test_due_steps_count_everything_and_list_the_most_urgent_from_the_stored_fields(tree):
    people = [
        applicant(tree.a, f"申请{n}", applied_on=D(2025, 1, 6 + n), birth=D(1990 + n, 1, 2))
        for n in range(12)
    ]
    today = timezone.localdate()
    due = selectors.due_steps(scope=SYSTEM, today=today, org=tree.g1, limit=5)
    assert (due.total, due.overdue) == (12, 12)
    assert [s["name"] for s in due.items] == [f"申请{n}" for n in range(5)]
    # The stored fields are what is read: a dossier made due first by its stored steps comes first.
    with unscoped():
        Applicant.objects.unscoped_all().filter(pk=people[11].pk).update(
            next_due_on=D(2024, 1, 1),
            next_steps=[
                {"event": "talk", "earliest_on": "2023-12-01", "due_by": "2024-01-01", "requires": []}
            ],
        )
    first = selectors.due_steps(scope=SYSTEM, today=today, org=tree.g1, limit=1).items[0]
    assert (first["name"], first["due_by"], first["overdue"]) == ("申请11", D(2024, 1, 1), True)
    assert selectors.due_steps(scope=SYSTEM, today=today, org=tree.b, limit=5).total == 0


@pytest.mark.django_db
def test_due_steps_leave_out_dossiers_with_no_deadline_within_the_horizon(tree):
    applicant(tree.a, "孙近", applied_on=D(2025, 1, 6))
    today = timezone.localdate()
    applicant(tree.a, "周远", applied_on=today, birth=D(1999, 1, 2))  # talk due in a month: beyond 7 days
    due = selectors.due_steps(scope=SYSTEM, today=today, within_days=7, org=tree.a)
    assert ([s["name"] for s in due.items], due.total) == (["孙近"], 1)


@pytest.mark.django_db
def test_branch_b_sees_nothing_of_a_in_the_to_do_board_or_counts(tree, personas, scope_of):
    applicant(tree.a, "孙甲", applied_on=LONG_AGO)
    applicant(tree.b, "赵乙", applied_on=LONG_AGO, birth=D(1997, 3, 4))
    scope_b = scope_of(personas.secretary_b)
    today = timezone.localdate()
    due = selectors.due_steps(scope=scope_b, today=today)
    assert ([s["name"] for s in due.items], due.total) == (["赵乙"], 1)
    board = selectors.pipeline(scope=scope_b, today=today, limit=30)
    assert [c["name"] for cards in board.values() for c in cards] == ["赵乙"]
    assert selectors.pipeline_counts(scope=scope_b, today=today) == {"": {"applicant": (1, 1)}}


@pytest.mark.django_db
def test_board_cards_are_cut_in_sql_most_urgent_first_when_a_column_is_long(tree, personas, monkeypatch):
    from grassroots.recruitment.views import boards

    monkeypatch.setattr(boards, "BOARD_COLUMN_LIMIT", 2)
    monkeypatch.setattr(boards, "BOARD_PAGE_SIZE", 2)
    for n in range(4):
        applicant(tree.a, f"申请{n}", applied_on=D(2025, 1, 6 + n), birth=D(1990 + n, 1, 2))
    applicant(tree.a, "新人", applied_on=timezone.localdate(), birth=D(1999, 1, 2))
    client = client_for("secretary_a")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{BOARD}?org={tree.a.code}")
    column = response.context["columns"][0]
    assert [c["name"] for c in column["cards"]] == ["申请0", "申请1"]
    assert (column["count"], column["more"]) == (5, 3)
    # One statement cuts every stage at the limit in SQL: a LIMIT per stage (recruitment/statements.py).
    [cards_sql] = [q["sql"] for q in ctx.captured_queries if "UNION ALL" in q["sql"].upper()]
    assert cards_sql.upper().count("LIMIT") == len(selectors.BOARD_STAGES)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{BOARD}?org={tree.a.code}&stage=applicant&page=3")
    [only] = response.context["columns"]
    assert [c["name"] for c in only["cards"]] == ["新人"]
    assert ctx.captured_queries[-1]["sql"].endswith("LIMIT 1 OFFSET 4")  # the last page: one card of five
    overdue = client.get(f"{BOARD}?org={tree.a.code}&overdue=1").context["columns"][0]
    assert overdue["count"] == 4 and all(c["overdue"] for c in overdue["cards"])


@pytest.mark.django_db
def test_one_stage_board_pages_by_the_column_count_which_equals_count_star(tree, personas, monkeypatch):
    from grassroots.recruitment.views import boards

    monkeypatch.setattr(boards, "BOARD_PAGE_SIZE", 2)
    for n in range(4):
        applicant(tree.a, f"申请{n}", applied_on=D(2025, 1, 6 + n), birth=D(1990 + n, 1, 2))
    applicant(tree.b, "新人", applied_on=timezone.localdate(), birth=D(1999, 1, 2))
    scope = scope_of_user(personas.county_admin)
    today = timezone.localdate()
    client = client_for("county_admin")
    for org in (tree.county, tree.a, tree.b):
        for stage in selectors.BOARD_STAGES:
            for overdue in (False, True):
                query = f"stage={stage}&org={org.code}" + ("&overdue=1" if overdue else "")
                with CaptureQueriesContext(connection) as ctx:
                    page = client.get(f"{BOARD}?{query}").context["page"]
                rows = selectors.board_queryset(
                    scope=scope, org=org, today=today, stage=stage, overdue_only=overdue
                )
                assert page.paginator.count == rows.count(), query
                assert [a.pk for a in page.object_list] == [a.pk for a in rows[:2]], query
                assert not any('"__count"' in q["sql"] for q in ctx.captured_queries), query  # no COUNT(*)


@pytest.mark.django_db
def test_migrate_fills_next_steps_of_open_dossiers_that_have_none(tree):
    from grassroots.core.derived import REGISTRY

    person = applicant(tree.a, "孙无", applied_on=LONG_AGO)
    with unscoped():
        Applicant.objects.unscoped_all().filter(pk=person.pk).update(
            next_steps=[], next_due_on=None, next_computed_on=None
        )
    assert "recruitment_next_steps" in REGISTRY.fill_missing(plan=None)
    stored = assert_stored_is_live(person)
    assert stored and reload(person).next_computed_on is not None


@pytest.mark.django_db
def test_migrate_refills_next_steps_stored_before_each_step_named_its_rule(tree):
    from grassroots.core.derived import REGISTRY

    person = applicant(tree.a, "孙旧", applied_on=LONG_AGO)
    old_form = [{k: v for k, v in step.items() if k != "rule_id"} for step in reload(person).next_steps]
    assert old_form and REGISTRY.fill_missing(plan=None) == []  # up to date: nothing to fill
    with unscoped():
        Applicant.objects.unscoped_all().filter(pk=person.pk).update(next_steps=old_form)
    assert "recruitment_next_steps" in REGISTRY.fill_missing(plan=None)
    assert all("rule_id" in step for step in reload(person).next_steps)
    assert_stored_is_live(person)


@pytest.mark.django_db
def test_milestones_refresh_fills_dossiers_that_have_none_and_changes_nothing_when_run_again(tree):
    person = applicant(tree.a, "孙补", applied_on=LONG_AGO)
    services.event_record(
        scope=SYSTEM, actor=None, applicant=person, kind="talk", on=D(2025, 1, 20), payload={}
    )
    with unscoped():
        Applicant.objects.unscoped_all().filter(pk=person.pk).update(talk_on=None)
    first = services.milestones_refresh()
    assert first.changed == 1 and reload(person).talk_on == D(2025, 1, 20)
    assert services.milestones_refresh().changed == 0


@pytest.mark.django_db
def test_migrate_fills_milestones_only_after_applying_their_migration(tree, monkeypatch):
    from types import SimpleNamespace

    from grassroots.core.derived import REGISTRY
    from grassroots.recruitment.derived import MILESTONES_MIGRATION

    calls = []
    monkeypatch.setattr(services, "milestones_refresh", lambda: calls.append(1))
    other = SimpleNamespace(app_label="members", name="0001_initial")
    REGISTRY.fill_missing(plan=[(other, False)])
    assert calls == []
    ours = SimpleNamespace(app_label="recruitment", name=MILESTONES_MIGRATION[1])
    REGISTRY.fill_missing(plan=[(ours, False)])
    assert calls == [1]
