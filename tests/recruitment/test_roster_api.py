"""Vote rosters through the API and the service: the server lists the electorate (the branch's full members
on the vote date), stores the roster with the counts it gives and freezes the members' facts; each refusal is
a 422 with nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.members import services as member_services
from grassroots.recruitment import rules, selectors
from grassroots.recruitment.models import RecruitmentEvent
from grassroots.recruitment.services import steps as step_services
from tests.factories import SYSTEM, make_member
from tests.support.road import VOTE, apply, refused, steps, walk

D = dt.date


@pytest.fixture
def branch(tree):
    """Branch A on the vote date: 张三, 李四, 赵六 vote; 孙八 is under 留党察看; 周九 converts after the vote."""
    zhao = make_member(tree.a, "赵六")
    sun = make_member(
        tree.a,
        "孙八",
        disciplinary_probation_from=D(2026, 1, 5),
        disciplinary_probation_until=D(2027, 1, 5),
    )
    zhou = make_member(tree.a, "周九", admitted_on=D(2025, 6, 1), converted_on=D(2026, 6, 1))
    tree.zhao, tree.sun, tree.zhou = zhao, sun, zhou
    return tree


def ready(client, tree) -> int:
    applicant_id = apply(client, tree).json()["id"]
    walk(client, applicant_id, steps(tree)[:11])
    return applicant_id


def vote(roster, **counts) -> dict:
    return {"event": "branch_vote", "on": VOTE.isoformat(), "yes": 2, "roster": roster, **counts}


def test_records_the_roster_with_derived_counts_and_frozen_facts_when_vote_passes(branch, secretary):
    tree = branch
    applicant_id = ready(secretary, tree)
    roster = {"present": [tree.zhang.pk, tree.li.pk], "written": [{"member": tree.zhao.pk, "opinion": "yes"}]}
    dossier = walk(secretary, applicant_id, [vote(roster)])
    payload = dossier["timeline"][-1]["payload"]
    assert (payload["should_attend"], payload["present"], payload["written_yes"]) == (3, 2, 1)
    assert payload["roster"]["present"] == sorted([tree.zhang.pk, tree.li.pk])
    assert payload["roster"]["excluded"] == [
        {"member": tree.sun.pk, "reason": "disciplinary_probation", "note": ""}
    ]
    with unscoped():
        row = RecruitmentEvent.objects.unscoped_all().get(applicant_id=applicant_id, kind="branch_vote")
    assert sorted(row.facts["electorate"]) == sorted([tree.zhang.pk, tree.li.pk, tree.zhao.pk, tree.sun.pk])
    assert tree.zhou.pk not in row.facts["electorate"]  # converted after the vote date
    assert tree.wang.pk not in row.facts["electorate"]  # another branch
    assert row.facts[str(tree.sun.pk)]["disciplinary_probation"] is True
    assert row.facts[str(tree.zhang.pk)] == {"full": True, "disciplinary_probation": False, "name": "张三"}


def test_replays_the_vote_with_its_frozen_facts_when_the_records_change_later(branch, secretary):
    tree = branch
    applicant_id = ready(secretary, tree)
    roster = {"present": [tree.zhang.pk, tree.li.pk, tree.zhao.pk]}
    walk(secretary, applicant_id, [vote(roster)])
    member_services.member_update(
        scope=SYSTEM,
        actor=None,
        member=tree.zhang,
        disciplinary_probation_from=D(2026, 1, 1),
        disciplinary_probation_until=D(2027, 1, 1),
    )
    with unscoped():
        row = RecruitmentEvent.objects.unscoped_all().get(applicant_id=applicant_id, kind="branch_vote")
    event = selectors.build_event(row.kind, row.on, row.payload, row.facts)
    assert event.votes.should_attend == 3
    assert rules.check_roster(event.roster, event.votes).present == 3  # the verdict as when recorded
    fresh = step_services._people_facts(SYSTEM, row.kind, row.payload, row.on, tree.a, [])
    assert fresh[str(tree.zhang.pk)]["disciplinary_probation"] is True  # what the record says today
    with pytest.raises(RuleViolation):
        rules.check_roster(selectors.build_event(row.kind, row.on, row.payload, fresh).roster, event.votes)
    walk(secretary, applicant_id, [{"event": "approval", "on": "2026-04-15", "approved": True}])


@pytest.mark.parametrize(
    ("make_roster", "counts", "rule_id"),
    [
        (lambda t: {"present": [t.zhang.pk, t.li.pk, t.wang.pk]}, {}, "REC-VOTERS-FULL"),
        (lambda t: {"present": [t.zhang.pk, t.li.pk, t.sun.pk]}, {}, "REC-VOTERS-FULL"),
        (lambda t: {"present": [t.zhang.pk, t.li.pk, t.zhou.pk]}, {}, "REC-VOTERS-FULL"),
        (
            lambda t: {
                "present": [t.zhang.pk, t.li.pk],
                "written": [{"member": t.li.pk, "opinion": "yes"}],
            },
            {},
            "REC-VOTERS-FULL",
        ),
        (
            lambda t: {
                "present": [t.zhang.pk, t.li.pk],
                "excluded": [{"member": t.li.pk, "reason": "illness"}],
            },
            {},
            "REC-VOTERS-FULL",
        ),
        (
            lambda t: {"present": [t.zhang.pk], "excluded": [{"member": t.zhao.pk, "reason": "other"}]},
            {},
            "REC-VOTERS-FULL",
        ),
        (lambda t: {"present": [t.zhang.pk, t.li.pk]}, {"should_attend": 4}, "REC-VOTERS-FULL"),
        (lambda t: {"present": [t.zhang.pk, t.li.pk]}, {"present": 3}, "REC-VOTERS-FULL"),
        (lambda t: {"present": [t.zhang.pk]}, {"yes": 1}, "REC-VOTE-QUORUM"),
        (lambda t: {"present": [t.zhang.pk, t.zhang.pk]}, {}, "API-VALIDATION"),
        (lambda t: {"present": [t.zhang.pk], "absent": []}, {}, "API-VALIDATION"),
        (lambda t: {"written": [{"member": t.zhang.pk, "opinion": "maybe"}]}, {}, "API-VALIDATION"),
    ],
)
def test_refuses_the_vote_and_saves_nothing_when_the_roster_is_wrong(
    branch, secretary, make_roster, counts, rule_id
):
    applicant_id = ready(secretary, branch)
    body = refused(secretary, applicant_id, vote(make_roster(branch), **counts), rule_id)
    if rule_id == "REC-VOTERS-FULL" and counts:
        assert "与参会名单统计的人数" in body["message"]


def test_quorum_refusal_names_the_counts_when_too_few_are_present(branch, secretary):
    applicant_id = ready(secretary, branch)
    body = refused(secretary, applicant_id, vote({"present": [branch.zhang.pk]}, yes=1), "REC-VOTE-QUORUM")
    assert body["message"] == "实到正式党员1名，未超过应到正式党员3名的半数，不能表决（REC-VOTE-QUORUM）"


def test_counts_only_vote_is_still_accepted_when_transcribed_from_paper(tree, secretary):
    applicant_id = ready(secretary, tree)
    dossier = walk(secretary, applicant_id, steps(tree)[11:12])
    assert "roster" not in dossier["timeline"][-1]["payload"]
