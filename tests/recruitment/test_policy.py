"""Effective-dated recruitment policies (RULES.md *policy*): resolved for an org from itself and its
ancestors (the deepest org wins, the latest `effective_from` on or before the day), the defaults without one;
set by org admins of the org only, validated by `rules.Policy`, audited; shown on `recruitment:policy`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from grassroots.audit.models import AuditEvent
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.recruitment import rules, selectors, services
from grassroots.recruitment.models import RecruitmentPolicy
from tests.support.dossiers import applicant, step
from tests.support.personas import client_for

D = dt.date
pytestmark = pytest.mark.django_db


def set_policy(scope, org, effective_from, **values):
    return services.policy_set(scope=scope, actor=None, org=org, effective_from=effective_from, **values)


def test_defaults_without_a_policy(tree):
    assert selectors.policy_for(tree.a, D(2026, 1, 1)) == rules.Policy()
    assert selectors.policy_row(tree.a, D(2026, 1, 1)) is None


def test_a_county_policy_applies_below_and_a_deeper_one_overrides_it(tree, system_scope):
    set_policy(system_scope, tree.county, D(2025, 1, 1), activist_wait_months=6)
    assert selectors.policy_for(tree.a, D(2025, 6, 1)).activist_wait_months == 6
    assert selectors.policy_for(tree.b, D(2025, 6, 1)).activist_wait_months == 6
    # A branch's own policy wins over the county's, even an older one; the county's later change still
    # governs the other branches.
    set_policy(system_scope, tree.a, D(2025, 3, 1), activist_wait_months=3, training_days=5)
    set_policy(system_scope, tree.county, D(2025, 4, 1), activist_wait_months=9)
    policy_a = selectors.policy_for(tree.a, D(2025, 6, 1))
    assert (policy_a.activist_wait_months, policy_a.training_days) == (3, 5)
    assert selectors.policy_for(tree.b, D(2025, 6, 1)).activist_wait_months == 9
    assert selectors.policy_row(tree.a, D(2025, 6, 1)).org == tree.a
    # Before the branch's policy took effect, the county's applies.
    assert selectors.policy_for(tree.a, D(2025, 2, 1)).activist_wait_months == 6
    assert selectors.policy_for(tree.a, D(2024, 12, 31)) == rules.Policy()


def test_values_not_given_are_those_in_force(tree, system_scope):
    set_policy(system_scope, tree.county, D(2025, 1, 1), activist_wait_months=6, training_hours=32)
    row = set_policy(system_scope, tree.g1, D(2025, 2, 1), training_days=4)
    assert (row.activist_wait_months, row.training_hours, row.training_days) == (6, 32, 4)


def test_a_county_wait_refuses_an_early_activist_designation(tree, system_scope):
    set_policy(system_scope, tree.county, D(2025, 1, 1), activist_wait_months=6)
    person = applicant(tree.a, "钱七", applied_on=D(2025, 2, 10))
    step(person, "talk", D(2025, 2, 20))
    with pytest.raises(RuleViolation) as refused:
        step(person, "activist_designated", D(2025, 7, 10), source="member_recommendation")
    assert refused.value.rule_id == "REC-ACTIVIST-WAIT"
    step(person, "activist_designated", D(2025, 8, 11), source="member_recommendation")


def test_a_step_dated_before_a_new_policy_is_checked_with_the_old_one(tree, system_scope):
    set_policy(system_scope, tree.county, D(2025, 7, 1), activist_wait_months=6)
    person = applicant(tree.a, "钱七", applied_on=D(2025, 2, 10))
    step(person, "talk", D(2025, 2, 20))
    step(person, "activist_designated", D(2025, 3, 3), source="member_recommendation")  # the defaults: 0
    person.refresh_from_db()
    assert person.stage == "activist"


def test_a_secretary_cannot_set_policy(personas, tree, scope_of):
    with pytest.raises(PermissionDenied):
        set_policy(scope_of(personas.secretary_a), tree.a, D(2025, 1, 1), activist_wait_months=6)
    row = set_policy(scope_of(personas.county_admin), tree.a, D(2025, 1, 1), activist_wait_months=6)
    with unscoped():
        assert AuditEvent.objects.filter(action="recruitment.policy", target_id=row.pk).exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"extension_min_months": 8, "extension_max_months": 6}, "extension_max_months"),
        ({"extension_max_months": 13}, "extension_max_months"),
        ({"approval_warn_months": 7}, "approval_warn_months"),
        ({"training_days": 0}, "notice_working_days"),
        ({"notice_before": ["talk"]}, "notice_before"),
        ({"activist_wait_months": -1}, "activist_wait_months"),
        ({"activist_wait_months": "6"}, "activist_wait_months"),
        ({"probation_years": 2}, "probation_years"),
    ],
)
def test_invalid_values_are_refused(tree, system_scope, values, field):
    with pytest.raises(RuleViolation) as refused:
        set_policy(system_scope, tree.county, D(2025, 1, 1), **values)
    assert (refused.value.rule_id, refused.value.field) == ("REC-POLICY", field)
    with unscoped():
        assert not RecruitmentPolicy.objects.unscoped_all().exists()


def test_policies_are_append_only(tree, system_scope):
    row = set_policy(system_scope, tree.county, D(2025, 1, 1), activist_wait_months=6)
    with pytest.raises(RuntimeError):
        row.save()
    with pytest.raises(RuntimeError):
        row.delete()


def test_the_page_shows_the_policy_in_force_and_its_source(tree, personas, system_scope):
    url = reverse("recruitment:policy", args=[tree.a.code])
    page = client_for("secretary_a").get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "默认值（全国规定或通行做法）" in text and "RULES.md" not in text and 'id="policy-form"' not in text
    )
    set_policy(system_scope, tree.county, D(2025, 1, 1), activist_wait_months=6, note="县委组织部文件")
    text = client_for("secretary_a").get(url).content.decode()
    assert tree.county.name in text and "2025-01-01" in text and "县委组织部文件" in text
    assert 'id="policy-form"' in client_for("county_admin").get(url).content.decode()
    board = client_for("secretary_a").get(reverse("recruitment:board") + f"?org={tree.a.code}")
    assert url in board.content.decode()


def test_an_admin_adds_a_policy_through_the_page_and_a_secretary_cannot(tree, personas):
    url = reverse("recruitment:policy", args=[tree.a.code])
    data = {
        "effective_from": "2025-01-01",
        "activist_wait_months": "6",
        "training_days": "3",
        "training_hours": "24",
        "notice_working_days": "5",
        "notice_before": ["branch_vote"],
        "extension_min_months": "6",
        "extension_max_months": "12",
        "approval_warn_months": "3",
        "approval_block_months": "6",
        "conversion_vote_grace_months": "1",
        "note": "",
    }
    assert client_for("secretary_a").post(url, data).status_code == 403
    refused = client_for("county_admin").post(url, data | {"extension_min_months": "13"})
    assert refused.status_code == 200 and "REC-POLICY" in refused.content.decode()
    with unscoped():
        assert not RecruitmentPolicy.objects.unscoped_all().exists()
    assert client_for("county_admin").post(url, data).status_code == 302
    assert selectors.policy_for(tree.a, D(2025, 6, 1)).activist_wait_months == 6
