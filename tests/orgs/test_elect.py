"""The committee election form (换届选举) on the org page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from grassroots.orgs.models import CommitteeMember, OrgCommittee
from tests.factories import SYSTEM, make_member


def test_elect_form_defaults_term_from_rules_and_offers_the_org_members(client, personas, tree):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("orgs:elect", args=[tree.a.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["term_years"] == 3  # a branch: 3 years by the default policy (ORG-TERM)
    assert "term_years" not in response.context["form"].fields  # the term is not an input
    assert "张三" in html and "李四" in html and "王五" not in html
    assert "组织委员" in html and "纪检委员" in html


def test_elect_records_committee_and_posts_and_clears_the_warning(client, personas, tree):
    more = [make_member(tree.a, name) for name in ("赵六", "钱七")]
    client.force_login(personas.secretary_a)
    elected_on = timezone.localdate() - dt.timedelta(days=10)
    response = client.post(
        reverse("orgs:elect", args=[tree.a.code]),
        {
            "elected_on": elected_on.isoformat(),
            "term_years": "3",
            "secretary": str(tree.zhang.pk),
            "organization_officer": str(tree.li.pk),
            "publicity_officer": str(more[0].pk),
            "discipline_officer": str(more[1].pk),
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("orgs:detail", args=[tree.a.code])
    committee = OrgCommittee.objects.within(SYSTEM).get(org=tree.a, ended_on__isnull=True)
    assert committee.elected_on == elected_on and committee.term_years == 3
    roles = dict(
        CommitteeMember.objects.within(SYSTEM).filter(committee=committee).values_list("role", "member_id")
    )
    assert roles == {
        "secretary": tree.zhang.pk,
        "organization_officer": tree.li.pk,
        "publicity_officer": more[0].pk,
        "discipline_officer": more[1].pk,
    }
    page = client.get(response.url).content.decode()
    assert "委员会" in page and "张三" in page
    # The next election form starts from the current committee.
    form = client.get(reverse("orgs:elect", args=[tree.a.code])).context["form"]
    assert form.initial["secretary"] == str(tree.zhang.pk)


def test_elect_errors_show_next_to_the_fields(client, personas, tree):
    client.force_login(personas.secretary_a)
    url = reverse("orgs:elect", args=[tree.a.code])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        url,
        {
            "elected_on": tomorrow.isoformat(),
            "term_years": "9",
            "secretary": str(tree.zhang.pk),
            "member": [str(tree.zhang.pk)],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "选举日期不能晚于今天" in errors["elected_on"][0]
    assert "同一人只能担任一个职务" in errors["member"][0]
    html = response.content.decode()
    assert html.index('id="field-member"') < html.index("同一人只能担任一个职务")
    assert not OrgCommittee.objects.within(SYSTEM).filter(org=tree.a).exists()


def test_elect_requires_at_least_one_post_and_refuses_a_stranger(client, personas, tree):
    client.force_login(personas.secretary_a)
    url = reverse("orgs:elect", args=[tree.a.code])
    today = timezone.localdate().isoformat()
    response = client.post(url, {"elected_on": today, "term_years": "3"})
    assert "请至少选择一名委员" in response.context["form"].errors["secretary"][0]
    response = client.post(url, {"elected_on": today, "term_years": "3", "secretary": str(tree.wang.pk)})
    assert "secretary" in response.context["form"].errors  # 王五 of branch B is not a choice
    assert not OrgCommittee.objects.within(SYSTEM).filter(org=tree.a).exists()


def test_elect_forbidden_for_viewer_and_404_outside_scope(client, personas, tree):
    client.force_login(personas.county_viewer)
    assert client.get(reverse("orgs:elect", args=[tree.a.code])).status_code == 403
    client.force_login(personas.secretary_a)
    assert client.get(reverse("orgs:elect", args=[tree.b.code])).status_code == 404


def test_org_page_offers_the_election_to_editors_only(client, personas, tree):
    url = reverse("orgs:elect", args=[tree.a.code])
    client.force_login(personas.secretary_a)
    assert url in client.get(reverse("orgs:detail", args=[tree.a.code])).content.decode()
    client.force_login(personas.county_viewer)
    assert url not in client.get(reverse("orgs:detail", args=[tree.a.code])).content.decode()
