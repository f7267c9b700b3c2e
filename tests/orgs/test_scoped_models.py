"""Org-owned models fail closed (issue 8, item 9): a query on units, committees, committee posts, term
adjustments or org policies without a scope raises ScopeError, as for every other org-owned model; a scoped
read sees only the caller's subtree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from grassroots.core.scoping import ScopeError, unscoped
from grassroots.orgs import services
from grassroots.orgs.models import CommitteeMember, OrgCommittee, OrgPolicy, OrgUnit, TermAdjustment
from tests.factories import SYSTEM

MODELS = [OrgUnit, OrgCommittee, CommitteeMember, TermAdjustment, OrgPolicy]


@pytest.fixture
def owned(tree):
    """One row of each model in branch A and one in branch B."""
    today = timezone.localdate()
    for org, member in ((tree.a, tree.zhang), (tree.b, tree.wang)):
        services.org_unit_add(scope=SYSTEM, actor=None, org=org, name=f"{org.code}单位", unit_kind="other")
        services.committee_elect(
            scope=SYSTEM, actor=None, org=org, elected_on=dt.date(2024, 1, 10), posts=[(member, "secretary")]
        )
        services.committee_term_adjust(
            scope=SYSTEM,
            actor=None,
            org=org,
            kind="postpone",
            due_on=dt.date(2027, 6, 1),
            approved_by="县委组织部",
            document_number="1号",
            approved_on=today,
        )
        services.policy_set(scope=SYSTEM, actor=None, org=org, effective_from=today)
    return tree


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_plain_query_without_scope_fails_closed(owned, model):
    with pytest.raises(ScopeError):
        list(model.objects.all())
    with pytest.raises(ScopeError):
        model.objects.filter(pk=1).exists()
    with unscoped():
        assert model.objects.count() == 2  # the explicit, grep-able way around


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_scoped_read_sees_only_the_callers_subtree(owned, personas, scope_of, model):
    scope = scope_of(personas.secretary_a)
    rows = list(model.objects.within(scope))
    assert len(rows) == 1
    with unscoped():
        assert model.objects.filter(pk=rows[0].pk).count() == 1
    assert model.objects.within(scope_of(personas.county_viewer)).count() == 2


def test_reverse_relations_fail_closed(owned):
    with pytest.raises(ScopeError):
        owned.a.units.count()
    with pytest.raises(ScopeError):
        list(owned.a.committees.all())
    committee = OrgCommittee.objects.within(SYSTEM).get(org=owned.a)
    with pytest.raises(ScopeError):
        list(committee.posts.all())
    with pytest.raises(ScopeError):
        list(committee.adjustments.all())
