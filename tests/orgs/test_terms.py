"""ORG-TERM through the API: the term of a committee comes from the effective-dated org policy, and a
postponed or advanced election is recorded with the upper organization's approval, capped at one year, and
moves the day the ORG-TERM warning reads (issue 8, item 6)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grassroots.audit.models import AuditEvent
from grassroots.core.dates import add_years
from grassroots.core.scoping import unscoped
from grassroots.orgs.models import OrgCommittee, OrgPolicy, OrgWarningState, TermAdjustment
from tests.factories import SYSTEM, make_member, make_org


def stored_rules(org) -> set[str]:
    with unscoped():
        return set(OrgWarningState.objects.unscoped_all().filter(org=org).values_list("rule_id", flat=True))


def elect(api, org, elected_on, posts, **extra):
    body = {
        "elected_on": elected_on.isoformat(),
        "posts": [{"member_id": m.pk, "role": r} for m, r in posts],
    } | extra
    return api.post(f"/orgs/{org.code}/elections", body)


def current(org) -> OrgCommittee:
    return OrgCommittee.objects.within(SYSTEM).get(org=org, ended_on__isnull=True)


def test_org_term_comes_from_the_policy_in_force_on_the_election_day(api_as, tree):
    admin = api_as("county_admin")
    default = admin.get("/orgs/A/policy").json()
    assert (default["source"], default["branch_term_years"], default["committee_term_years"]) == (
        "defaults",
        3,
        5,
    )
    assert (default["village_term_years"], default["letter_valid_months"]) == (5, 3)

    day = dt.date(2025, 3, 1)
    set_ = admin.post("/orgs/C/policy", {"effective_from": day.isoformat(), "committee_term_years": 4})
    assert set_.status_code == 201, set_.content
    assert (set_.json()["source_org"], set_.json()["committee_term_years"]) == ("C", 4)
    row = OrgPolicy.objects.within(SYSTEM).get(org=tree.county)
    assert (row.committee_term_years, row.branch_term_years, row.effective_from) == (4, 3, day)

    # The county's committee elected before the policy: 5 years; after it: 4 years.
    before = elect(admin, tree.county, day - dt.timedelta(days=1), [(tree.zhang, "secretary")])
    assert before.status_code == 201, before.content
    assert before.json()["term_years"] == 5
    after = elect(admin, tree.county, day, [(tree.li, "secretary")])
    assert after.status_code == 201, after.content
    assert (after.json()["term_years"], after.json()["term_ends_on"]) == (4, add_years(day, 4).isoformat())
    committee = current(tree.county)
    assert (committee.term_years, committee.term_ends_on) == (4, add_years(day, 4))

    # A branch: 3 years by default; a village branch: the village term.
    branch = elect(api_as("secretary_a"), tree.a, day, [(tree.zhang, "secretary")])
    assert branch.json()["term_years"] == 3
    village = make_org(tree.g1, "V", kind="branch", unit_kind="village")
    empty = elect(admin, village, day, [])
    assert (empty.status_code, empty.json()["rule_id"]) == (422, "ORG-COMMITTEE-7")  # at least one post
    head = make_member(village, "赵六")
    assert elect(admin, village, day, [(head, "secretary")]).json()["term_years"] == 5


def test_org_term_refuses_a_term_other_than_the_policy(api_as, tree):
    response = elect(
        api_as("secretary_a"), tree.a, timezone.localdate(), [(tree.zhang, "secretary")], term_years=5
    )
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("ORG-TERM", "term_years")
    assert not OrgCommittee.objects.within(SYSTEM).filter(org=tree.a).exists()


def test_org_policy_refuses_values_outside_the_regulations_and_keeps_nothing(api_as, tree):
    admin = api_as("county_admin")
    for field, value in (("committee_term_years", 6), ("branch_term_years", 4), ("letter_valid_months", 0)):
        response = admin.post("/orgs/C/policy", {"effective_from": "2026-01-01", field: value})
        assert response.status_code == 422, (field, response.content)
        assert (response.json()["rule_id"], response.json()["field"]) == ("ORG-POLICY", field)
    assert not OrgPolicy.objects.within(SYSTEM).exists()


def test_org_policy_set_only_by_org_admins_and_audited(api_as, tree):
    refused = api_as("secretary_a").post("/orgs/A/policy", {"effective_from": "2026-01-01"})
    assert refused.status_code == 403
    outside = api_as("secretary_b").get("/orgs/A/policy")
    assert outside.status_code == 404
    done = api_as("county_admin").post(
        "/orgs/G1/policy",
        {"effective_from": "2026-01-01", "letter_valid_months": 2, "note": "县委组发〔2026〕1号"},
    )
    assert done.status_code == 201
    with unscoped():
        event = AuditEvent.objects.unscoped_all().get(action="org.policy")
    assert event.changes["letter_valid_months"] == [None, 2]


def test_org_policy_is_effective_dated_the_nearest_org_wins_and_history_is_kept(api_as, tree):
    admin = api_as("county_admin")
    admin.post("/orgs/C/policy", {"effective_from": "2025-01-01", "letter_valid_months": 2})
    admin.post("/orgs/G1/policy", {"effective_from": "2025-06-01", "letter_valid_months": 4})
    admin.post("/orgs/C/policy", {"effective_from": "2025-09-01", "letter_valid_months": 1})
    on = lambda day: admin.get("/orgs/A/policy", on=day).json()  # noqa: E731
    assert on("2024-12-31")["source"] == "defaults"
    assert (on("2025-03-01")["source_org"], on("2025-03-01")["letter_valid_months"]) == ("C", 2)
    assert (on("2025-07-01")["source_org"], on("2025-07-01")["letter_valid_months"]) == ("G1", 4)
    assert on("2025-10-01")["letter_valid_months"] == 4  # the branch's nearer org still wins
    assert admin.get("/orgs/C/policy", on="2025-10-01").json()["letter_valid_months"] == 1
    assert OrgPolicy.objects.within(SYSTEM).count() == 3


def adjust(api, org, **body):
    today = timezone.localdate()
    defaults = {
        "kind": "postpone",
        "approved_by": "中共测试县委组织部",
        "document_number": "县组〔2026〕12号",
        "approved_on": today.isoformat(),
    }
    return api.post(f"/orgs/{org.code}/committee/term-adjustments", defaults | body)


def test_term_postponement_recorded_with_upper_approval_moves_the_due_date_and_the_warning(api_as, tree):
    api = api_as("secretary_a")
    today = timezone.localdate()
    elected = add_years(today, -3) - dt.timedelta(days=10)  # the term ended ten days ago
    assert elect(api, tree.a, elected, [(tree.zhang, "secretary")]).status_code == 201
    assert "ORG-TERM" in stored_rules(tree.a)

    due = today + dt.timedelta(days=60)
    response = adjust(api, tree.a, due_on=due.isoformat(), reason="村“两委”换届统一安排")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["due_on"] == due.isoformat()
    assert body["adjustments"][0] | {"reason": ""} == {
        "kind": "postpone",
        "due_on": due.isoformat(),
        "previous_due_on": add_years(elected, 3).isoformat(),
        "approved_by": "中共测试县委组织部",
        "document_number": "县组〔2026〕12号",
        "approved_on": today.isoformat(),
        "reason": "",
    }
    assert current(tree.a).due_on == due
    assert TermAdjustment.objects.within(SYSTEM).get().committee == current(tree.a)
    assert "ORG-TERM" not in stored_rules(tree.a)  # the warning reads the approved date
    assert not [w for w in api.get("/orgs/A").json()["warnings"] if w["rule_id"] == "ORG-TERM"]
    with unscoped():
        event = AuditEvent.objects.unscoped_all().get(action="committee.term_adjust")
    assert event.changes["document_number"] == [None, "县组〔2026〕12号"]


def test_term_postponement_capped_at_one_year_and_needs_the_approval(api_as, tree):
    api = api_as("secretary_a")
    today = timezone.localdate()
    elected = add_years(today, -3) - dt.timedelta(days=10)
    elect(api, tree.a, elected, [(tree.zhang, "secretary")])
    term_end = add_years(elected, 3)
    cases = [
        ({"due_on": (add_years(term_end, 1) + dt.timedelta(days=1)).isoformat()}, "due_on"),
        ({"due_on": term_end.isoformat()}, "due_on"),  # not a postponement
        ({"due_on": today.isoformat(), "document_number": " "}, "document_number"),
        ({"due_on": today.isoformat(), "approved_by": ""}, "approved_by"),
        (
            {"due_on": today.isoformat(), "approved_on": (today + dt.timedelta(days=1)).isoformat()},
            "approved_on",
        ),
    ]
    for body, field in cases:
        response = adjust(api, tree.a, **body)
        assert response.status_code == 422, body
        assert (response.json()["rule_id"], response.json()["field"]) == ("ORG-TERM", field)
    assert not TermAdjustment.objects.within(SYSTEM).exists()
    assert current(tree.a).due_on is None
    assert "ORG-TERM" in stored_rules(tree.a)
    # Exactly one year is lawful.
    assert adjust(api, tree.a, due_on=add_years(term_end, 1).isoformat()).status_code == 201


def test_term_advancement_brings_the_warning_forward(api_as, tree):
    api = api_as("secretary_a")
    today = timezone.localdate()
    elected = add_years(today, -3) + dt.timedelta(days=20)  # the term ends in twenty days
    elect(api, tree.a, elected, [(tree.zhang, "secretary")])
    assert "ORG-TERM" not in stored_rules(tree.a)
    too_early = adjust(
        api, tree.a, kind="advance", due_on=(add_years(elected, 2) - dt.timedelta(days=1)).isoformat()
    )
    assert (too_early.status_code, too_early.json()["rule_id"]) == (422, "ORG-TERM")
    response = adjust(api, tree.a, kind="advance", due_on=(today - dt.timedelta(days=1)).isoformat())
    assert response.status_code == 201, response.content
    assert current(tree.a).due_on == today - dt.timedelta(days=1)
    assert "ORG-TERM" in stored_rules(tree.a)
    # A later decision supersedes it; both stay on record.
    adjust(api, tree.a, kind="postpone", due_on=(add_years(elected, 3) + dt.timedelta(days=30)).isoformat())
    assert "ORG-TERM" not in stored_rules(tree.a)
    assert TermAdjustment.objects.within(SYSTEM).count() == 2


def test_term_adjustment_refused_without_a_committee_and_outside_the_roles(api_as, tree):
    today = timezone.localdate().isoformat()
    none = adjust(api_as("secretary_a"), tree.a, due_on=today)
    assert (none.status_code, none.json()["rule_id"]) == (422, "ORG-TERM")
    assert adjust(api_as("county_viewer"), tree.a, due_on=today).status_code == 403
    assert adjust(api_as("secretary_b"), tree.a, due_on=today).status_code == 404
