"""A branch vote recorded from the general meeting where it was taken (issue 10, item 3): who was present
comes from that meeting's attendance, never from the caller's counts, and the dossier links back to the
meeting."""

from __future__ import annotations

from grassroots.core.scoping import unscoped
from grassroots.meetings.models import Attendance
from tests.factories import make_meeting
from tests.support.personas import client_for
from tests.support.road import VOTE, apply, steps, walk
from tests.support.votes import grow_branch, stored_steps

EVENTS = "/recruitment/applicants/{}/events"


def ready(client, tree) -> int:
    applicant_id = apply(client, tree).json()["id"]
    walk(client, applicant_id, steps(tree)[:11])
    return applicant_id


def general_meeting(tree, present, on=VOTE):
    meeting = make_meeting(tree.a, planned_on=on, topic="接收预备党员的支部党员大会")
    with unscoped():
        Attendance.objects.unscoped_all().filter(meeting=meeting, member__in=present).update(status="present")
    return meeting


def test_vote_roster_comes_from_the_meeting_attendance_when_recorded_from_a_general_meeting(tree, secretary):
    five = grow_branch(tree, 5)
    applicant_id = ready(secretary, tree)
    meeting = general_meeting(tree, five[:4])
    response = secretary.post(
        EVENTS.format(applicant_id),
        {"event": "branch_vote", "on": VOTE.isoformat(), "meeting": meeting.pk, "yes": 4, "present": 5},
    )
    assert response.status_code == 200, response.json()
    step = response.json()["timeline"][-1]
    assert (step["event"], step["passed"], step["meeting"]) == ("branch_vote", True, meeting.pk)
    [row] = stored_steps(applicant_id, "branch_vote")
    assert (row.payload["should_attend"], row.payload["present"]) == (5, 4)
    assert sorted(row.payload["roster"]["present"]) == sorted(m.pk for m in five[:4])
    page = client_for("secretary_a").get(f"/recruitment/{applicant_id}/").content.decode()
    assert f"/meetings/{meeting.pk}/minutes/" in page


def test_vote_from_a_meeting_is_refused_when_the_meeting_was_held_on_another_day(tree, secretary):
    import datetime as dt

    five = grow_branch(tree, 5)
    applicant_id = ready(secretary, tree)
    meeting = general_meeting(tree, five, on=VOTE - dt.timedelta(days=1))
    response = secretary.post(
        EVENTS.format(applicant_id),
        {"event": "branch_vote", "on": VOTE.isoformat(), "meeting": meeting.pk, "yes": 5},
    )
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("REC-VOTERS-FULL", "meeting")
    assert stored_steps(applicant_id, "branch_vote") == []


def test_vote_from_a_meeting_is_refused_when_the_quorum_was_not_present_there(tree, secretary):
    five = grow_branch(tree, 5)
    applicant_id = ready(secretary, tree)
    meeting = general_meeting(tree, five[:2])
    response = secretary.post(
        EVENTS.format(applicant_id),
        {"event": "branch_vote", "on": VOTE.isoformat(), "meeting": meeting.pk, "yes": 2, "present": 5},
    )
    assert response.status_code == 422
    assert response.json()["rule_id"] == "REC-VOTE-QUORUM"


def test_dossier_step_form_offers_the_branchs_general_meetings_and_takes_the_roster_from_the_one_picked(
    tree, secretary
):
    five = grow_branch(tree, 5)
    applicant_id = ready(secretary, tree)
    meeting = general_meeting(tree, five[:4])
    page = client_for("secretary_a")
    url = f"/recruitment/{applicant_id}/event/?event=branch_vote&on={VOTE.isoformat()}"
    form = page.get(url).content.decode()
    assert f'<option value="{meeting.pk}">{VOTE.isoformat()} 接收预备党员的支部党员大会</option>' in form
    response = page.post(
        f"/recruitment/{applicant_id}/event/",
        {
            "event": "branch_vote",
            "on": VOTE.isoformat(),
            "meeting": meeting.pk,
            "yes": 4,
            "no": 0,
            "abstain": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [row] = stored_steps(applicant_id, "branch_vote")
    assert (row.facts["meeting"], row.payload["should_attend"], row.payload["present"]) == (meeting.pk, 5, 4)
    assert sorted(row.payload["roster"]["present"]) == sorted(m.pk for m in five[:4])


def test_dossier_step_form_leaves_out_cancelled_meetings_and_those_of_other_branches(tree, secretary):
    applicant_id = ready(secretary, tree)
    make_meeting(tree.b, planned_on=VOTE, topic="别的支部的党员大会")
    cancelled = make_meeting(tree.a, planned_on=VOTE, topic="已取消的党员大会")
    with unscoped():
        type(cancelled).objects.unscoped_all().filter(pk=cancelled.pk).update(status="cancelled")
    form = client_for("secretary_a").get(
        f"/recruitment/{applicant_id}/event/?event=branch_vote&on={VOTE.isoformat()}"
    )
    page = form.content.decode()
    assert "表决所在的党员大会" not in page  # no meeting to pick: no picker
    assert "别的支部的党员大会" not in page and "已取消的党员大会" not in page
