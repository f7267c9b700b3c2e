from django.urls import reverse

from grassroots.core.templatetags.grassroots import action_label


def test_home_lists_grant_orgs_with_counts_and_warnings(client, personas, tree):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert tree.a.name in html
    assert reverse("orgs:detail", args=[tree.a.code]) in html
    # Branch A has 2 full members: fewer than 3 (ORG-BRANCH-MIN-3).
    assert "ORG-BRANCH-MIN-3" in html
    assert tree.b.name not in html


def test_home_shows_own_record_link_when_user_is_a_member(client, personas, tree):
    from grassroots.core.scoping import unscoped
    from grassroots.members.models import Member

    with unscoped():
        Member.objects.unscoped_all().filter(pk=tree.wang.pk).update(user=personas.member_b)
    client.force_login(personas.member_b)
    html = client.get(reverse("home")).content.decode()
    assert reverse("members:me") in html  # the member's own record page (我的档案)


def test_language_switch_renders_english(client, personas):
    client.force_login(personas.secretary_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert "Party-building platform" in html


def test_action_label_translates_known_codes_and_keeps_unknown():
    assert action_label("member.update") == "修改党员信息"
    assert action_label("something.else") == "something.else"
