"""Mistakes are corrected, never erased (issue 8, item 4): a wrongly recorded step is voided by a correction
entry (who, when, why) that the timeline shows beside the original; the replay then ignores the voided step;
the audit trail keeps both. Only the latest step that counts may be voided (later steps first), not one that
changed the member record, only with a reason, and only by the roles that record steps (REC-VOID)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.audit.models import AuditEvent
from grassroots.audit.presenters import history_entries
from grassroots.audit.selectors import history_for
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.members.models import Member
from grassroots.recruitment import rules, selectors
from grassroots.recruitment.models import Applicant, RecruitmentEvent, RecruitmentEventVoid
from grassroots.recruitment.rules import Approval, ConversionApproval, ProbationCancelled, Talk
from tests.support.api import ApiClient, token_for
from tests.support.personas import client_for
from tests.support.road import apply, steps, walk

D = dt.date
WRONG = {"event": "activist_designated", "on": "2025-09-24", "source": "member_recommendation"}


def events_url(applicant_id: int) -> str:
    return f"/recruitment/applicants/{applicant_id}/events"


def void_url(applicant_id: int, event_id: int) -> str:
    return f"/recruitment/applicants/{applicant_id}/events/{event_id}/void"


def rows(applicant_id: int) -> list[dict]:
    with unscoped():
        return list(
            RecruitmentEvent.objects.unscoped_all()
            .filter(applicant_id=applicant_id)
            .order_by("sequence")
            .values()
        )


def voids() -> list[dict]:
    with unscoped():
        return list(RecruitmentEventVoid.objects.unscoped_all().order_by("pk").values())


def dossier_row(applicant_id: int) -> Applicant:
    with unscoped():
        return Applicant.objects.unscoped_all().select_related("org").get(pk=applicant_id)


def audit_of(applicant_id: int) -> list[tuple[str, dict]]:
    with unscoped():
        return list(
            AuditEvent.objects.unscoped_all()
            .filter(target_type="recruitment.applicant", target_id=applicant_id)
            .order_by("id")
            .values_list("action", "changes")
        )


@pytest.fixture
def dossier(tree, secretary):
    """An activist whose designation was recorded on a wrong date (24 September instead of 24 March)."""
    applicant_id = apply(secretary, tree).json()["id"]
    body = walk(secretary, applicant_id, [{"event": "talk", "on": "2025-03-17"}, WRONG])
    return applicant_id, [e["id"] for e in body["timeline"]]


def refused_void(client: ApiClient, applicant_id: int, event_id: int, reason: str, rule_id: str) -> dict:
    """A void the rules refuse: 422 with `rule_id`, the dossier, its steps and the voids exactly as before."""
    before = (client.get(f"/recruitment/applicants/{applicant_id}").json(), rows(applicant_id), voids())
    response = client.post(void_url(applicant_id, event_id), {"reason": reason})
    assert response.status_code == 422, response.json()
    assert response.json()["rule_id"] == rule_id, response.json()
    assert (
        client.get(f"/recruitment/applicants/{applicant_id}").json(),
        rows(applicant_id),
        voids(),
    ) == before
    return response.json()


# ---------------------------------------------------------------------------------------------- API


def test_a_wrongly_dated_step_is_voided_by_a_correction_entry_shown_beside_the_original(dossier, secretary):
    applicant_id, (talk_id, wrong_id) = dossier
    original = rows(applicant_id)
    response = secretary.post(void_url(applicant_id, wrong_id), {"reason": "日期记错，应为3月24日"})
    assert response.status_code == 200, response.json()
    body = response.json()
    # Both entries: the original as it was, and the correction entry (who, when, why) beside it.
    assert [(e["id"], e["event"], e["on"]) for e in body["timeline"]] == [
        (talk_id, "talk", "2025-03-17"),
        (wrong_id, "activist_designated", "2025-09-24"),
    ]
    assert body["timeline"][0]["void"] is None
    void = body["timeline"][1]["void"]
    assert (void["reason"], void["voided_by"]) == ("日期记错，应为3月24日", "secretary_a")
    assert void["voided_at"]
    # The stored step is untouched; the correction is a new record referencing it.
    assert rows(applicant_id) == original
    [stored] = voids()
    assert (stored["event_id"], stored["reason"]) == (wrong_id, "日期记错，应为3月24日")
    assert stored["voided_by_id"] is not None
    # The voided step no longer counts: the dossier is back at the application stage.
    assert body["stage"] == "applicant"
    row = dossier_row(applicant_id)
    assert (row.stage, row.activist_on, row.talk_on) == ("applicant", None, D(2025, 3, 17))
    assert body["voidable_step"] == talk_id


def test_the_replay_ignores_the_voided_step_and_the_stored_next_steps_follow(dossier, secretary):
    applicant_id, (_, wrong_id) = dossier
    assert secretary.post(void_url(applicant_id, wrong_id), {"reason": "日期记错"}).status_code == 200
    row = dossier_row(applicant_id)
    with unscoped():
        events = list(
            RecruitmentEvent.objects.unscoped_all().filter(applicant_id=applicant_id).select_related("void")
        )
    live = selectors.next_of(row, events, selectors.policy_for(row.org, row.next_computed_on))
    assert row.next_steps == selectors.stored_next(live)[0]
    assert "activist_designated" in {s["event"] for s in row.next_steps}
    # The right step is recorded after the void (with the wrong one still counting, REC-STAGE would refuse it).
    response = secretary.post(events_url(applicant_id), WRONG | {"on": "2025-03-24"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["stage"] == "activist"
    assert [(e["event"], e["on"], e["void"] is not None) for e in body["timeline"]] == [
        ("talk", "2025-03-17", False),
        ("activist_designated", "2025-09-24", True),
        ("activist_designated", "2025-03-24", False),
    ]
    assert [r["sequence"] for r in rows(applicant_id)] == [1, 2, 3]
    assert dossier_row(applicant_id).activist_on == D(2025, 3, 24)


def test_the_audit_trail_keeps_both_the_step_and_its_void(dossier, secretary):
    applicant_id, (_, wrong_id) = dossier
    secretary.post(void_url(applicant_id, wrong_id), {"reason": "日期记错"})
    actions = audit_of(applicant_id)
    assert [a for a, _ in actions] == [
        "recruitment.apply",
        "recruitment.event",
        "recruitment.event",
        "recruitment.event_void",
    ]
    recorded, voided = actions[2][1], actions[3][1]
    assert (recorded["event"], recorded["on"]) == ([None, "activist_designated"], [None, "2025-09-24"])
    assert voided["event"] == ["activist_designated", None]
    assert voided["on"] == ["2025-09-24", None]
    assert voided["reason"] == [None, "日期记错"]
    assert voided["voided"] == [None, 2]
    assert voided["stage"] == ["activist", "applicant"]


def test_voiding_a_step_that_later_steps_depend_on_is_refused_with_rec_void(dossier, secretary):
    applicant_id, (talk_id, _) = dossier
    body = refused_void(secretary, applicant_id, talk_id, "谈话日期有误", "REC-VOID")
    assert "最近" in body["message"]


def test_voiding_the_later_steps_first_lets_an_earlier_step_be_voided(dossier, secretary):
    applicant_id, (talk_id, wrong_id) = dossier
    assert secretary.post(void_url(applicant_id, wrong_id), {"reason": "日期记错"}).status_code == 200
    response = secretary.post(void_url(applicant_id, talk_id), {"reason": "谈话日期也记错"})
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "applicant"
    assert response.json()["voidable_step"] is None
    assert [v["event_id"] for v in voids()] == [wrong_id, talk_id]
    assert dossier_row(applicant_id).talk_on is None


def test_voiding_without_a_reason_is_refused_with_rec_void(dossier, secretary):
    applicant_id, (_, wrong_id) = dossier
    body = refused_void(secretary, applicant_id, wrong_id, "  ", "REC-VOID")
    assert body["field"] == "reason"


def test_voiding_a_step_twice_is_refused_with_rec_void(dossier, secretary):
    applicant_id, (_, wrong_id) = dossier
    secretary.post(void_url(applicant_id, wrong_id), {"reason": "日期记错"})
    refused_void(secretary, applicant_id, wrong_id, "再次作废", "REC-VOID")


def test_voiding_a_step_that_changed_the_member_record_is_refused_with_rec_void(tree, secretary, road_clock):
    applicant_id = apply(secretary, tree).json()["id"]
    road = steps(tree)
    body = walk(secretary, applicant_id, road[: [s["event"] for s in road].index("approval") + 1])
    approval_id = body["timeline"][-1]["id"]
    assert body["voidable_step"] is None
    with unscoped():
        members = list(Member.objects.unscoped_all().order_by("pk").values())
    refused_void(secretary, applicant_id, approval_id, "审批日期有误", "REC-VOID")
    with unscoped():
        assert list(Member.objects.unscoped_all().order_by("pk").values()) == members


def test_only_roles_that_record_steps_may_void_a_step(dossier, personas):
    applicant_id, (_, wrong_id) = dossier
    before = (rows(applicant_id), voids())
    viewer = ApiClient(token_for("county_viewer"))
    assert viewer.post(void_url(applicant_id, wrong_id), {"reason": "日期记错"}).status_code == 403
    outsider = ApiClient(token_for("secretary_b"))
    assert outsider.post(void_url(applicant_id, wrong_id), {"reason": "日期记错"}).status_code == 404
    assert (rows(applicant_id), voids()) == before
    # The county's org admin records steps in the subtree, and may void them.
    admin = ApiClient(token_for("county_admin"))
    assert admin.post(void_url(applicant_id, wrong_id), {"reason": "日期记错"}).status_code == 200


def test_a_step_of_another_dossier_cannot_be_voided_through_this_one(dossier, tree, secretary):
    _, (_, wrong_id) = dossier
    other = apply(secretary, tree, name="孙八", applied_on=D(2025, 4, 1)).json()["id"]
    before = voids()
    response = secretary.post(void_url(other, wrong_id), {"reason": "日期记错"})
    assert response.status_code == 422
    assert response.json()["rule_id"] == "API-VALIDATION"
    assert voids() == before


# ---------------------------------------------------------------------------------------------- rules


TALK = Talk(on=D(2025, 3, 17))


@pytest.mark.parametrize(
    ("event", "moves"),
    [
        (TALK, False),
        (Approval(on=D(2026, 4, 15), approved=True), True),
        (Approval(on=D(2026, 4, 15), approved=False), False),
        (ConversionApproval(on=D(2027, 4, 15), approved=True), True),
        (ConversionApproval(on=D(2027, 4, 15), approved=False), False),
        (ProbationCancelled(on=D(2026, 9, 10)), True),
    ],
)
def test_steps_that_changed_the_member_record_are_known(event, moves):
    assert rules.moves_member(event) is moves


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"voided": True}, None),
        ({"later": 1}, None),
        ({"event": Approval(on=D(2026, 4, 15))}, None),
        ({"reason": " "}, "reason"),
    ],
)
def test_void_rule_refuses_with_rec_void(kwargs, field):
    args = {"event": TALK, "voided": False, "later": 0, "reason": "日期记错"} | kwargs
    with pytest.raises(RuleViolation) as exc:
        rules.check_void(**args)
    assert (exc.value.rule_id, exc.value.field) == ("REC-VOID", field)
    rules.check_void(event=TALK, voided=False, later=0, reason="日期记错")


# ---------------------------------------------------------------------------------------------- page


def test_the_dossier_page_voids_the_latest_step_with_a_required_reason_and_shows_both_entries(
    dossier, personas
):
    applicant_id, (talk_id, wrong_id) = dossier
    client = client_for("secretary_a")
    page = client.get(reverse("recruitment:detail", args=[applicant_id])).content.decode()
    url = reverse("recruitment:event_void", args=[applicant_id, wrong_id])
    assert f'action="{url}"' in page
    assert reverse("recruitment:event_void", args=[applicant_id, talk_id]) not in page  # later step first
    # Without a reason: the form again with the rule, nothing saved.
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert voids() == []
    response = client.post(url, {"reason": "日期记错，应为3月24日"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "已作废" in page and "日期记错，应为3月24日" in page
    assert page.count('id="step-') == 2


def test_the_summary_leaves_a_voided_step_out_of_the_milestones(dossier, secretary, personas):
    applicant_id, (_, wrong_id) = dossier
    secretary.post(void_url(applicant_id, wrong_id), {"reason": "日期记错"})
    secretary.post(events_url(applicant_id), WRONG | {"on": "2025-03-24"})
    page = client_for("secretary_a").get(reverse("recruitment:summary", args=[applicant_id]))
    rows = [(r["label"], r["on"]) for r in page.context["rows"] if r["label"] == "确定为入党积极分子"]
    assert rows == [("确定为入党积极分子", D(2025, 3, 24))]


def test_the_void_reads_in_the_history_with_its_step_and_reason(dossier, secretary, tree, system_scope):
    applicant_id, (_, wrong_id) = dossier
    secretary.post(void_url(applicant_id, wrong_id), {"reason": "日期记错"})
    events = history_for(
        scope=system_scope, target_type="recruitment.applicant", target_id=applicant_id, path=tree.a.path
    )
    entry = next(
        e for e in history_entries(scope=system_scope, events=events) if e.action == "recruitment.event_void"
    )
    changes = {c.label: (c.before, c.after) for c in entry.changes}
    assert changes["理由"][1] == "日期记错"
    assert str(changes["作废的步骤（序号）"][1]) == "2"
    assert str(entry.action) == "recruitment.event_void"
