"""A failed vote is a fact (issue 8, item 1): a branch or conversion vote that has a quorum but not the
majority of those who should attend is recorded — counts, roster, written opinions — and shown as 未通过; it
advances nothing, no approval may follow it, and the dossier may be put to a vote again on a later day. A
vote without a quorum stays refused: no valid vote took place. Through the API, with the stored rows."""

from __future__ import annotations

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.scoping import unscoped
from grassroots.members.models import Member
from tests.support.personas import client_for
from tests.support.road import PROBATION_ENDS, VOTE, apply, refused, steps, votes, walk
from tests.support.votes import day_after, dossier_row, failing_roster, grow_branch, stored_steps

EVENTS = "/recruitment/applicants/{}/events"


def ready(client, tree) -> int:
    """A candidate whose branch vote may be held on VOTE."""
    applicant_id = apply(client, tree).json()["id"]
    walk(client, applicant_id, steps(tree)[:11])
    return applicant_id


def branch_vote(on=VOTE, **fields) -> dict:
    return {"event": "branch_vote", "on": on.isoformat(), **fields}


def members_count() -> int:
    with unscoped():
        return Member.objects.unscoped_all().count()


def test_failed_branch_vote_is_recorded_with_counts_roster_and_written_opinions_as_未通过(tree, secretary):
    five = grow_branch(tree, 5)
    applicant_id = ready(secretary, tree)
    members = members_count()
    response = secretary.post(
        EVENTS.format(applicant_id), branch_vote(roster=failing_roster(five), yes=1, no=2)
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    step = body["timeline"][-1]
    assert (step["event"], step["passed"]) == ("branch_vote", False)
    assert body["stage"] == "candidate" and body["admitted_on"] is None
    [row] = stored_steps(applicant_id, "branch_vote")
    assert (row.payload["should_attend"], row.payload["present"], row.payload["yes"], row.payload["no"]) == (
        5,
        3,
        1,
        2,
    )
    assert row.payload["written_yes"] == 1
    assert row.payload["roster"]["written"] == [{"member": five[3].pk, "opinion": "yes"}]
    assert sorted(row.payload["roster"]["present"]) == sorted(m.pk for m in five[:3])
    assert sorted(row.facts["electorate"]) == sorted(m.pk for m in five)
    # It advances nothing: no member record, no admission date, the next step is again a vote, a day later.
    assert members_count() == members
    person = dossier_row(applicant_id)
    assert (person.stage, person.member_id, person.admitted_on, person.vote_failed_on) == (
        "candidate",
        None,
        None,
        VOTE,
    )
    assert [(s["event"], s["earliest_on"]) for s in body["next"]] == [
        ("branch_vote", day_after(VOTE).isoformat())
    ]


def test_failed_branch_vote_allows_no_approval_after_it(tree, secretary):
    five = grow_branch(tree, 5)
    applicant_id = ready(secretary, tree)
    walk(secretary, applicant_id, [branch_vote(roster=failing_roster(five), yes=1, no=2)])
    refused(secretary, applicant_id, {"event": "approval", "on": "2026-04-15", "approved": True}, "REC-STAGE")


def test_failed_branch_vote_may_be_followed_by_a_later_vote_that_passes_and_admits(tree, secretary):
    five = grow_branch(tree, 5)
    applicant_id = ready(secretary, tree)
    walk(secretary, applicant_id, [branch_vote(roster=failing_roster(five), yes=1, no=2)])
    passing = votes(should_attend=5, present=5, yes=5)
    body = refused(secretary, applicant_id, branch_vote(**passing), "REC-ORDER")  # not the same day again
    assert "2026年4月9日" in body["message"] and "未通过" in body["message"]
    later = day_after(VOTE)
    dossier = walk(
        secretary,
        applicant_id,
        [branch_vote(on=later, **passing), {"event": "approval", "on": "2026-04-15", "approved": True}],
    )
    assert [s["passed"] for s in dossier["timeline"] if s["event"] == "branch_vote"] == [False, True]
    assert dossier["stage"] == "probationary"
    assert dossier["admitted_on"] == later.isoformat()  # 入党时间: the vote that passed
    person = dossier_row(applicant_id)
    assert person.admitted_on == later and person.vote_failed_on == VOTE  # the failure stays on the record
    with unscoped():
        assert Member.objects.unscoped_all().get(pk=person.member_id).admitted_on == later


def test_vote_without_a_quorum_stays_refused_and_records_nothing(tree, secretary):
    grow_branch(tree, 5)
    applicant_id = ready(secretary, tree)
    refused(
        secretary, applicant_id, branch_vote(**votes(should_attend=5, present=2, yes=2)), "REC-VOTE-QUORUM"
    )
    assert stored_steps(applicant_id, "branch_vote") == []


def test_written_opinions_count_toward_the_majority(tree, secretary):
    # Ten should attend; six present, four vote yes: 4 is not more than 5, but 4 + 2 written yes is.
    grow_branch(tree, 10)
    applicant_id = ready(secretary, tree)
    body = walk(
        secretary,
        applicant_id,
        [branch_vote(**votes(should_attend=10, present=6, yes=4, no=2, written_yes=2))],
    )
    assert body["timeline"][-1]["passed"] is True
    assert [s["event"] for s in body["next"]] == ["approval"]
    [row] = stored_steps(applicant_id, "branch_vote")
    assert row.payload["written_yes"] == 2


def test_majority_without_written_opinions_is_recorded_as_failed(tree, secretary):
    grow_branch(tree, 10)
    applicant_id = ready(secretary, tree)
    body = walk(secretary, applicant_id, [branch_vote(**votes(should_attend=10, present=6, yes=4, no=2))])
    assert body["timeline"][-1]["passed"] is False
    assert dossier_row(applicant_id).vote_failed_on == VOTE


def test_written_opinions_never_count_toward_the_quorum(tree, secretary):
    # Five of ten present: no quorum, even with five written yes opinions from the absent.
    grow_branch(tree, 10)
    applicant_id = ready(secretary, tree)
    body = refused(
        secretary,
        applicant_id,
        branch_vote(**votes(should_attend=10, present=5, yes=5, written_yes=5)),
        "REC-VOTE-QUORUM",
    )
    assert body["field"] == "present"
    assert stored_steps(applicant_id, "branch_vote") == []


def test_failed_conversion_vote_is_recorded_and_resolves_nothing_until_a_later_vote(
    tree, secretary, road_clock
):
    five = grow_branch(tree, 5)
    applicant_id = apply(secretary, tree).json()["id"]
    road = steps(tree)
    walk(
        secretary,
        applicant_id,
        [*road[:11], branch_vote(**votes(should_attend=5, present=5, yes=5)), *road[12:14]],
    )
    failed = {"event": "conversion_vote", "on": PROBATION_ENDS.isoformat(), "roster": failing_roster(five)}
    body = walk(secretary, applicant_id, [failed | {"yes": 1, "no": 2}])
    assert body["timeline"][-1]["passed"] is False and body["stage"] == "probationary"
    assert dossier_row(applicant_id).vote_failed_on == PROBATION_ENDS
    refused(secretary, applicant_id, {"event": "conversion_approval", "on": "2027-04-15"}, "REC-OUTCOME")
    later = day_after(PROBATION_ENDS).isoformat()
    body = walk(
        secretary,
        applicant_id,
        [
            {"event": "conversion_vote", "on": later, **votes(should_attend=5, present=5, yes=5)},
            {"event": "conversion_approval", "on": "2027-04-15", "approved": True},
        ],
    )
    assert body["stage"] == "full"
    assert [s["passed"] for s in body["timeline"] if s["event"] == "conversion_vote"] == [False, True]


def test_failed_vote_is_shown_as_未通过_in_timeline_summary_and_ledger(tree, secretary, personas):
    five = grow_branch(tree, 5)
    applicant_id = ready(secretary, tree)
    walk(secretary, applicant_id, [branch_vote(roster=failing_roster(five), yes=1, no=2)])
    web = client_for("secretary_a")
    detail = web.get(reverse("recruitment:detail", args=[applicant_id])).content.decode()
    assert 'class="badge text-bg-danger vote-failed">未通过<' in detail
    summary = web.get(reverse("recruitment:summary", args=[applicant_id]))
    vote_rows = [r for r in summary.context["rows"] if r["on"] == VOTE]
    assert "表决结果 未通过" in vote_rows[0]["details"]
    ledger = web.get(reverse("recruitment:ledger"))
    assert f"{VOTE.isoformat()} 表决未通过" in ledger.content.decode()
    export = web.get(reverse("recruitment:ledger"), {"format": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    header, *lines = list(sheet.iter_rows(min_row=2, values_only=True))
    column = header.index("表决未通过")
    assert [line[column].date() for line in lines if line[1] == "钱七"] == [VOTE]
    xlsx = web.get(reverse("recruitment:summary", args=[applicant_id]), {"format": "xlsx"})
    summary_sheet = load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active
    assert any(
        "表决结果 未通过" in (r[3] or "") for r in summary_sheet.iter_rows(min_row=3, values_only=True)
    )
