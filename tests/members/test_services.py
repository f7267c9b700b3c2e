import datetime as dt

import pytest

from grassroots.audit.models import AuditEvent
from grassroots.core import crypto
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.members import selectors, services
from grassroots.members.choices import MemberStatus
from grassroots.members.models import Member, Transfer
from tests.factories import SYSTEM, make_member


def count_members():
    with unscoped():
        return Member.objects.unscoped_all().count()


def test_create_refuses_and_saves_nothing_when_id_number_invalid(tree):
    before = count_members()
    with pytest.raises(RuleViolation) as exc:
        make_member(tree.a, "赵六", id_number="110101199005170000")
    assert exc.value.rule_id == "MEM-ID-NUMBER"
    assert count_members() == before


def test_create_refuses_when_id_number_already_on_a_record(tree):
    number = crypto.decrypt(tree.zhang.id_number_encrypted)
    with pytest.raises(RuleViolation) as exc:
        make_member(tree.b, "张三", id_number=number)
    assert exc.value.rule_id == "MEM-ID-DUPLICATE"


def test_id_number_is_encrypted_and_masked_when_stored(tree):
    m = tree.zhang
    clear = crypto.decrypt(m.id_number_encrypted)
    assert clear not in m.id_number_encrypted
    assert m.id_number_masked == clear[:6] + "*" * 12
    assert m.id_number_tail_hash == crypto.tail_hash(clear)


def test_id_number_shown_in_clear_only_when_role_needs_it(personas, tree, scope_of):
    clear = crypto.decrypt(tree.zhang.id_number_encrypted)
    assert selectors.member_id_number(scope=scope_of(personas.secretary_a), member=tree.zhang) == clear
    assert selectors.member_id_number(scope=scope_of(personas.county_viewer), member=tree.zhang) == (
        tree.zhang.id_number_masked
    )


def test_search_finds_member_when_given_initials_pinyin_or_name(personas, scope_of):
    scope = scope_of(personas.secretary_a)
    for q in ("zs", "zhangsan", "zhang", "张", "ZS"):
        assert [m.name for m in selectors.member_list(scope=scope, q=q)] == ["张三"], q


def test_search_finds_member_when_given_full_id_number(tree):
    clear = crypto.decrypt(tree.li.id_number_encrypted)
    assert [m.name for m in selectors.member_list(scope=SYSTEM, q=clear)] == ["李四"]


def test_member_role_sees_only_own_record_when_reading_members(personas, tree, scope_of):
    scope = scope_of(personas.member_b)
    assert list(selectors.member_list(scope=scope)) == []
    with pytest.raises(NotFound):
        selectors.member_get(scope=scope, member_id=tree.wang.pk)
    with unscoped():
        Member.objects.unscoped_all().filter(pk=tree.wang.pk).update(user=personas.member_b)
    assert selectors.member_get(scope=scope, member_id=tree.wang.pk).name == "王五"


def test_update_audits_changed_fields_when_phone_edited(personas, tree, scope_of):
    services.member_update(
        scope=scope_of(personas.secretary_a),
        actor=personas.secretary_a,
        member=tree.zhang,
        phone="13911112222",
    )
    event = AuditEvent.objects.within(SYSTEM).filter(action="member.update").get()
    assert event.changes == {"phone": ["13800000000", "13911112222"]}


def test_update_refuses_when_new_birth_date_contradicts_id_number(tree):
    with pytest.raises(RuleViolation) as exc:
        services.member_update(scope=SYSTEM, actor=None, member=tree.zhang, birth_date=dt.date(1990, 5, 18))
    assert exc.value.rule_id == "MEM-ID-NUMBER"


def test_audit_redacts_id_number_when_changed(tree):
    from tests.factories import make_id_number

    services.member_update(
        scope=SYSTEM, actor=None, member=tree.zhang, id_number=make_id_number(dt.date(1990, 5, 17), "male")
    )
    event = AuditEvent.objects.within(SYSTEM).filter(action="member.update").get()
    assert event.changes["id_number"] == ["＊＊＊", "＊＊＊"]


