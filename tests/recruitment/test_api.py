"""The recruitment API end to end (issue 3 acceptance): one person from application to full membership with
the minimum lawful intervals, and each unlawful step refused with its rule_id and nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.audit.models import AuditEvent
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.core.workdays import CHINA, workday_period_end
from grassroots.members import rules as member_rules
from grassroots.members.choices import JoinedHow, MemberStatus
from grassroots.members.models import Member
from grassroots.recruitment import selectors, services
from grassroots.recruitment.models import Applicant
from tests.factories import SYSTEM, make_id_number
from tests.support.api import ApiClient, token_for
from tests.support.dossiers import applicant as new_applicant
from tests.support.road import (
    ACTIVIST,
    APPLIED,
    CANDIDATE,
    NOTICE_END,
    NOTICE_START,
    PROBATION_ENDS,
    VOTE,
    apply,
    refused,
    steps,
    votes,
    walk,
)
from tests.support.votes import grow_branch

D = dt.date


def test_walks_one_person_from_application_to_full_member_with_minimum_lawful_intervals(
    tree, secretary, road_clock
):
    assert workday_period_end(NOTICE_START, 5, calendar=CHINA).end == NOTICE_END

    response = apply(secretary, tree)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["stage"] == "applicant"
    assert created["member_id"] is None
    assert {s["event"] for s in created["next"]} == {"talk", "activist_designated"}
    applicant_id = created["id"]

    road = steps(tree)
    stages = []
    for step in road:
        response = secretary.post(f"/recruitment/applicants/{applicant_id}/events", step)
        assert response.status_code == 200, (step, response.json())
        stages.append(response.json()["stage"])
        if step["event"] == "approval":
            assert response.json()["member_id"] is not None
            assert [s["event"] for s in response.json()["next"]][:1] == ["oath"]
            conversion = next(s for s in response.json()["next"] if s["event"] == "conversion_vote")
            assert conversion["earliest_on"] == PROBATION_ENDS.isoformat()
    dossier = response.json()

    assert stages[1] == "activist"
    assert stages[5] == "candidate"
    assert stages[12] == "probationary"
    assert dossier["stage"] == "full"
    assert len(dossier["timeline"]) == len(road)
    assert dossier["next"] == []
    assert dossier["admitted_on"] == VOTE.isoformat()
    assert dossier["converted_on"] == PROBATION_ENDS.isoformat()
    assert all(step["warnings"] == [] for step in dossier["timeline"])

    with unscoped():
        member = Member.objects.unscoped_all().get(pk=dossier["member_id"])
    assert member.status == MemberStatus.FULL
    assert member.org_id == tree.a.pk
    assert member.joined_how == JoinedHow.RECRUITED
    assert member.admitted_on == VOTE  # 入党时间: the admitting branch vote
    assert member.converted_on == PROBATION_ENDS  # 转正时间: the day probation ends
    assert member_rules.party_standing_years(member.converted_on, D(2028, 4, 7)) == 0
    assert member_rules.party_standing_years(member.converted_on, D(2028, 4, 8)) == 1
    assert member.id_number_hash == Applicant.objects.within(SYSTEM).get(pk=applicant_id).id_number_hash

    listed = secretary.get("/recruitment/applicants", org=tree.a.code, stage="full").json()
    assert listed["count"] == 1
    assert listed["items"][0]["member_id"] == member.pk


def test_refuses_application_when_applicant_is_under_18(tree, secretary):
    with unscoped():
        before = Applicant.objects.unscoped_all().count()
    response = apply(secretary, tree, birth_date=D(2007, 3, 11))
    assert response.status_code == 422
    assert response.json()["rule_id"] == "REC-AGE-18"
    with unscoped():
        assert Applicant.objects.unscoped_all().count() == before


def test_refuses_candidate_designation_one_day_before_the_year_is_complete(tree, secretary):
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, steps(tree)[:4])  # the second assessment would date 24 March
    body = refused(
        secretary,
        applicant_id,
        {"event": "candidate_designated", "on": (CANDIDATE - dt.timedelta(days=1)).isoformat()},
        "REC-CANDIDATE-1Y",
    )
    assert "2026年3月24日" in body["message"]


def test_refuses_branch_vote_when_counts_fail_the_quorum(tree, secretary):
    # A vote without the majority is recorded as failed (tests/recruitment/test_failed_votes.py).
    grow_branch(tree, 10)
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, steps(tree)[:11])
    counts = votes(should_attend=10, present=5, yes=5)
    refused(
        secretary, applicant_id, {"event": "branch_vote", "on": VOTE.isoformat(), **counts}, "REC-VOTE-QUORUM"
    )


def test_refuses_branch_vote_on_the_last_day_of_the_notice(tree, secretary):
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, steps(tree)[:11])
    body = refused(
        secretary,
        applicant_id,
        {"event": "branch_vote", "on": NOTICE_END.isoformat(), **votes()},
        "REC-NOTICE",
    )
    assert "2026年4月8日" in body["message"]


def test_refuses_conversion_vote_before_probation_ends(tree, secretary, road_clock):
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, steps(tree)[:14])
    refused(
        secretary,
        applicant_id,
        {"event": "conversion_vote", "on": (PROBATION_ENDS - dt.timedelta(days=1)).isoformat(), **votes()},
        "REC-PROBATION-1Y",
    )


def test_refuses_fields_that_do_not_belong_to_the_step(tree, secretary):
    applicant_id = apply(secretary, tree).json()["id"]
    body = refused(
        secretary, applicant_id, {"event": "talk", "on": "2025-03-17", "passed": True}, "API-VALIDATION"
    )
    assert body["field"] == "passed"
    body = refused(
        secretary, applicant_id, {"event": "activist_designated", "on": "2025-03-24"}, "API-VALIDATION"
    )
    assert body["field"] == "source"


def test_refuses_mentors_who_are_not_full_members(tree, secretary):
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, steps(tree)[:2])
    refused(
        secretary,
        applicant_id,
        {"event": "mentors_assigned", "on": ACTIVIST.isoformat(), "mentors": [tree.zhang.pk, 999_999]},
        "REC-MENTORS",
    )


def test_ends_the_membership_as_probation_cancelled_when_probation_is_cancelled(tree, secretary):
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, steps(tree)[:13])
    dossier = walk(
        secretary,
        applicant_id,
        [
            {"event": "conversion_vote", "on": "2026-09-01", "outcome": "cancel", **votes()},
            {"event": "probation_cancelled", "on": "2026-09-10"},
        ],
    )
    assert dossier["stage"] == "cancelled"
    with unscoped():
        member = Member.objects.unscoped_all().get(pk=dossier["member_id"])
    assert member.status == MemberStatus.PROBATION_CANCELLED
    assert member.ended_on == D(2026, 9, 10)
    assert "取消预备党员资格" in member.end_reason
    refused(secretary, applicant_id, {"event": "oath", "on": "2026-09-11"}, "REC-STAGE")


# ---------------------------------------------------------------------------------------------- services


def test_records_every_write_in_the_audit_trail(tree):
    applicant = new_applicant(tree.a, "孙八", birth=D(2000, 1, 2), applied_on=APPLIED)
    services.event_record(
        scope=SYSTEM, actor=None, applicant=applicant, kind="talk", on=D(2025, 3, 12), payload={}
    )
    with unscoped():
        actions = list(
            AuditEvent.objects.unscoped_all()
            .filter(target_type="recruitment.applicant", target_id=applicant.pk)
            .order_by("id")
            .values_list("action", "changes")
        )
    assert [a for a, _ in actions] == ["recruitment.apply", "recruitment.event"]
    assert actions[0][1]["id_number"] == ["＊＊＊", "＊＊＊"]
    assert actions[1][1]["event"] == [None, "talk"]


def test_hides_a_sibling_branchs_dossier(tree, personas, scope_of):
    applicant = new_applicant(tree.a, "孙八", birth=D(2000, 1, 2), applied_on=APPLIED)
    outsider = ApiClient(token_for("secretary_b"))
    assert outsider.get(f"/recruitment/applicants/{applicant.pk}").status_code == 404
    response = outsider.post(
        f"/recruitment/applicants/{applicant.pk}/events", {"event": "talk", "on": "2025-03-12"}
    )
    assert response.status_code == 404
    assert outsider.get("/recruitment/applicants").json()["count"] == 0
    scope_b = scope_of(personas.secretary_b)
    with pytest.raises(NotFound):
        selectors.applicant_get(scope=scope_b, applicant_id=applicant.pk)
    # A viewer reads the dossier but may not write to it.
    viewer = ApiClient(token_for("county_viewer"))
    assert viewer.get(f"/recruitment/applicants/{applicant.pk}").status_code == 200
    response = viewer.post(
        f"/recruitment/applicants/{applicant.pk}/events", {"event": "talk", "on": "2025-03-12"}
    )
    assert response.status_code == 403


def test_refuses_a_dossier_outside_a_branch(tree):
    with pytest.raises(RuleViolation) as exc:
        services.applicant_create(
            scope=SYSTEM,
            actor=None,
            org=tree.g1,
            name="孙八",
            sex="female",
            birth_date=D(2000, 1, 2),
            id_number=make_id_number(D(2000, 1, 2), "female"),
            applied_on=APPLIED,
        )
    assert exc.value.rule_id == "MEM-ORG"


def test_converts_only_a_probationary_member(tree):
    from grassroots.members import services as member_services

    with pytest.raises(RuleViolation) as exc:
        member_services.member_convert(
            scope=SYSTEM, actor=None, member=tree.zhang, converted_on=D(2026, 1, 1)
        )
    assert exc.value.rule_id == "MEM-STATUS"


def test_lists_dossiers_matching_a_pinyin_search(tree, secretary):
    apply(secretary, tree, name="钱七")
    apply(secretary, tree, name="孙八", birth_date=dt.date(1996, 4, 2))
    found = secretary.get("/recruitment/applicants", org=tree.a.code, q="qq").json()
    assert [i["name"] for i in found["items"]] == ["钱七"]


@pytest.mark.django_db
def test_step_posted_through_the_api_answers_the_dossier_without_reading_it_again(tree, secretary):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    applicant_id = apply(secretary, tree).json()["id"]
    with CaptureQueriesContext(connection) as ctx:
        response = secretary.post(
            f"/recruitment/applicants/{applicant_id}/events", {"event": "talk", "on": "2025-03-17"}
        )
    assert response.status_code == 200
    assert [s["event"] for s in response.json()["timeline"]] == ["talk"]
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "recruitment_applicant"' in q["sql"]]
    # The caller's scoped read, then the service's re-read of the row under its lock: no third read.
    assert len(reads) == 2, reads


def test_lists_dossiers_a_page_at_a_time_with_the_shared_page_shape(tree, secretary):
    apply(secretary, tree, name="钱七")
    apply(secretary, tree, name="孙八", birth_date=dt.date(1996, 4, 2))
    first = secretary.get("/recruitment/applicants", org=tree.a.code, page_size=1).json()
    assert (first["count"], first["page"], first["page_size"], first["next"]) == (2, 1, 1, 2)
    [item] = first["items"]
    assert (item["name"], item["org"], item["org_name"], item["stage"]) == (
        "钱七",
        tree.a.code,
        tree.a.name,
        "applicant",
    )
    second = secretary.get("/recruitment/applicants", org=tree.a.code, page=2, page_size=1).json()
    assert ([i["name"] for i in second["items"]], second["next"]) == (["孙八"], None)


def test_dossier_list_is_documented_as_a_page_of_typed_items(db):
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json").json()
    get = schema["paths"]["/api/v1/recruitment/applicants"]["get"]
    ref = get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    paged = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(paged["properties"]) == {"items", "count", "page", "page_size", "next"}
    assert paged["properties"]["items"]["items"]["$ref"].endswith("/ApplicantItemOut")
    # The ledger page's filters (filters.ApplicantFilter), and the page parameters.
    # X-Search: the search text as a header, for an ID number (core.id_search).
    assert {p["name"] for p in get["parameters"]} == {
        "org",
        "stage",
        "q",
        "year",
        "page",
        "page_size",
        "X-Search",
    }
