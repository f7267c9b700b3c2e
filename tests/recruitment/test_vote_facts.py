"""The server's facts at a step, never the caller's (issue 8, items 2 and 5): who should attend a vote recorded
by counts only is the branch's full members on the vote date less those under 留党察看 (REC-VOTERS-FULL);
whether the branch had a committee when an activist was designated comes from the org's committees
(REC-ACTIVIST-SOURCE); the sponsors are re-checked on the day of the branch vote (REC-SPONSORS). Through the
API (and the step form), with the stored rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.core.scoping import unscoped
from grassroots.members import services as member_services
from grassroots.members.choices import MemberStatus
from grassroots.orgs.models import OrgCommittee
from tests.factories import SYSTEM, make_member
from tests.support.personas import client_for
from tests.support.road import ACTIVIST, VOTE, apply, refused, steps, votes, walk
from tests.support.votes import dossier_row, stored_steps

D = dt.date


def ready(client, tree) -> int:
    applicant_id = apply(client, tree).json()["id"]
    walk(client, applicant_id, steps(tree)[:11])
    return applicant_id


def branch_vote(**counts) -> dict:
    return {"event": "branch_vote", "on": VOTE.isoformat(), **votes(**counts)}


def committee(tree, elected_on: dt.date, ended_on: dt.date | None = None) -> None:
    with unscoped():
        OrgCommittee.objects.create(
            org=tree.a,
            elected_on=elected_on,
            term_years=3,
            term_ends_on=D(elected_on.year + 3, 1, 1),
            ended_on=ended_on,
        )


# ---------------------------------------------------------------------------------------------- REC-VOTERS-FULL


@pytest.mark.parametrize("should_attend", [1, 3, 10])
def test_count_only_vote_whose_should_attend_disagrees_with_the_electorate_is_refused_with_rec_voters_full(
    tree, secretary, should_attend
):
    # Branch A has two full members on the vote date, 张三 and 李四.
    applicant_id = ready(secretary, tree)
    present = min(should_attend, 2)
    body = refused(
        secretary,
        applicant_id,
        branch_vote(should_attend=should_attend, present=present, yes=present),
        "REC-VOTERS-FULL",
    )
    assert body["field"] == "should_attend"
    assert "本支部在表决之日的正式党员人数（2" in body["message"]
    assert stored_steps(applicant_id, "branch_vote") == []


def test_count_only_vote_leaves_out_members_under_disciplinary_probation_and_freezes_the_electorate(
    tree, secretary
):
    sun = make_member(
        tree.a, "孙八", disciplinary_probation_from=D(2026, 1, 5), disciplinary_probation_until=D(2027, 1, 5)
    )
    later = make_member(tree.a, "周九", admitted_on=D(2025, 6, 1), converted_on=D(2026, 6, 1))
    applicant_id = ready(secretary, tree)
    refused(secretary, applicant_id, branch_vote(should_attend=3, present=2, yes=2), "REC-VOTERS-FULL")
    walk(secretary, applicant_id, [branch_vote(should_attend=2, present=2, yes=2)])
    [row] = stored_steps(applicant_id, "branch_vote")
    assert sorted(row.facts["electorate"]) == sorted([tree.zhang.pk, tree.li.pk, sun.pk])
    assert later.pk not in row.facts["electorate"]  # converted after the vote date
    assert row.facts[str(sun.pk)]["disciplinary_probation"] is True
    assert row.payload["should_attend"] == 2


def test_count_only_conversion_vote_is_checked_against_the_electorate_too(tree, secretary, road_clock):
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, steps(tree)[:14])
    conversion = steps(tree)[14]
    refused(secretary, applicant_id, conversion | votes(should_attend=3, present=2, yes=2), "REC-VOTERS-FULL")
    walk(secretary, applicant_id, [conversion])


# ---------------------------------------------------------------------------------------------- REC-ACTIVIST-SOURCE


def activist_by_general_meeting() -> dict:
    return {
        "event": "activist_designated",
        "on": ACTIVIST.isoformat(),
        "source": "member_recommendation",
        "decided_by": "general_meeting",
    }


def test_general_meeting_designating_an_activist_is_refused_when_the_branch_had_a_committee_that_day(
    tree, secretary
):
    committee(tree, D(2024, 6, 1))
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, steps(tree)[:1])
    body = refused(secretary, applicant_id, activist_by_general_meeting(), "REC-ACTIVIST-SOURCE")
    assert body["field"] == "decided_by"
    assert stored_steps(applicant_id, "activist_designated") == []


@pytest.mark.parametrize(
    ("elected_on", "ended_on"),
    [(None, None), (D(2025, 6, 1), None), (D(2022, 1, 1), D(2025, 3, 1))],
    ids=["no-committee", "elected-later", "ended-before"],
)
def test_general_meeting_designating_an_activist_is_recorded_when_the_branch_had_no_committee_that_day(
    tree, secretary, elected_on, ended_on
):
    if elected_on:
        committee(tree, elected_on, ended_on)
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, [*steps(tree)[:1], activist_by_general_meeting()])
    [row] = stored_steps(applicant_id, "activist_designated")
    assert row.facts["branch_has_committee"] is False
    assert "branch_has_committee" not in row.payload
    assert dossier_row(applicant_id).stage == "activist"


def test_branch_has_committee_is_not_taken_from_the_caller(tree, secretary):
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, steps(tree)[:1])
    response = secretary.post(
        f"/recruitment/applicants/{applicant_id}/events",
        activist_by_general_meeting() | {"branch_has_committee": False},
    )
    assert response.status_code == 422
    assert stored_steps(applicant_id, "activist_designated") == []


def test_activist_form_does_not_ask_whether_the_branch_has_a_committee(tree, personas, secretary):
    committee(tree, D(2024, 6, 1))
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, steps(tree)[:1])
    url = reverse("recruitment:event", args=[applicant_id]) + "?event=activist_designated"
    web = client_for("secretary_a")
    assert 'name="branch_has_committee"' not in web.get(url).content.decode()
    response = web.post(
        url,
        {
            "event": "activist_designated",
            "on": ACTIVIST.isoformat(),
            "source": "member_recommendation",
            "decided_by": "general_meeting",
            "filed_with_upper": "True",
        },
    )
    assert response.status_code == 200, response
    form = response.context["form"]
    assert response.context["refusal"] is not None, form.errors
    assert response.context["refusal"].rule_id == "REC-ACTIVIST-SOURCE"
    assert stored_steps(applicant_id, "activist_designated") == []


# ---------------------------------------------------------------------------------------------- REC-SPONSORS


def test_branch_vote_is_refused_when_a_sponsor_is_under_disciplinary_probation_on_the_vote_date(
    tree, secretary
):
    applicant_id = ready(secretary, tree)  # sponsors 张三 and 李四, assigned on 25 March 2026
    member_services.member_update(
        scope=SYSTEM,
        actor=None,
        member=tree.li,
        disciplinary_probation_from=D(2026, 4, 1),
        disciplinary_probation_until=D(2027, 4, 1),
    )
    body = refused(secretary, applicant_id, branch_vote(), "REC-SPONSORS")
    assert "李四" in body["message"] and body["field"] == "sponsors"
    assert stored_steps(applicant_id, "branch_vote") == []


def test_branch_vote_is_refused_when_a_sponsor_is_no_longer_a_full_member_on_the_vote_date(tree, secretary):
    applicant_id = ready(secretary, tree)
    member_services.member_end(
        scope=SYSTEM, actor=None, member=tree.li, status=MemberStatus.DECEASED, ended_on=D(2026, 4, 2)
    )
    body = refused(secretary, applicant_id, branch_vote(should_attend=1, present=1, yes=1), "REC-SPONSORS")
    assert "李四" in body["message"]


def test_branch_vote_counts_a_sponsor_who_was_still_a_full_member_on_the_vote_date(tree, secretary):
    applicant_id = ready(secretary, tree)
    member_services.member_end(
        scope=SYSTEM, actor=None, member=tree.li, status=MemberStatus.DECEASED, ended_on=D(2026, 5, 2)
    )
    walk(secretary, applicant_id, [branch_vote()])
    [row] = stored_steps(applicant_id, "branch_vote")
    assert row.facts["sponsors_at_vote"][str(tree.li.pk)] == {
        "full": True,
        "disciplinary_probation": False,
        "name": "李四",
    }


def test_stored_branch_has_committee_moves_from_the_payload_to_the_facts_and_still_replays(tree, secretary):
    import importlib

    from django.apps import apps

    from grassroots.recruitment import selectors

    migration = importlib.import_module(
        "grassroots.recruitment.migrations.0005_vote_failed_on_and_committee_fact"
    )
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, steps(tree)[:2])
    [row] = stored_steps(applicant_id, "activist_designated")
    with unscoped():  # as a caller could store it before the committee became the server's fact
        type(row).objects.unscoped_all().filter(pk=row.pk).update(
            payload=row.payload | {"branch_has_committee": True}, facts={}
        )
        migration.committee_to_facts(apps, None)
    [row] = stored_steps(applicant_id, "activist_designated")
    assert "branch_has_committee" not in row.payload
    assert row.facts == {"branch_has_committee": True}
    assert selectors.build_event(row.kind, row.on, row.payload, row.facts).branch_has_committee is True
