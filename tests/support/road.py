"""The recruitment road through the API: one person from application to full membership, each step on its
earliest lawful day, and the check that an unlawful step is refused with its rule id and saves nothing."""

from __future__ import annotations

import datetime as dt

from grassroots.core.scoping import unscoped
from grassroots.members.models import Member
from grassroots.recruitment.models import RecruitmentEvent
from tests.factories import make_id_number
from tests.support.api import ApiClient

D = dt.date
BIRTH = D(2007, 3, 10)
APPLIED = D(2025, 3, 10)  # the 18th birthday: the earliest lawful application (REC-AGE-18)
ACTIVIST = D(2025, 3, 24)
CANDIDATE = D(2026, 3, 24)  # exactly one year after the designation as activist (REC-CANDIDATE-1Y)
NOTICE_START = D(2026, 3, 31)
# Five working days from Tue 31 March 2026: 31 Mar, 1–3 Apr, then the Qingming holiday (4–6 Apr), 7 Apr.
NOTICE_END = D(2026, 4, 7)
VOTE = D(2026, 4, 8)  # the day after the notice ends (REC-NOTICE)
PROBATION_ENDS = D(2027, 4, 8)  # one year after the admitting vote (REC-PROBATION-1Y)


def votes(should_attend=2, present=2, yes=2, no=0, abstain=0, written_yes=0) -> dict:
    return {
        "should_attend": should_attend,
        "present": present,
        "yes": yes,
        "no": no,
        "abstain": abstain,
        "written_yes": written_yes,
    }


def steps(tree) -> list[dict]:
    """The whole road, each step on its earliest lawful day."""
    people = [tree.zhang.pk, tree.li.pk]
    return [
        {"event": "talk", "on": "2025-03-17"},
        {"event": "activist_designated", "on": ACTIVIST.isoformat(), "source": "member_recommendation"},
        {"event": "mentors_assigned", "on": ACTIVIST.isoformat(), "mentors": people},
        {"event": "assessment", "on": "2025-09-24"},
        {"event": "assessment", "on": "2026-03-24"},
        {"event": "candidate_designated", "on": CANDIDATE.isoformat()},
        {"event": "sponsors_assigned", "on": "2026-03-25", "sponsors": people},
        {"event": "political_review", "on": "2026-03-26", "passed": True},
        {"event": "training_completed", "on": "2026-03-27", "days": 3, "hours": 24},
        {"event": "pre_review", "on": "2026-03-30", "passed": True},
        {
            "event": "public_notice",
            "on": NOTICE_START.isoformat(),
            "start_on": NOTICE_START.isoformat(),
            "working_days": 5,
        },
        {"event": "branch_vote", "on": VOTE.isoformat(), **votes()},
        {"event": "approval", "on": "2026-04-15", "approved": True},
        {"event": "oath", "on": "2026-04-16"},
        {"event": "conversion_vote", "on": PROBATION_ENDS.isoformat(), **votes()},
        {"event": "conversion_approval", "on": "2027-04-15", "approved": True},
    ]


def apply(client: ApiClient, tree, *, birth_date=BIRTH, applied_on=APPLIED, name="钱七"):
    return client.post(
        "/recruitment/applicants",
        {
            "org": tree.a.code,
            "name": name,
            "sex": "male",
            "birth_date": birth_date.isoformat(),
            "id_number": make_id_number(birth_date, "male"),
            "applied_on": applied_on.isoformat(),
        },
    )


def walk(client: ApiClient, applicant_id: int, road: list[dict]) -> dict:
    body = {}
    for step in road:
        response = client.post(f"/recruitment/applicants/{applicant_id}/events", step)
        assert response.status_code == 200, (step, response.json())
        body = response.json()
    return body


def refused(client: ApiClient, applicant_id: int, step: dict, rule_id: str) -> dict:
    """Post an unlawful step: 422 with `rule_id`, and the dossier exactly as before."""
    before = client.get(f"/recruitment/applicants/{applicant_id}").json()
    with unscoped():
        rows = RecruitmentEvent.objects.unscoped_all().count()
        members = Member.objects.unscoped_all().count()
    response = client.post(f"/recruitment/applicants/{applicant_id}/events", step)
    assert response.status_code == 422, response.json()
    assert response.json()["rule_id"] == rule_id, response.json()
    after = client.get(f"/recruitment/applicants/{applicant_id}").json()
    assert after == before
    assert len(after["timeline"]) == len(before["timeline"])
    assert after["stage"] == before["stage"]
    with unscoped():
        assert RecruitmentEvent.objects.unscoped_all().count() == rows
        assert Member.objects.unscoped_all().count() == members
    return response.json()
