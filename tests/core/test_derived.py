"""Stored derived data, once (core.derived): the registry orders the tables, `migrate` fills them once and in
that order, and `derived_refresh` refreshes every table idempotently, checks every table that has a check
(exiting non-zero on drift) and runs the nightly job."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal
from django.utils import timezone

from grassroots.core import derived
from grassroots.core.scoping import unscoped
from grassroots.members.derived import FIGURES_MIGRATION
from grassroots.members.models import OrgMemberFigures
from grassroots.orgs import selectors as org_selectors
from grassroots.orgs import warning_store
from grassroots.orgs.derived import WARNINGS_MIGRATION
from grassroots.orgs.models import Org, OrgWarningState
from grassroots.recruitment import services as recruitment_services
from grassroots.recruitment.models import Applicant
from tests.factories import SYSTEM, make_id_number

D = dt.date


def migration(app_label: str, name: str) -> SimpleNamespace:
    return SimpleNamespace(app_label=app_label, name=name)


def table(name: str, calls: list | None = None, **fields) -> derived.Derived:
    """A derived table whose fill (and refresh) only record that they ran."""
    calls = calls if calls is not None else []
    return derived.Derived(
        name=name,
        label=name,
        fill=lambda: calls.append(name),
        refresh=lambda **_kw: [f"{name} refreshed"],
        **fields,
    )


# --- the registry ------------------------------------------------------------------------------------------


def test_tables_come_after_those_they_are_computed_from_whatever_the_registration_order():
    registry = derived.Registry()
    registry.register(table("warnings", after=("figures",)))
    registry.register(table("summary", after=("warnings", "steps")))
    registry.register(table("steps"))
    registry.register(table("figures"))
    order = registry.names()
    assert order.index("figures") < order.index("warnings") < order.index("summary")
    assert order.index("steps") < order.index("summary")
    assert [t.name for t in registry.ordered(["summary", "figures"])] == ["figures", "summary"]


def test_the_installed_apps_register_every_table_and_warnings_come_after_member_figures():
    names = derived.REGISTRY.names()
    assert set(names) == {
        "member_figures",
        "member_warnings",
        "org_warnings",
        "recruitment_next_steps",
        "recruitment_milestones",
        "cadence",
        "lapse",
    }
    assert names.index("member_figures") < names.index("org_warnings")


def test_registry_refuses_an_unknown_dependency_a_cycle_an_unknown_name_and_a_second_table_of_one_name():
    registry = derived.Registry()
    registry.register(table("warnings", after=("figures",)))
    with pytest.raises(ImproperlyConfigured, match="unknown 'figures'"):
        registry.ordered()
    registry.register(table("figures", after=("warnings",)))
    with pytest.raises(ImproperlyConfigured, match="cycle"):
        registry.ordered()
    registry = derived.Registry()
    same = table("figures")
    registry.register(same)
    registry.register(same)  # the same registration again (a second ready()): kept once
    assert registry.names() == ["figures"]
    with pytest.raises(ImproperlyConfigured, match="twice"):
        registry.register(table("figures", since=FIGURES_MIGRATION))
    with pytest.raises(KeyError):
        registry.ordered(["nothing"])


def test_a_nightly_action_needs_its_callable():
    with pytest.raises(ImproperlyConfigured, match="nightly refresh"):
        derived.Derived(name="x", label="x")
    with pytest.raises(ImproperlyConfigured, match="nightly check"):
        derived.Derived(name="x", label="x", nightly="check")


# --- filled after migrate ----------------------------------------------------------------------------------


def test_fills_run_in_dependency_order_only_when_due_after_their_migration_and_when_missing():
    calls: list[str] = []
    empty = {"figures": True, "warnings": True}
    registry = derived.Registry()
    registry.register(
        table(
            "warnings", calls, after=("figures",), since=("orgs", "0002"), missing=lambda: empty["warnings"]
        )
    )
    registry.register(table("figures", calls, since=("members", "0004"), missing=lambda: empty["figures"]))
    registry.register(table("steps", calls))  # no migration named: considered after every migrate
    assert registry.fill_missing(plan=None) == ["steps"]
    assert registry.fill_missing(plan=[(migration("orgs", "0002"), True)]) == ["steps"]  # backwards
    calls.clear()
    plan = [(migration("orgs", "0002"), False), (migration("members", "0004"), False)]
    assert registry.fill_missing(plan=plan) == ["figures", "warnings", "steps"]
    assert calls == ["figures", "warnings", "steps"]
    empty["figures"] = False
    assert registry.fill_missing(plan=plan) == ["warnings", "steps"]


@pytest.mark.django_db
def test_migrate_runs_the_fills_once_after_every_app_has_its_post_migrate(monkeypatch):
    calls: list[str] = []
    registry = derived.Registry()
    registry.register(table("steps", calls))
    monkeypatch.setattr(derived, "REGISTRY", registry)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default", plan=[])
    assert calls == ["steps"]  # one post_migrate per app with models, one fill
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    derived.fill_after_migrate(sender=last, plan=[], using="other")
    assert calls == ["steps"]  # the tables live in the default database only


def test_migrate_fills_the_figures_then_the_warnings_from_them_when_it_applied_both_migrations(tree):
    with unscoped():
        OrgWarningState.objects.unscoped_all().delete()
        OrgMemberFigures.objects.unscoped_all().delete()
    plan = [(migration(*WARNINGS_MIGRATION), False), (migration(*FIGURES_MIGRATION), False)]
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default", plan=plan)
    with unscoped():
        assert OrgMemberFigures.objects.unscoped_all().count() == 2  # branches A and B
        stored = set(OrgWarningState.objects.unscoped_all().values_list("org_id", "rule_id"))
    # The warnings were computed from the filled figures: A and B have members, so they warn of too few
    # rather than of none at all, exactly as the live rules say.
    live = {
        (org.pk, w.rule_id)
        for org in Org.objects.within(SYSTEM).filter(ended_on__isnull=True)
        for w in org_selectors.org_warnings(scope=SYSTEM, org=org, on=timezone.localdate())
    }
    assert stored == live and (tree.a.pk, "ORG-BRANCH-MIN-3") in stored


# --- the command over every table --------------------------------------------------------------------------


def dossier(org, name: str) -> Applicant:
    birth = D(1998, 5, 6)
    return recruitment_services.applicant_create(
        scope=SYSTEM,
        actor=None,
        org=org,
        name=name,
        sex="female",
        birth_date=birth,
        id_number=make_id_number(birth, "female"),
        applied_on=D(2025, 1, 6),
    )


def _cadence_unchanged() -> str:
    from django.utils import timezone

    today = timezone.localdate()
    return f"cadence: cadence C {today.year}: 0 counts corrected, rollup 0 added, 0 changed, 0 removed (as of {today})"


def make_every_table_drift(tree) -> Applicant:
    """Drift in the member figures, the org warnings and the recruitment next steps; the cadence rollup (which a
    tree built in a test has not filled yet) is brought up to date first, so it is the one table that agrees."""
    call_command("derived_refresh", "cadence", stdout=io.StringIO())
    person = dossier(tree.a, "孙甲")
    with unscoped():
        OrgMemberFigures.objects.unscoped_all().filter(org=tree.a).update(withdrawn=1)  # no rule reads it
        OrgWarningState.objects.unscoped_all().filter(org=tree.a).delete()
        Applicant.objects.unscoped_all().filter(pk=person.pk).update(next_steps=[], next_due_on=None)
    return person


def test_check_lists_each_tables_drift_and_exits_non_zero_naming_every_drifting_table(tree):
    person = make_every_table_drift(tree)
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("derived_refresh", "--check", stdout=out)
    assert str(exc.value) == (
        "member figures drift in 1 orgs; org warnings drift in 1 orgs; recruitment next steps drift in 1 "
        "dossiers: run derived_refresh member_figures org_warnings recruitment_next_steps"
    )
    lines = out.getvalue().splitlines()
    assert f"member_figures: A {tree.a.name}: withdrawn 1→0" in lines
    assert f"org_warnings: A {tree.a.name}: ORG-BRANCH-MIN-3 missing" in lines
    assert any(line.startswith(f"recruitment_next_steps: A dossier {person.pk}: due None→") for line in lines)
    with unscoped():  # --check writes nothing
        assert OrgMemberFigures.objects.unscoped_all().get(org=tree.a).withdrawn == 1
        assert not OrgWarningState.objects.unscoped_all().filter(org=tree.a).exists()


def test_refresh_of_every_table_repairs_them_and_a_second_run_changes_nothing(tree):
    make_every_table_drift(tree)
    first = io.StringIO()
    call_command("derived_refresh", stdout=first)
    assert first.getvalue().splitlines()[-6:] == [
        "member_figures: member figures refreshed: 1 orgs corrected",
        "org_warnings: org warnings: 5 orgs checked, 1 added, 0 changed, 0 removed",
        "member_warnings: member warnings: 0 members checked, 0 added, 0 changed, 0 removed",
        _cadence_unchanged(),
        "lapse: lapse state: 3 members checked, 0 added, 0 changed, 0 removed",
        "recruitment_next_steps: recruitment next steps: 1 open dossiers checked, 1 updated",
    ]
    second = io.StringIO()
    call_command("derived_refresh", stdout=second)
    assert second.getvalue().splitlines() == [
        "member_figures: member figures refreshed: 0 orgs corrected",
        "org_warnings: org warnings: 5 orgs checked, 0 added, 0 changed, 0 removed",
        "member_warnings: member warnings: 0 members checked, 0 added, 0 changed, 0 removed",
        _cadence_unchanged(),
        "lapse: lapse state: 3 members checked, 0 added, 0 changed, 0 removed",
        "recruitment_next_steps: recruitment next steps: 1 open dossiers checked, 0 updated",
    ]
    check = io.StringIO()
    call_command("derived_refresh", "--check", stdout=check)  # exits 0
    assert check.getvalue().splitlines() == [
        "member_figures: member figures agree with the members",
        "org_warnings: org warnings agree with the orgs' facts",
        "member_warnings: member warnings agree with the member records",
        "cadence: cadence agree with the finalized meetings and talks",
        "lapse: lapse state agree with the lapse watch",
        "recruitment_next_steps: recruitment next steps agree with the dossiers",
    ]


def test_nightly_refreshes_what_goes_stale_with_time_and_only_checks_the_member_figures(tree):
    make_every_table_drift(tree)
    out = io.StringIO()
    with pytest.raises(
        CommandError, match=r"^member figures drift in 1 orgs: run derived_refresh member_figures$"
    ):
        call_command("derived_refresh", "--nightly", stdout=out)
    assert out.getvalue().splitlines() == [
        f"member_figures: A {tree.a.name}: withdrawn 1→0",
        "org_warnings: org warnings: 5 orgs checked, 1 added, 0 changed, 0 removed",
        "member_warnings: member warnings agree with the member records",
        _cadence_unchanged(),
        "lapse: lapse state: 3 members checked, 0 added, 0 changed, 0 removed",
        "recruitment_next_steps: recruitment next steps: 1 open dossiers checked, 1 updated",
    ]
    with unscoped():
        assert (
            OrgMemberFigures.objects.unscoped_all().get(org=tree.a).withdrawn == 1
        )  # left for a person to look at


def test_names_and_org_limit_the_run_and_an_unknown_name_is_refused(tree):
    make_every_table_drift(tree)
    out = io.StringIO()
    call_command("derived_refresh", "org_warnings", "--org", tree.b.code, stdout=out)
    assert out.getvalue().splitlines() == [
        "org_warnings: org warnings: 1 orgs checked, 0 added, 0 changed, 0 removed"
    ]
    out = io.StringIO()
    with pytest.raises(CommandError, match="org warnings drift in 1 orgs"):
        call_command("derived_refresh", "org_warnings", "--check", "--org", tree.g1.code, stdout=out)
    call_command("derived_refresh", "org_warnings", "--check", "--org", tree.b.code, stdout=io.StringIO())
    with pytest.raises(CommandError, match="no derived table 'nothing'"):
        call_command("derived_refresh", "nothing")
    out = io.StringIO()
    call_command("derived_refresh", "recruitment_milestones", "--check", stdout=out)
    assert out.getvalue() == "recruitment_milestones: recruitment milestones: nothing to check here\n"


def test_aliases_keep_their_tables_output_without_the_name(tree):
    make_every_table_drift(tree)
    out = io.StringIO()
    with pytest.raises(CommandError, match="org warnings drift in 1 orgs: run org_warnings_refresh"):
        call_command("org_warnings_refresh", "--check", stdout=out)
    assert out.getvalue().splitlines() == [f"A {tree.a.name}: ORG-BRANCH-MIN-3 missing"]
    with pytest.raises(CommandError, match="recruitment next steps drift in 1 dossiers"):
        call_command("recruitment_refresh", "--check", stdout=io.StringIO())


def test_a_branch_secretary_checks_and_refreshes_only_their_branch(tree, personas):
    make_every_table_drift(tree)
    out = io.StringIO()
    call_command(
        "derived_refresh",
        "org_warnings",
        "recruitment_next_steps",
        "--check",
        "--as-user",
        "secretary_b",
        stdout=out,
    )
    assert "agree" in out.getvalue()  # the drift is in branch A
    with pytest.raises(CommandError, match="not found"):
        call_command("derived_refresh", "--check", "--as-user", "secretary_b", "--org", tree.a.code)
    with pytest.raises(CommandError, match="org warnings drift"):
        call_command(
            "derived_refresh", "org_warnings", "--check", "--as-user", "secretary_a", stdout=io.StringIO()
        )


def test_warning_drift_names_stale_and_stray_rows_in_the_rules_order(tree):
    with unscoped():
        OrgWarningState.objects.unscoped_all().filter(org=tree.a).update(
            messages=[{"msgid": "旧", "values": {}}]
        )
        OrgWarningState.objects.create(
            org=tree.a, rule_id="ORG-TERM", messages=[], since=D(2026, 1, 1), computed_on=D(2026, 1, 1)
        )
    found = warning_store.drift(tree.g1.path, on=timezone.localdate(), batch_size=2)
    assert [d.describe() for d in found] == [f"A {tree.a.name}: ORG-BRANCH-MIN-3 stale, ORG-TERM stray"]
    assert warning_store.drift(tree.b.path, on=timezone.localdate()) == []
