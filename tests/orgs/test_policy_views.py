"""The pages of issue 8, items 6 and 7: the org policy (组织工作规则参数), the postponement or advancement of
an election (延期 / 提前换届) and the units of a joint branch (联合单位)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from grassroots.core.dates import add_years
from grassroots.orgs import services
from grassroots.orgs.models import OrgCommittee, OrgPolicy, OrgUnit, TermAdjustment
from tests.factories import SYSTEM


def test_policy_page_shows_defaults_and_org_admin_sets_a_new_policy(client, personas, tree):
    client.force_login(personas.county_admin)
    url = reverse("orgs:policy", args=[tree.county.code])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "默认值（全国规定或通行做法）" in html and 'id="policy-form"' in html
    data = {
        "effective_from": "2026-01-01",
        "branch_term_years": "3",
        "village_term_years": "5",
        "committee_term_years": "4",
        "letter_valid_months": "2",
        "note": "县委组发〔2026〕1号",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content
    row = OrgPolicy.objects.within(SYSTEM).get()
    assert (row.committee_term_years, row.letter_valid_months, row.created_by) == (
        4,
        2,
        personas.county_admin,
    )
    shown = client.get(reverse("orgs:policy", args=[tree.a.code])).content.decode()
    assert "县委组发〔2026〕1号" in shown and "由 中共测试县委员会 规定" in shown


def test_policy_page_shows_the_rule_next_to_a_value_out_of_range(client, personas, tree):
    client.force_login(personas.county_admin)
    data = {
        "effective_from": "2026-01-01",
        "branch_term_years": "5",
        "village_term_years": "5",
        "committee_term_years": "5",
        "letter_valid_months": "3",
    }
    response = client.post(reverse("orgs:policy", args=[tree.county.code]), data)
    assert response.status_code == 200
    assert "ORG-POLICY" in response.context["form"].errors["branch_term_years"][0]
    assert not OrgPolicy.objects.within(SYSTEM).exists()


def test_policy_page_read_only_for_a_secretary_and_post_forbidden(client, personas, tree):
    client.force_login(personas.secretary_a)
    url = reverse("orgs:policy", args=[tree.a.code])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    assert client.post(url, {"effective_from": "2026-01-01"}).status_code == 403
    assert not OrgPolicy.objects.within(SYSTEM).exists()


def test_election_form_shows_and_uses_the_policy_term(client, personas, tree):
    services.policy_set(
        scope=SYSTEM, actor=None, org=tree.county, effective_from=dt.date(2020, 1, 1), branch_term_years=2
    )
    client.force_login(personas.secretary_a)
    url = reverse("orgs:elect", args=[tree.a.code])
    assert client.get(url).context["term_years"] == 2
    today = timezone.localdate()
    response = client.post(url, {"elected_on": today.isoformat(), "secretary": str(tree.zhang.pk)})
    assert response.status_code == 302
    committee = OrgCommittee.objects.within(SYSTEM).get(org=tree.a)
    assert (committee.term_years, committee.term_ends_on) == (2, add_years(today, 2))


def test_term_page_records_a_postponement_and_the_org_page_shows_the_new_date(client, personas, tree):
    today = timezone.localdate()
    elected = add_years(today, -3) - dt.timedelta(days=5)
    services.committee_elect(
        scope=SYSTEM, actor=None, org=tree.a, elected_on=elected, posts=[(tree.zhang, "secretary")]
    )
    client.force_login(personas.secretary_a)
    url = reverse("orgs:term", args=[tree.a.code])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["approved_by"] == ""  # the upper org is outside the secretary's view
    client.force_login(personas.county_admin)
    assert client.get(url).context["form"].initial["approved_by"] == tree.g1.name  # the upper org
    due = today + dt.timedelta(days=90)
    data = {
        "kind": "postpone",
        "due_on": due.isoformat(),
        "approved_by": "中共测试局总支部委员会",
        "document_number": "局总支〔2026〕3号",
        "approved_on": today.isoformat(),
        "reason": "",
    }
    too_late = client.post(url, data | {"due_on": (add_years(elected, 4) + dt.timedelta(days=1)).isoformat()})
    assert too_late.status_code == 200
    assert "ORG-TERM" in too_late.context["form"].errors["due_on"][0]
    assert not TermAdjustment.objects.within(SYSTEM).exists()
    response = client.post(url, data)
    assert response.status_code == 302, response.content
    assert OrgCommittee.objects.within(SYSTEM).get(org=tree.a).due_on == due
    detail = client.get(reverse("orgs:detail", args=[tree.a.code]))
    assert 'id="committee-due-on"' in detail.content.decode()
    assert not [w for w in detail.context["warnings"] if w.rule_id == "ORG-TERM"]
    assert "局总支〔2026〕3号" in client.get(url).content.decode()


def test_term_page_without_a_committee_offers_the_election_and_is_for_editors_only(client, personas, tree):
    client.force_login(personas.secretary_a)
    page = client.get(reverse("orgs:term", args=[tree.a.code]))
    assert page.status_code == 200 and "form" not in page.context
    assert reverse("orgs:elect", args=[tree.a.code]) in page.content.decode()
    client.force_login(personas.county_viewer)
    assert client.get(reverse("orgs:term", args=[tree.a.code])).status_code == 403


def test_units_page_adds_and_ends_units_and_refuses_a_sixth(client, personas, tree):
    services.org_update(scope=SYSTEM, actor=None, org=tree.b, is_joint=True)
    client.force_login(personas.secretary_b)
    url = reverse("orgs:units", args=[tree.b.code])
    for i in range(5):
        response = client.post(url, {"name": f"单位{i}", "unit_kind": "other", "is_legal_entity": "on"})
        assert response.status_code == 302, response.content
    sixth = client.post(url, {"name": "单位5", "unit_kind": "other"})
    assert sixth.status_code == 200
    assert "ORG-BRANCH-MIN-3" in sixth.context["form"].errors["name"][0]
    unit = OrgUnit.objects.within(SYSTEM).filter(org=tree.b).first()
    end_url = reverse("orgs:unit_end", args=[tree.b.code, unit.pk])
    assert client.get(end_url).status_code == 200
    assert client.post(end_url, {"valid_until": "2026-01-31"}).status_code == 302
    unit.refresh_from_db()
    assert unit.valid_until == dt.date(2026, 1, 31)
    html = client.get(url).content.decode()
    assert f'id="unit-{unit.pk}"' in html and "2026-01-31" in html
    assert (
        client.post(url, {"name": "单位5", "unit_kind": "other", "valid_from": "2026-02-01"}).status_code
        == 302
    )


def test_units_page_read_only_for_a_viewer_and_unit_end_out_of_reach(client, personas, tree):
    unit = services.org_unit_add(scope=SYSTEM, actor=None, org=tree.b, name="甲", unit_kind="other")
    client.force_login(personas.county_viewer)
    page = client.get(reverse("orgs:units", args=[tree.b.code]))
    assert page.status_code == 200 and page.context["form"] is None
    assert (
        client.post(
            reverse("orgs:units", args=[tree.b.code]), {"name": "乙", "unit_kind": "other"}
        ).status_code
        == 403
    )
    assert client.get(reverse("orgs:unit_end", args=[tree.b.code, unit.pk])).status_code == 403
    client.force_login(personas.secretary_a)
    assert client.get(reverse("orgs:unit_end", args=[tree.a.code, unit.pk])).status_code == 404
    assert OrgUnit.objects.within(SYSTEM).count() == 1
