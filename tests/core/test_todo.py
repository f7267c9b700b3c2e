"""The to-do registry (core.todo): apps register providers, collect() merges them most urgent first and counts
them per category; core itself imports no domain app; the recruitment app registers its deadlines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from grassroots.core import todo
from grassroots.core.todo import TodoItem
from tests.support.dossiers import applicant

D = dt.date
TODAY = D(2026, 11, 23)
CORE = Path(todo.__file__).parent


def item(category, subject, due_by, overdue, rule_id="X-1"):
    return TodoItem(
        category=category,
        rule_id=rule_id,
        title="步骤",
        subject=subject,
        org=None,
        due_by=due_by,
        overdue=overdue,
        url=f"/{subject}/",
    )


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test; the apps' registrations come back afterwards."""
    monkeypatch.setattr(todo, "_REGISTRY", {})
    return todo


def test_collect_puts_overdue_first_then_sorts_by_due_date_when_providers_mix(registry):
    registry.register(
        lambda **kw: todo.Found.of(
            [item("a", "甲", D(2026, 12, 5), False), item("a", "乙", D(2026, 10, 1), True)]
        ),
        category="a",
        label="甲类",
    )
    registry.register(
        lambda **kw: todo.Found.of(
            [item("b", "丙", D(2026, 11, 30), False), item("b", "丁", D(2026, 11, 1), True)]
        ),
        category="b",
        label="乙类",
    )
    got = registry.collect(scope=None, org=None, today=TODAY)
    assert [i.subject for i in got.items] == ["乙", "丁", "丙", "甲"]
    assert (got.total, got.overdue) == (4, 2)


def test_collect_counts_each_category_with_its_list_url_when_registered(registry):
    registry.register(
        lambda **kw: todo.Found.of(
            [item("a", "甲", D(2026, 12, 5), False), item("a", "乙", D(2026, 10, 1), True)]
        ),
        category="a",
        label="甲类",
        list_url=lambda org: f"/a/?org={org}",
    )
    registry.register(lambda **kw: todo.Found.none(), category="b", label="乙类")
    counts = {c.category: c for c in registry.collect(scope=None, org="X", today=TODAY).counts}
    assert (counts["a"].label, counts["a"].total, counts["a"].overdue, counts["a"].url) == (
        "甲类",
        2,
        1,
        "/a/?org=X",
    )
    assert (counts["b"].total, counts["b"].url) == (0, None)


def test_collect_passes_scope_org_today_and_limit_to_every_provider_when_called(registry):
    seen = []
    registry.register(lambda **kw: seen.append(kw) or todo.Found.none(), category="a", label="甲类")
    registry.collect(scope="S", org="O", today=TODAY, limit=10)
    assert seen == [{"scope": "S", "org": "O", "today": TODAY, "limit": 10}]


def test_collect_keeps_the_counts_of_everything_when_providers_give_only_the_most_urgent(registry):
    many = [item("a", f"人{n}", D(2026, 10, 1 + n), n < 3) for n in range(12)]
    registry.register(lambda **kw: todo.Found.of(many, kw["limit"]), category="a", label="甲类")
    got = registry.collect(scope=None, org=None, today=TODAY, limit=5)
    assert [i.subject for i in got.items] == ["人0", "人1", "人2", "人3", "人4"]
    assert (got.total, got.overdue, got.counts[0].total, got.counts[0].overdue) == (12, 3, 12, 3)


def test_registering_a_category_again_replaces_it_when_ready_runs_twice(registry):
    registry.register(lambda **kw: todo.Found.of([item("a", "旧", None, False)]), category="a", label="甲类")
    registry.register(lambda **kw: todo.Found.of([item("a", "新", None, False)]), category="a", label="甲类")
    assert [i.subject for i in registry.collect(scope=None, today=TODAY).items] == ["新"]


def test_recruitment_registers_its_due_steps_when_the_app_is_ready():
    assert "recruitment" in {r.category for r in todo.registrations()}


def test_recruitment_items_name_the_rule_and_link_the_dossier_when_a_talk_is_overdue(tree, system_scope):
    person = applicant(tree.a, "孙申请", applied_on=D(2025, 1, 6))
    got = todo.collect(scope=system_scope, org=tree.a, today=dt.date.today())
    [found] = [i for i in got.items if i.category == "recruitment"]
    assert (found.subject, found.rule_id, found.overdue) == ("孙申请", "REC-TALK-1M", True)
    assert found.url == f"/recruitment/{person.pk}/"


def test_branch_b_secretary_collects_nothing_of_a_when_asking_for_the_scope_or_for_a(
    tree, personas, scope_of
):
    applicant(tree.a, "孙申请", applied_on=D(2025, 1, 6))
    applicant(tree.b, "赵申请", applied_on=D(2025, 1, 6))
    scope_b = scope_of(personas.secretary_b)
    mine = todo.collect(scope=scope_b, org=None, today=dt.date.today())
    assert [i.subject for i in mine.items] == ["赵申请"]
    assert todo.collect(scope=scope_b, org=tree.a, today=dt.date.today()).items == []


def test_a_member_role_collects_nothing_when_asking_for_their_org(tree, personas, scope_of):
    applicant(tree.b, "赵申请", applied_on=D(2025, 1, 6))
    got = todo.collect(scope=scope_of(personas.member_b), org=tree.b, today=dt.date.today())
    assert got.items == []