def test_end_keeps_record_and_blocks_edits_when_membership_ended(tree):
    services.member_end(
        scope=SYSTEM,
        actor=None,
        member=tree.wang,
        status=MemberStatus.DECEASED,
        ended_on=dt.date(2026, 10, 1),
        reason="病故",
    )
    with unscoped():
        m = Member.objects.unscoped_all().get(pk=tree.wang.pk)
    assert m.status == MemberStatus.DECEASED
    with pytest.raises(RuleViolation) as exc:
        services.member_update(scope=SYSTEM, actor=None, member=m, phone="1")
    assert exc.value.rule_id == "MEM-NO-DELETE"
    with pytest.raises(RuleViolation):
        services.member_end(
            scope=SYSTEM, actor=None, member=m, status=MemberStatus.WITHDRAWN, ended_on=dt.date(2026, 10, 2)
        )


def test_suspended_member_restored_when_decided(tree):
    services.member_end(
        scope=SYSTEM,
        actor=None,
        member=tree.wang,
        status=MemberStatus.SUSPENDED,
        ended_on=dt.date(2026, 1, 1),
    )
    services.member_restore(
        scope=SYSTEM, actor=None, member=tree.wang, on=dt.date(2026, 6, 1), reason="恢复联系"
    )
    assert tree.wang.status == MemberStatus.FULL


def test_transfer_moves_member_and_keeps_history_when_received_and_receipted(personas, tree, scope_of):
    sec_a, sec_b = scope_of(personas.secretary_a), scope_of(personas.secretary_b)
    t = services.transfer_issue(
        scope=sec_a,
        actor=personas.secretary_a,
        member=tree.li,
        to_org=tree.b,
        letter_serial="2026-001",
        dues_paid_to=dt.date(2026, 10, 15),
        issued_on=dt.date(2026, 11, 1),
    )
    assert t.valid_until == dt.date(2027, 2, 1) and t.dues_paid_to == dt.date(2026, 10, 1)
    assert [x.pk for x in selectors.transfers_incoming(scope=sec_b)] == [t.pk]
    services.transfer_receive(
        scope=sec_b, actor=personas.secretary_b, transfer=t, received_on=dt.date(2026, 11, 5)
    )
    assert selectors.member_get(scope=sec_b, member_id=tree.li.pk).org_id == tree.b.pk
    with pytest.raises(NotFound):
        selectors.member_get(scope=sec_a, member_id=tree.li.pk)
    services.transfer_return_receipt(
        scope=sec_b, actor=personas.secretary_b, transfer=t, returned_on=dt.date(2026, 11, 6)
    )
    with unscoped():
        assert Transfer.objects.unscoped_all().get(pk=t.pk).status == "completed"
    actions = [
        e.action
        for e in AuditEvent.objects.within(SYSTEM).filter(target_id=tree.li.pk, target_type="members.member")
    ]
    assert {"transfer.issue", "transfer.receive", "transfer.receipt"} <= set(actions)


def test_transfer_refused_when_letter_expired(tree):
    t = services.transfer_issue(
        scope=SYSTEM,
        actor=None,
        member=tree.li,
        to_org=tree.b,
        letter_serial="L1",
        dues_paid_to=dt.date(2026, 1, 1),
        issued_on=dt.date(2026, 1, 10),
    )
    with pytest.raises(RuleViolation) as exc:
        services.transfer_receive(scope=SYSTEM, actor=None, transfer=t, received_on=dt.date(2026, 4, 11))
    assert exc.value.rule_id == "MEM-TRANSFER-LETTER"
    with unscoped():
        assert Member.objects.unscoped_all().get(pk=tree.li.pk).org_id == tree.a.pk


def test_transfer_to_outside_marks_member_transferred_out_when_receipt_returns(tree):
    t = services.transfer_issue(
        scope=SYSTEM,
        actor=None,
        member=tree.li,
        external_org_name="中共某市某局支部",
        letter_serial="L2",
        dues_paid_to=dt.date(2026, 10, 1),
        issued_on=dt.date(2026, 11, 1),
    )
    services.transfer_return_receipt(scope=SYSTEM, actor=None, transfer=t, returned_on=dt.date(2026, 11, 20))
    with unscoped():
        assert Member.objects.unscoped_all().get(pk=tree.li.pk).status == MemberStatus.TRANSFERRED_OUT


def test_member_cannot_sit_in_a_group_when_created(tree):
    with pytest.raises(RuleViolation) as exc:
        make_member(tree.a1, "钱七")
    assert exc.value.rule_id == "MEM-ORG"
