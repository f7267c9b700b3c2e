"""Each unlawful step through the API is refused with 422 and its rule_id, and leaves the dossier unchanged
(issue 3 acceptance), for the rules not already walked in test_api.py. Each test walks the minimal lawful
road (`steps(tree)`, each step on its earliest lawful day) up to the step, then posts the unlawful one."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.core.scoping import unscoped
from grassroots.orgs.models import OrgCommittee
from grassroots.recruitment import services
from tests.factories import SYSTEM
from tests.support.road import (
    ACTIVIST,
    APPLIED,
    PROBATION_ENDS,
    VOTE,
    apply,
    refused,
    steps,
    votes,
    walk,
)

D = dt.date


def start(client, tree, road: list[dict]) -> int:
    applicant_id = apply(client, tree).json()["id"]
    walk(client, applicant_id, road)
    return applicant_id


def vote_step(**counts) -> dict:
    return {"event": "branch_vote", "on": VOTE.isoformat(), **votes(**counts)}


# ---------------------------------------------------------------------------------------------- activist


def test_api_refuses_activist_designation_before_the_policy_wait_with_rec_activist_wait(tree, secretary):
    services.policy_set(
        scope=SYSTEM, actor=None, org=tree.county, effective_from=D(2025, 1, 1), activist_wait_months=6
    )
    applicant_id = start(secretary, tree, steps(tree)[:1])
    body = refused(secretary, applicant_id, steps(tree)[1], "REC-ACTIVIST-WAIT")
    assert "2025年9月10日" in body["message"]
    # On the day the six months are complete, the designation is lawful.
    walk(secretary, applicant_id, [{**steps(tree)[1], "on": "2025-09-10"}])


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"decided_by": "general_meeting"}, "decided_by"),
        ({"filed_with_upper": False}, "filed_with_upper"),
    ],
    ids=["general-meeting-where-a-committee-exists", "not-filed-with-upper"],
)
def test_api_refuses_activist_designation_by_the_wrong_body_with_rec_activist_source(
    tree, secretary, extra, field
):
    with unscoped():  # branch A has had an elected committee since 2024 (REC-ACTIVIST-SOURCE reads it)
        OrgCommittee.objects.create(
            org=tree.a, elected_on=D(2024, 1, 1), term_years=3, term_ends_on=D(2027, 1, 1)
        )
    applicant_id = start(secretary, tree, steps(tree)[:1])
    body = refused(secretary, applicant_id, {**steps(tree)[1], **extra}, "REC-ACTIVIST-SOURCE")
    assert body["field"] == field


def test_api_refuses_an_unknown_activist_source_with_api_validation(tree, secretary):
    # An unknown source never reaches REC-ACTIVIST-SOURCE: the schema refuses it first.
    applicant_id = start(secretary, tree, steps(tree)[:1])
    body = refused(secretary, applicant_id, {**steps(tree)[1], "source": "self"}, "API-VALIDATION")
    assert body["field"] == "source"


# ---------------------------------------------------------------------------------------------- candidate


@pytest.mark.parametrize(
    "sponsors",
    [lambda tree: [tree.zhang.pk], lambda tree: [tree.zhang.pk, 999_999]],
    ids=["one-sponsor", "sponsor-not-a-full-member"],
)
def test_api_refuses_sponsors_assignment_with_rec_sponsors(tree, secretary, sponsors):
    applicant_id = start(secretary, tree, steps(tree)[:6])
    step = {"event": "sponsors_assigned", "on": "2026-03-25", "sponsors": sponsors(tree)}
    body = refused(secretary, applicant_id, step, "REC-SPONSORS")
    assert body["field"] == "sponsors"


def test_api_refuses_branch_vote_without_sponsors_with_rec_sponsors(tree, secretary):
    road = steps(tree)
    applicant_id = start(secretary, tree, [*road[:6], *road[7:11]])
    refused(secretary, applicant_id, vote_step(), "REC-SPONSORS")


@pytest.mark.parametrize("review", ["missing", "failed"])
def test_api_refuses_branch_vote_without_political_review_with_rec_review(tree, secretary, review):
    road = steps(tree)
    middle = [{**road[7], "passed": False}] if review == "failed" else []
    applicant_id = start(secretary, tree, [*road[:7], *middle, *road[8:11]])
    body = refused(secretary, applicant_id, vote_step(), "REC-REVIEW")
    assert body["field"] == "political_review"


def test_api_refuses_branch_vote_after_too_little_training_with_rec_training(tree, secretary):
    road = steps(tree)
    short = {**road[8], "days": 2, "hours": 16}  # below 3 days and below 24 hours: a warning only
    applicant_id = start(secretary, tree, [*road[:8], short, *road[9:11]])
    body = refused(secretary, applicant_id, vote_step(), "REC-TRAINING")
    assert body["field"] == "training"


def test_api_refuses_negative_training_with_rec_training(tree, secretary):
    applicant_id = start(secretary, tree, steps(tree)[:8])
    refused(secretary, applicant_id, {**steps(tree)[8], "days": -1}, "REC-TRAINING")


@pytest.mark.parametrize("pre_review", ["missing", "failed"])
def test_api_refuses_branch_vote_without_pre_review_with_rec_pre_review(tree, secretary, pre_review):
    road = steps(tree)
    middle = [{**road[9], "passed": False}] if pre_review == "failed" else []
    applicant_id = start(secretary, tree, [*road[:9], *middle, *road[10:11]])
    body = refused(secretary, applicant_id, vote_step(), "REC-PRE-REVIEW")
    assert body["field"] == "pre_review"


def test_api_refuses_branch_vote_on_two_people_at_once_with_rec_vote_one_by_one(tree, secretary):
    applicant_id = start(secretary, tree, steps(tree)[:11])
    body = refused(secretary, applicant_id, {**vote_step(), "candidates": 2}, "REC-VOTE-ONE-BY-ONE")
    assert body["field"] == "candidates"


# ---------------------------------------------------------------------------------------------- approval


@pytest.mark.parametrize(
    ("on", "field"),
    [
        ("2026-08-10", "reason"),  # more than 3 months after the vote, without a reason
        ("2026-10-09", None),  # more than 6 months after the vote: refused whatever the reason
    ],
    ids=["over-3-months-without-reason", "over-6-months"],
)
def test_api_refuses_a_late_approval_with_rec_approval_3m(tree, secretary, on, field):
    applicant_id = start(secretary, tree, steps(tree)[:12])
    step = {"event": "approval", "on": on, "approved": True}
    if field is None:
        step["reason"] = "材料补正"
    body = refused(secretary, applicant_id, step, "REC-APPROVAL-3M")
    assert body.get("field") == field


# ---------------------------------------------------------------------------------------------- probation


def extension_road() -> list[dict]:
    return [{"event": "conversion_vote", "on": PROBATION_ENDS.isoformat(), "outcome": "extend", **votes()}]


@pytest.mark.parametrize("months", [5, 13])
def test_api_refuses_an_extension_outside_6_to_12_months_with_rec_extension(
    tree, secretary, months, road_clock
):
    applicant_id = start(secretary, tree, [*steps(tree)[:14], *extension_road()])
    step = {"event": "probation_extended", "on": "2027-04-15", "months": months}
    body = refused(secretary, applicant_id, step, "REC-EXTENSION")
    assert body["field"] == "months"


def test_api_refuses_a_second_extension_with_rec_extension(tree, secretary, road_clock):
    applicant_id = start(
        secretary,
        tree,
        steps(tree)[:14]
        + extension_road()
        + [{"event": "probation_extended", "on": "2027-04-15", "months": 6}],
    )
    step = {"event": "conversion_vote", "on": "2027-10-08", "outcome": "extend", **votes()}
    body = refused(secretary, applicant_id, step, "REC-EXTENSION")
    assert body["field"] == "outcome"


def test_api_refuses_conversion_approval_without_a_conversion_vote_with_rec_outcome(
    tree, secretary, road_clock
):
    applicant_id = start(secretary, tree, steps(tree)[:14])
    refused(secretary, applicant_id, steps(tree)[15], "REC-OUTCOME")


def test_api_refuses_conversion_approval_after_an_extend_resolution_with_rec_outcome(
    tree, secretary, road_clock
):
    applicant_id = start(secretary, tree, [*steps(tree)[:14], *extension_road()])
    refused(secretary, applicant_id, steps(tree)[15], "REC-OUTCOME")


# ---------------------------------------------------------------------------------------------- order


def test_api_refuses_a_first_step_dated_before_the_application_with_rec_order(tree, secretary):
    applicant_id = start(secretary, tree, [])
    before = (APPLIED - dt.timedelta(days=1)).isoformat()
    body = refused(secretary, applicant_id, {"event": "talk", "on": before}, "REC-ORDER")
    assert body["field"] == "on"


def test_api_refuses_a_step_dated_before_the_previous_one_with_rec_order(tree, secretary):
    applicant_id = start(secretary, tree, steps(tree)[:2])
    step = {**steps(tree)[2], "on": (ACTIVIST - dt.timedelta(days=1)).isoformat()}
    body = refused(secretary, applicant_id, step, "REC-ORDER")
    assert body["field"] == "on"
