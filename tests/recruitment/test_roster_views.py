"""The vote form's roster: it lists the branch's full members on the vote date (those under 留党察看 greyed
and excluded), records attendance and the secret ballot's counts, shows the quorum refusal and saves nothing,
and the dossier shows who should have attended, who came, who wrote and who was not counted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.core.scoping import unscoped
from grassroots.recruitment.models import RecruitmentEvent
from tests.factories import make_member
from tests.support.dossiers import VOTE_ON, candidate_ready, events_of, stage_of
from tests.support.personas import client_for

D = dt.date


@pytest.fixture
def branch(tree, road_clock):
    tree.zhao = make_member(tree.a, "赵六")
    tree.sun = make_member(
        tree.a, "孙八", disciplinary_probation_from=D(2026, 1, 5), disciplinary_probation_until=D(2027, 1, 5)
    )
    tree.zhou = make_member(tree.a, "周九", admitted_on=D(2026, 1, 1), converted_on=D(2027, 1, 1))
    return tree


def url_of(person):
    return reverse("recruitment:event", args=[person.pk]) + "?event=branch_vote"


@pytest.mark.django_db
def test_vote_form_lists_full_members_on_the_vote_date_with_discipline_greyed(branch, personas):
    person = candidate_ready(branch)
    page = client_for("secretary_a").get(url_of(person) + f"&on={VOTE_ON.isoformat()}")
    rows = page.context["form"].roster_rows
    assert [(r["name"], r["watched"]) for r in rows] == [
        ("李四", False),
        ("孙八", True),
        ("张三", False),
        ("赵六", False),
    ]
    html = page.content.decode()
    assert "受留党察看处分，没有表决权" in html
    assert "周九" not in html  # converted after the vote date
    assert 'name="should_attend"' not in html and 'name="yes"' in html


@pytest.mark.django_db
def test_vote_form_records_the_roster_and_the_counts_when_a_quorum_votes_yes(branch, personas):
    person = candidate_ready(branch)
    response = client_for("secretary_a").post(
        url_of(person),
        {
            "event": "branch_vote",
            "on": VOTE_ON.isoformat(),
            f"present_{branch.zhang.pk}": "on",
            f"present_{branch.li.pk}": "on",
            f"written_{branch.zhao.pk}": "yes",
            "yes": "2",
            "no": "0",
            "abstain": "0",
        },
    )
    assert response.status_code == 302, response.context["refusal"]
    with unscoped():
        row = RecruitmentEvent.objects.unscoped_all().filter(applicant_id=person.pk).last()
    assert (row.payload["should_attend"], row.payload["present"], row.payload["written_yes"]) == (3, 2, 1)
    assert row.payload["roster"]["excluded"][0]["member"] == branch.sun.pk
    page = client_for("secretary_a").get(reverse("recruitment:detail", args=[person.pk]))
    timeline = page.content.decode()
    assert "应到" in timeline and "张三" in timeline and "赵六（赞成）" in timeline
    assert "孙八（受留党察看处分，没有表决权）" in timeline


@pytest.mark.django_db
def test_vote_form_shows_the_quorum_refusal_and_saves_nothing_when_too_few_came(branch, personas):
    person = candidate_ready(branch)
    before = events_of(person)
    response = client_for("secretary_a").post(
        url_of(person),
        {
            "event": "branch_vote",
            "on": VOTE_ON.isoformat(),
            f"present_{branch.zhang.pk}": "on",
            f"excluded_{branch.zhao.pk}": "other",
            f"note_{branch.zhao.pk}": "住院",
            "yes": "1",
        },
    )
    assert response.status_code == 200
    refusal = response.context["refusal"]
    assert refusal.rule_id == "REC-VOTE-QUORUM"
    assert "实到正式党员1名，未超过应到正式党员2名的半数" in response.content.decode()
    assert events_of(person) == before and stage_of(person) == "candidate"
    # What was ticked is shown again.
    assert response.context["form"][f"present_{branch.zhang.pk}"].value() is True


@pytest.mark.django_db
def test_vote_form_refuses_a_written_opinion_from_a_member_present(branch, personas):
    person = candidate_ready(branch)
    response = client_for("secretary_a").post(
        url_of(person),
        {
            "event": "branch_vote",
            "on": VOTE_ON.isoformat(),
            f"present_{branch.zhang.pk}": "on",
            f"present_{branch.li.pk}": "on",
            f"written_{branch.li.pk}": "yes",
            "yes": "2",
        },
    )
    assert response.context["refusal"].rule_id == "REC-VOTERS-FULL"
    assert "李四已到会" in response.content.decode()
