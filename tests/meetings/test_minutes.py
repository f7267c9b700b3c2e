"""Minutes that cannot be quietly changed (issue 10, items 3–5): the draft, finalizing (held, absent recorded,
补记, sealed), confirming, amendments; votes with their quorum derived from the attendance; the appraisal
grades; and the seals that `audit_verify` checks against the stored rows (MTG-MINUTES-FINAL,
MTG-MINUTES-LATE, MTG-QUORUM-GENERAL, MEM-APPRAISAL-GRADES)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from grassroots.audit.models import AuditEvent
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.meetings import services
from grassroots.meetings.models import Attendance, MeetingSeal, Minutes, MinutesAmendment, Vote
from tests.factories import make_meeting, make_member

pytestmark = pytest.mark.django_db
D = dt.date
SYSTEM = Scope.system("tests")
MEETING_DAY = D(2026, 11, 2)
NEXT_DAY = D(2026, 11, 3)


def present(meeting, *members) -> None:
    """Attendance as the attendance services would record it (present)."""
    with unscoped():
        Attendance.objects.unscoped_all().filter(meeting=meeting, member__in=members).update(
            status="present", method="secretary"
        )


def final_meeting(org, *, text="会议讨论了第四季度工作。", today=NEXT_DAY, **fields):
    meeting = make_meeting(org, planned_on=fields.pop("planned_on", MEETING_DAY), **fields)
    services.minutes_save(scope=SYSTEM, actor=None, meeting=meeting, text=text)
    services.minutes_finalize(scope=SYSTEM, actor=None, meeting=meeting, today=today)
    return meeting


def minutes_row(meeting) -> Minutes:
    with unscoped():
        return Minutes.objects.unscoped_all().get(meeting=meeting)


def refused(rule_id: str, call) -> RuleViolation:
    with pytest.raises(RuleViolation) as info:
        call()
    assert info.value.rule_id == rule_id, info.value.message
    return info.value


def verify_output(*args) -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("audit_verify", "--no-checkpoints", *args, stdout=out, stderr=io.StringIO())
    except (CommandError, SystemExit):
        return False, out.getvalue()
    return True, out.getvalue()


# --- finalizing -----------------------------------------------------------------------------------------


def test_finalized_minutes_mark_the_meeting_held_and_the_unrecorded_absent_when_finalized(tree):
    meeting = make_meeting(tree.a, planned_on=MEETING_DAY)
    present(meeting, tree.zhang)
    services.minutes_save(scope=SYSTEM, actor=None, meeting=meeting, text="记录")
    services.minutes_finalize(scope=SYSTEM, actor=None, meeting=meeting, today=D(2026, 11, 3))
    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_on) == ("held", MEETING_DAY)
    with unscoped():
        statuses = dict(
            Attendance.objects.unscoped_all().filter(meeting=meeting).values_list("member_id", "status")
        )
        assert MeetingSeal.objects.unscoped_all().filter(meeting=meeting, kind="minutes").count() == 1
        assert AuditEvent.objects.unscoped_all().filter(action="minutes.finalize").count() == 1
    assert statuses == {tree.zhang.pk: "present", tree.li.pk: "absent"}
    assert (meeting.present_count, meeting.absent_count) == (1, 1)
    assert minutes_row(meeting).state == "finalized"


def test_finalize_is_refused_when_the_meeting_date_is_still_ahead(tree):
    meeting = make_meeting(tree.a, planned_on=D(2026, 11, 10))
    services.minutes_save(scope=SYSTEM, actor=None, meeting=meeting, text="记录")
    refused(
        "MTG-DATES",
        lambda: services.minutes_finalize(scope=SYSTEM, actor=None, meeting=meeting, today=D(2026, 11, 9)),
    )


def test_finalize_is_refused_when_the_minutes_have_no_text(tree):
    meeting = make_meeting(tree.a, planned_on=MEETING_DAY)
    refused(
        "MTG-MINUTES-FINAL",
        lambda: services.minutes_finalize(scope=SYSTEM, actor=None, meeting=meeting, today=MEETING_DAY),
    )


@pytest.mark.parametrize(("today", "late"), [(D(2026, 11, 9), False), (D(2026, 11, 10), True)])
def test_minutes_are_marked_late_entry_when_finalized_more_than_the_policy_days_after(tree, today, late):
    meeting = final_meeting(tree.a, today=today)
    assert minutes_row(meeting).is_late_entry is late


def test_cadence_hook_is_called_when_minutes_are_finalized(tree, monkeypatch):
    counted = []
    monkeypatch.setattr("grassroots.meetings.services.cadence.meeting_counted", counted.append)
    meeting = final_meeting(tree.a)
    assert [m.pk for m in counted] == [meeting.pk]


def test_finalize_is_refused_to_a_secretary_when_the_recorder_has_an_account(tree, personas, scope_of):
    with unscoped():
        tree.li.user = personas.member_b
        tree.li.save(update_fields=["user"])
    meeting = make_meeting(tree.a, planned_on=MEETING_DAY, recorder=tree.li)
    services.minutes_save(scope=SYSTEM, actor=None, meeting=meeting, text="记录")
    secretary = personas.secretary_a
    refused(
        "MTG-PEOPLE",
        lambda: services.minutes_finalize(
            scope=scope_of(secretary), actor=secretary, meeting=meeting, today=D(2026, 11, 3)
        ),
    )


def test_draft_is_refused_when_the_minutes_are_final(tree):
    meeting = final_meeting(tree.a)
    refused(
        "MTG-MINUTES-FINAL",
        lambda: services.minutes_save(scope=SYSTEM, actor=None, meeting=meeting, text="改写"),
    )
    assert minutes_row(meeting).text == "会议讨论了第四季度工作。"


def test_confirm_is_refused_when_the_minutes_are_not_finalized(tree):
    meeting = make_meeting(tree.a, planned_on=MEETING_DAY)
    refused("MTG-MINUTES-FINAL", lambda: services.minutes_confirm(scope=SYSTEM, actor=None, meeting=meeting))


def test_minutes_are_confirmed_when_the_convener_confirms_after_finalizing(tree):
    meeting = final_meeting(tree.a)
    services.minutes_confirm(scope=SYSTEM, actor=None, meeting=meeting)
    assert minutes_row(meeting).state == "confirmed"
    assert services.seals_verify() == []


# --- amendments -----------------------------------------------------------------------------------------


def test_amendment_is_appended_and_sealed_when_the_minutes_are_final(tree):
    meeting = final_meeting(tree.a)
    services.amendment_add(
        scope=SYSTEM, actor=None, meeting=meeting, text="第二段“三名”应为“两名”。", reason="笔误"
    )
    with unscoped():
        amendment = MinutesAmendment.objects.unscoped_all().get(minutes__meeting=meeting)
        kinds = list(
            MeetingSeal.objects.unscoped_all().filter(org=tree.a).order_by("seq").values_list("kind", "seq")
        )
    assert amendment.reason == "笔误"
    assert kinds == [("minutes", 1), ("amendment", 2)]
    assert minutes_row(meeting).text == "会议讨论了第四季度工作。"
    assert services.seals_verify() == []


def test_amendment_is_refused_when_the_minutes_are_a_draft(tree):
    meeting = make_meeting(tree.a, planned_on=MEETING_DAY)
    refused(
        "MTG-MINUTES-FINAL",
        lambda: services.amendment_add(scope=SYSTEM, actor=None, meeting=meeting, text="更正", reason="笔误"),
    )


def test_amendment_is_refused_when_it_gives_no_reason(tree):
    meeting = final_meeting(tree.a)
    refused(
        "MTG-MINUTES-FINAL",
        lambda: services.amendment_add(scope=SYSTEM, actor=None, meeting=meeting, text="更正", reason=" "),
    )


# --- votes ----------------------------------------------------------------------------------------------


def vote(meeting, **fields):
    values = {"subject": "other", "motion": "关于支部年度计划的表决", "yes": 2} | fields
    return services.vote_record(scope=SYSTEM, actor=None, meeting=meeting, **values)


def test_vote_counts_come_from_the_attendance_when_a_vote_is_recorded(tree, today_is):
    today_is(D(2026, 12, 4))
    make_member(tree.a, "赵六", admitted_on=D(2026, 6, 1), status="probationary")
    meeting = make_meeting(tree.a, planned_on=MEETING_DAY)
    present(meeting, tree.zhang, tree.li)
    row = vote(meeting)
    # The probationary member attends without a vote: 2 voting members expected, 2 present.
    assert (row.should_attend, row.present, row.passed, row.rule_id) == (2, 2, True, "MTG-QUORUM-GENERAL")


def test_vote_is_refused_when_the_quorum_is_not_met(tree):
    meeting = make_meeting(tree.a, planned_on=MEETING_DAY)
    present(meeting, tree.zhang)
    refused("MTG-QUORUM-GENERAL", lambda: vote(meeting, yes=1))
    with unscoped():
        assert not Vote.objects.unscoped_all().filter(meeting=meeting).exists()


def test_vote_is_recorded_as_not_passed_when_the_yes_votes_are_not_a_majority_of_those_expected(tree):
    make_member(tree.a, "赵六")
    meeting = make_meeting(tree.a, planned_on=MEETING_DAY)
    present(meeting, tree.zhang, tree.li)
    row = vote(meeting, yes=1, no=1)
    assert (row.should_attend, row.present, row.quorum_met, row.passed) == (3, 2, True, False)


def test_vote_is_refused_when_the_meeting_does_not_vote(tree):
    meeting = make_meeting(tree.a1, kind="group_meeting", planned_on=MEETING_DAY)
    present(meeting, tree.zhang)
    refused("MTG-VOTE-KIND", lambda: vote(meeting, yes=1))


def test_vote_is_refused_when_the_minutes_are_final(tree):
    meeting = make_meeting(tree.a, planned_on=MEETING_DAY)
    present(meeting, tree.zhang, tree.li)
    services.minutes_save(scope=SYSTEM, actor=None, meeting=meeting, text="记录")
    services.minutes_finalize(scope=SYSTEM, actor=None, meeting=meeting, today=D(2026, 11, 3))
    refused("MTG-MINUTES-FINAL", lambda: vote(meeting))


# --- appraisal ------------------------------------------------------------------------------------------


def appraisal(tree, extra=1):
    for i in range(extra):
        make_member(tree.a, f"评议{i}")
    return make_meeting(tree.a, kind="appraisal", planned_on=MEETING_DAY)


def test_appraisal_is_refused_when_more_than_a_third_are_excellent(tree):
    meeting = appraisal(tree)  # three members: at most one excellent
    grades = {tree.zhang: ("excellent", "", ""), tree.li: ("excellent", "", "")}
    refused(
        "MEM-APPRAISAL-GRADES",
        lambda: services.appraisal_record(scope=SYSTEM, actor=None, meeting=meeting, grades=grades),
    )


def test_appraisal_counts_the_grades_already_stored_when_more_are_given(tree):
    meeting = appraisal(tree)
    services.appraisal_record(
        scope=SYSTEM, actor=None, meeting=meeting, grades={tree.zhang: ("excellent", "", "")}
    )
    refused(
        "MEM-APPRAISAL-GRADES",
        lambda: services.appraisal_record(
            scope=SYSTEM, actor=None, meeting=meeting, grades={tree.li: ("excellent", "", "")}
        ),
    )


def test_appraisal_is_refused_when_an_unqualified_member_has_no_handling(tree):
    meeting = appraisal(tree)
    refused(
        "MEM-APPRAISAL-GRADES",
        lambda: services.appraisal_record(
            scope=SYSTEM, actor=None, meeting=meeting, grades={tree.li: ("unqualified", "", "")}
        ),
    )
    rows = services.appraisal_record(
        scope=SYSTEM, actor=None, meeting=meeting, grades={tree.li: ("unqualified", "rectify", "限期三个月")}
    )
    assert [(r.grade, r.handling) for r in rows] == [("unqualified", "rectify")]


def test_appraisal_is_refused_when_the_minutes_are_final(tree):
    meeting = appraisal(tree)
    services.appraisal_record(
        scope=SYSTEM, actor=None, meeting=meeting, grades={tree.zhang: ("qualified", "", "")}
    )
    services.minutes_save(scope=SYSTEM, actor=None, meeting=meeting, text="评议记录")
    services.minutes_finalize(scope=SYSTEM, actor=None, meeting=meeting, today=D(2026, 11, 3))
    refused(
        "MTG-MINUTES-FINAL",
        lambda: services.appraisal_record(
            scope=SYSTEM, actor=None, meeting=meeting, grades={tree.zhang: ("excellent", "", "")}
        ),
    )


# --- seals and tampering --------------------------------------------------------------------------------


def sql(statement: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_audit_verify_passes_when_nothing_was_changed(tree):
    final_meeting(tree.a)
    final_meeting(tree.b)
    ok, out = verify_output()
    assert ok, out


def test_audit_verify_fails_and_names_each_meeting_when_text_attendance_and_votes_are_changed_with_sql(tree):
    texts = final_meeting(tree.a, topic="改文字的会")
    seats = final_meeting(tree.b, topic="改出席的会")
    counted = make_meeting(tree.a, planned_on=MEETING_DAY, topic="改票数的会")
    present(counted, tree.zhang, tree.li)
    vote(counted)
    services.minutes_save(scope=SYSTEM, actor=None, meeting=counted, text="表决记录")
    services.minutes_finalize(scope=SYSTEM, actor=None, meeting=counted, today=D(2026, 11, 3))
    assert verify_output()[0]

    sql("UPDATE meetings_minutes SET text = %s WHERE meeting_id = %s", ["重抄后的记录", texts.pk])
    sql(
        "UPDATE meetings_attendance SET status = 'present' WHERE meeting_id = %s AND member_id = %s",
        [seats.pk, tree.wang.pk],
    )
    sql("UPDATE meetings_vote SET yes = 1, no = 1 WHERE meeting_id = %s", [counted.pk])

    ok, out = verify_output()
    assert not ok
    assert f"meeting {texts.pk} (A 2026-11-02 «改文字的会»): text" in out
    assert f"meeting {seats.pk} (B 2026-11-02 «改出席的会»): attendance" in out
    assert f"meeting {counted.pk} (A 2026-11-02 «改票数的会»): votes" in out
    parts = {(f.meeting_id, f.part) for f in services.seals_verify()}
    assert parts == {(texts.pk, "text"), (seats.pk, "attendance"), (counted.pk, "votes")}
    # --org limits the record check to a subtree.
    ok, out = verify_output("--org", "B")
    assert not ok and f"meeting {seats.pk}" in out and f"meeting {texts.pk}" not in out


def test_audit_verify_fails_when_a_change_is_resealed_without_the_key(tree):
    meeting = final_meeting(tree.a)
    sql("UPDATE meetings_minutes SET text = %s WHERE meeting_id = %s", ["伪造的记录", meeting.pk])
    # The forger recomputes the part and the seal's hash, but has no key: plain SHA-256.
    from grassroots.meetings.services import seals

    body = seals.current_minutes_parts([meeting.pk])[meeting.pk]["text"]
    with unscoped():
        seal = MeetingSeal.objects.unscoped_all().get(meeting=meeting)
    parts = dict(seal.parts, text=hashlib.sha256(body).hexdigest())
    sql(
        "UPDATE meetings_meetingseal SET parts = %s WHERE id = %s", [__import__("json").dumps(parts), seal.pk]
    )
    kinds = {(f.part, f.kind) for f in services.seals_verify()}
    assert ("text", "forged") in kinds
    assert any(part == "seal" for part, _kind in kinds)
    assert not verify_output()[0]


def test_audit_verify_fails_when_a_seal_is_removed(tree):
    final_meeting(tree.a, topic="第一次")
    second = final_meeting(tree.a, topic="第二次")
    third = final_meeting(tree.a, topic="第三次")
    sql("DELETE FROM meetings_meetingseal WHERE meeting_id = %s", [second.pk])
    found = {(f.kind, f.meeting_id) for f in services.seals_verify()}
    assert ("unsealed", second.pk) in found
    assert ("broken-link", third.pk) in found
    assert ("sequence", third.pk) in found


def test_audit_verify_fails_when_final_minutes_are_set_back_to_draft(tree):
    meeting = final_meeting(tree.a)
    sql("UPDATE meetings_minutes SET state = 'draft' WHERE meeting_id = %s", [meeting.pk])
    assert [(f.kind, f.meeting_id) for f in services.seals_verify()] == [("reopened", meeting.pk)]


def test_audit_verify_fails_when_an_amendment_is_edited_with_sql(tree):
    meeting = final_meeting(tree.a)
    amendment = services.amendment_add(scope=SYSTEM, actor=None, meeting=meeting, text="更正", reason="笔误")
    sql("UPDATE meetings_minutesamendment SET reason = %s WHERE id = %s", ["别的理由", amendment.pk])
    assert [(f.meeting_id, f.part) for f in services.seals_verify()] == [
        (meeting.pk, f"amendment {amendment.pk}")
    ]


def test_seals_keep_verifying_when_the_audit_key_is_rotated(tree, settings):
    meeting = final_meeting(tree.a)
    old = settings.GRASSROOTS_AUDIT_KEY_ID
    settings.GRASSROOTS_AUDIT_KEYS = dict(settings.GRASSROOTS_AUDIT_KEYS, k9="another-secret-key-for-tests")
    settings.GRASSROOTS_AUDIT_KEY_ID = "k9"
    services.amendment_add(scope=SYSTEM, actor=None, meeting=meeting, text="更正", reason="笔误")
    with unscoped():
        keys = list(MeetingSeal.objects.unscoped_all().order_by("seq").values_list("key_id", flat=True))
    assert keys == [old, "k9"]
    assert services.seals_verify() == []


def test_committee_vote_counts_the_committee_when_recorded_at_a_committee_meeting(tree):
    from grassroots.orgs import services as org_services

    third = make_member(tree.a, "赵六")
    org_services.committee_elect(
        scope=SYSTEM,
        actor=None,
        org=tree.a,
        elected_on=D(2024, 1, 1),
        posts=[(tree.zhang, "secretary"), (tree.li, "member"), (third, "member")],
    )
    meeting = make_meeting(tree.a, kind="committee_meeting", planned_on=MEETING_DAY)
    present(meeting, tree.zhang)
    refused("MTG-QUORUM-COMMITTEE", lambda: vote(meeting, yes=1))
    present(meeting, tree.li)
    row = vote(meeting, yes=2)
    assert (row.should_attend, row.present, row.passed, row.rule_id) == (3, 2, True, "MTG-QUORUM-COMMITTEE")
