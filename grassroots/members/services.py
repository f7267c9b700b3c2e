"""Writes on member records and transfers. One transaction each, permission checked, audit recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import diff, record, snapshot
from grassroots.core import crypto, permissions, pinyin
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.orgs import selectors as org_selectors
from grassroots.orgs.choices import OrgKind
from grassroots.orgs.models import CommitteeMember, Org
from grassroots.orgs.services import warnings_refresh

from . import figures, rules, warning_store
from .choices import END_STATUSES, JoinedHow, MemberStatus, TransferStatus
from .models import Member, Transfer

PROFILE_FIELDS = [
    "name",
    "former_names",
    "sex",
    "ethnicity",
    "native_place",
    "birth_date",
    "education",
    "occupation",
    "phone",
    "address",
    "unit_name",
    "work_post",
    "started_work_on",
    "admitted_on",
    "converted_on",
    "probation_extension_months",
    "is_mobile",
    "mobile_to",
    "mobile_since",
    "is_lost_contact",
    "lost_contact_since",
    "lost_contact_reason",
    "is_needy",
    "disciplinary_probation_from",
    "disciplinary_probation_until",
    "party_group",
]
AUDITED_FIELDS = [*PROFILE_FIELDS, "id_number", "status", "org"]
DATE_FIELDS = {"admitted_on", "converted_on", "probation_extension_months"}  # REC-DATES
# The profile fields the MEM-* warnings read (members.rules.member_warnings).
WARNING_FIELDS = frozenset(
    {"is_lost_contact", "lost_contact_since", "is_mobile", "mobile_since", "mobile_to"}
)


def _set_id_number(member: Member, raw: str) -> None:
    info = rules.check_id_number(raw, birth_date=member.birth_date, sex=member.sex)
    encrypted, digest, masked = crypto.protect_id_number(info.number)
    with unscoped():
        clash = Member.objects.filter(id_number_hash=digest).exclude(pk=member.pk).exists()
    if clash:
        raise RuleViolation(
            "MEM-ID-DUPLICATE",
            _("该身份证号已有党员档案，请通过组织关系转接办理，不要重复建档（MEM-ID-DUPLICATE）"),
            field="id_number",
        )
    member.id_number_encrypted, member.id_number_hash, member.id_number_masked = encrypted, digest, masked


def _check_party_group(member: Member) -> None:
    group = member.party_group
    if group is not None and (group.kind != OrgKind.GROUP or group.parent_path != member.org.path):
        raise RuleViolation(
            "MEM-PARTY-GROUP",
            _("党小组应为本支部下设的党小组（MEM-PARTY-GROUP）"),
            field="party_group",
        )


def _check_holds_members(org: Org) -> None:
    if org.kind == OrgKind.GROUP or org.ended_on is not None:
        raise RuleViolation(
            "MEM-ORG",
            _("党员的组织关系应在党支部（或党委、党总支），不能在党小组或已撤销的组织（MEM-ORG）"),
            field="org",
        )


def _lock(member: Member) -> tuple[int, str]:
    """Lock the member's row and bring the instance's org and status up to date from it, before any rule is
    checked: an instance read before a concurrent change would otherwise pass the status rules on a stale
    status, and move a figures count that is no longer there. Returns the (org, status) the figures count."""
    with unscoped():
        org_id, status = (
            Member.objects.select_for_update().filter(pk=member.pk).values_list("org_id", "status").get()
        )
        if org_id != member.org_id:
            member.org = Org.objects.unscoped_all().get(pk=org_id)
    member.status = status
    return org_id, status


def _refresh_warnings(*org_ids: int, member: Member | None = None) -> None:
    """After a change of member counts (or of `member`'s conversion date): the stored ORG-* warnings of the
    orgs touched, and with `member` those of the committees it sits on (the secretary's standing)."""
    ids = set(org_ids)
    if member is not None:
        with unscoped():
            ids.update(
                CommitteeMember.objects.filter(
                    member=member, ended_on__isnull=True, committee__ended_on__isnull=True
                ).values_list("committee__org_id", flat=True)
            )
    warnings_refresh(*ids)


def _sync_member_warnings(member_id: int) -> None:
    """After a change to a member's record or letters: its stored MEM-* warnings (warning_store)."""
    warning_store.sync([member_id], on=timezone.localdate())


def _audit_state(member: Member) -> dict[str, Any]:
    state = snapshot(member, [f for f in AUDITED_FIELDS if f != "id_number"])
    state["id_number"] = member.id_number_hash
    return state


@transaction.atomic
def member_create(*, scope: Scope, actor, org: Org, id_number: str, status: str, **fields: Any) -> Member:
    """Create a record for someone joining the org (newly admitted, transferred in, or entered from paper)."""
    permissions.require(scope, permissions.MEMBER_EDIT, org.path)
    _check_holds_members(org)
    unknown = set(fields) - set(PROFILE_FIELDS) - {"joined_how", "user"}
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    if status not in (MemberStatus.PROBATIONARY, MemberStatus.FULL):
        raise RuleViolation(
            "MEM-STATUS", _("新建档案的党员状态应为预备党员或正式党员（MEM-STATUS）"), field="status"
        )
    fields.setdefault("joined_how", JoinedHow.OTHER)
    member = Member(org=org, status=status, **fields)
    member.name = member.name.strip()
    if status == MemberStatus.FULL and member.converted_on is None:
        raise RuleViolation("REC-DATES", _("正式党员应填写转正时间（REC-DATES）"), field="converted_on")
    if status == MemberStatus.PROBATIONARY and member.converted_on is not None:
        raise RuleViolation("REC-DATES", _("预备党员不应有转正时间（REC-DATES）"), field="converted_on")
    rules.check_dates(
        birth_date=member.birth_date,
        admitted_on=member.admitted_on,
        converted_on=member.converted_on,
        extension_months=member.probation_extension_months,
        today=timezone.localdate(),
    )
    rules.check_disciplinary_probation(
        member.disciplinary_probation_from, member.disciplinary_probation_until
    )
    _check_party_group(member)
    _set_id_number(member, id_number)
    member.name_pinyin, member.name_initials = pinyin.keys(member.name)
    member.name_sort = pinyin.sort_key(member.name)
    member.save(force_insert=True)
    figures.shift(before=None, after=(org.pk, status))
    _refresh_warnings(org.pk)
    _sync_member_warnings(member.pk)
    record(
        actor=actor,
        action="member.create",
        target=member,
        org_id=org.pk,
        changes=diff({}, _audit_state(member)),
    )
    return member


@transaction.atomic
def member_update(
    *, scope: Scope, actor, member: Member, id_number: str | None = None, **fields: Any
) -> Member:
    """Change profile fields. Status changes go through member_end / transfers / recruitment, not here."""
    permissions.require(scope, permissions.MEMBER_EDIT, member.org.path)
    rules.check_record_open(member.status)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    before = _audit_state(member)
    old_dates = {name: getattr(member, name) for name in DATE_FIELDS}
    for key, value in fields.items():
        setattr(member, key, value.strip() if isinstance(value, str) else value)
    if member.status == MemberStatus.PROBATIONARY and member.converted_on is not None:
        raise RuleViolation("REC-DATES", _("预备党员不应有转正时间（REC-DATES）"), field="converted_on")
    if member.status == MemberStatus.FULL and member.converted_on is None:
        raise RuleViolation("REC-DATES", _("正式党员应填写转正时间（REC-DATES）"), field="converted_on")
    # The dates are held to REC-DATES and REC-NOT-FUTURE when one of them changes; a record entered before
    # those checks keeps its dates through other edits (the age rule is checked always).
    dates_changed = any(getattr(member, name) != value for name, value in old_dates.items())
    rules.check_dates(
        birth_date=member.birth_date,
        admitted_on=member.admitted_on,
        converted_on=member.converted_on if dates_changed else None,
        extension_months=member.probation_extension_months if dates_changed else 0,
        today=timezone.localdate() if dates_changed else None,
    )
    rules.check_disciplinary_probation(
        member.disciplinary_probation_from, member.disciplinary_probation_until
    )
    _check_party_group(member)
    if id_number is not None and id_number.strip():
        _set_id_number(member, id_number)
    elif {"birth_date", "sex"} & set(fields) and member.id_number_encrypted:
        # The stored number must still agree with the corrected birth date and sex.
        rules.check_id_number(
            crypto.decrypt(member.id_number_encrypted), birth_date=member.birth_date, sex=member.sex
        )
    if "name" in fields:
        member.name_pinyin, member.name_initials = pinyin.keys(member.name)
        member.name_sort = pinyin.sort_key(member.name)
    member.save()
    if "converted_on" in fields:
        _refresh_warnings(member=member)
    if WARNING_FIELDS & set(fields):
        _sync_member_warnings(member.pk)
    changes = diff(before, _audit_state(member))
    if changes:
        record(actor=actor, action="member.update", target=member, org_id=member.org_id, changes=changes)
    return member


SELF_SERVICE_FIELDS = ("phone", "address")


@transaction.atomic
def member_update_own(*, scope: Scope, actor, phone: str | None = None, address: str | None = None) -> Member:
    """A member updates their own phone and address (and nothing else): the record linked to `actor`'s
    account, never another (MEM-SELF-SERVICE). NotFound when the account is linked to no record."""
    from .selectors import own_member

    if actor is None or scope.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    member = own_member(scope=scope)
    if member is None:
        raise NotFound
    with unscoped():
        member = (
            Member.objects.unscoped_all()
            .select_for_update(of=("self",))
            .select_related("org")
            .get(pk=member.pk)
        )
    rules.check_record_open(member.status)
    fields = {k: v.strip() for k, v in (("phone", phone), ("address", address)) if v is not None}
    if "phone" in fields:
        rules.check_phone(fields["phone"])
    before = snapshot(member, list(SELF_SERVICE_FIELDS))
    for key, value in fields.items():
        setattr(member, key, value)
    if fields:
        member.save(update_fields=[*fields, "updated_at"])
    changes = diff(before, snapshot(member, list(SELF_SERVICE_FIELDS)))
    if changes:
        record(actor=actor, action="member.self_update", target=member, org_id=member.org_id, changes=changes)
    return member


@transaction.atomic
def member_link_user(*, scope: Scope, actor, member: Member, user) -> Member:
    """Let a user sign in as this member (my dues, my meetings): one account per member record."""
    permissions.require(scope, permissions.ADMIN, member.org.path)
    if member.user_id == user.pk:
        return member
    with unscoped():
        Member.objects.unscoped_all().filter(user=user).exclude(pk=member.pk).update(user=None)
    before = member.user.get_username() if member.user_id else None
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    record(
        actor=actor,
        action="member.link_user",
        target=member,
        org_id=member.org_id,
        changes={"user": [before, user.get_username()]},
    )
    return member


@transaction.atomic
def member_end(
    *,
    scope: Scope,
    actor,
    member: Member,
    status: str,
    ended_on: dt.date,
    reason: str = "",
    document: str = "",
) -> Member:
    """End (withdrawn, removed, expelled, deceased) or suspend a membership. The record stays (MEM-NO-DELETE)."""
    permissions.require(scope, permissions.MEMBER_EDIT, member.org.path)
    if status not in (*END_STATUSES, MemberStatus.SUSPENDED):
        raise RuleViolation("MEM-STATUS", _("请选择终止或停止党籍的方式（MEM-STATUS）"), field="status")
    counted = _lock(member)
    rules.check_status_change(member.status, status)
    if ended_on < member.admitted_on:
        raise RuleViolation("MEM-STATUS", _("终止日期不能早于入党时间（MEM-STATUS）"), field="ended_on")
    before = _audit_state(member) | snapshot(member, ["ended_on", "end_reason", "end_document"])
    figures.shift(before=counted, after=(member.org_id, status))
    member.status = status
    member.ended_on = ended_on
    member.end_reason = reason.strip()
    member.end_document = document.strip()
    member.save()
    _refresh_warnings(member.org_id)
    _sync_member_warnings(member.pk)
    after = _audit_state(member) | snapshot(member, ["ended_on", "end_reason", "end_document"])
    record(actor=actor, action="member.end", target=member, org_id=member.org_id, changes=diff(before, after))
    return member


@transaction.atomic
def member_convert(
    *, scope: Scope, actor, member: Member, converted_on: dt.date, extension_months: int = 0
) -> Member:
    """A probationary member becomes a full member (预备党员转正) on `converted_on`, the day probation ends
    (REC-DATES), after probation extended by `extension_months` (recorded on the member). Called by the
    recruitment pipeline once the upper committee approves the conversion."""
    permissions.require(scope, permissions.MEMBER_EDIT, member.org.path)
    counted = _lock(member)
    if member.status != MemberStatus.PROBATIONARY:
        raise RuleViolation("MEM-STATUS", _("只有预备党员可以转为正式党员（MEM-STATUS）"), field="status")
    rules.check_status_change(member.status, MemberStatus.FULL)
    rules.check_dates(
        birth_date=member.birth_date,
        admitted_on=member.admitted_on,
        converted_on=converted_on,
        extension_months=extension_months,
    )
    before = _audit_state(member)
    figures.shift(before=counted, after=(member.org_id, MemberStatus.FULL))
    member.status = MemberStatus.FULL
    member.converted_on = converted_on
    member.probation_extension_months = extension_months
    member.save()
    _refresh_warnings(member.org_id, member=member)
    _sync_member_warnings(member.pk)
    record(
        actor=actor,
        action="member.convert",
        target=member,
        org_id=member.org_id,
        changes=diff(before, _audit_state(member)),
    )
    return member


@transaction.atomic
def member_restore(*, scope: Scope, actor, member: Member, on: dt.date, reason: str) -> Member:
    """Restore a suspended membership (恢复党籍)."""
    permissions.require(scope, permissions.MEMBER_EDIT, member.org.path)
    counted = _lock(member)
    rules.check_status_change(member.status, MemberStatus.FULL)
    before = _audit_state(member)
    figures.shift(before=counted, after=(member.org_id, MemberStatus.FULL))
    member.status = MemberStatus.FULL
    member.ended_on = None
    member.end_reason = reason.strip()
    member.save()
    _refresh_warnings(member.org_id)
    _sync_member_warnings(member.pk)
    record(
        actor=actor,
        action="member.restore",
        target=member,
        org_id=member.org_id,
        changes=diff(before, _audit_state(member)) | {"restored_on": [None, on.isoformat()]},
    )
    return member


def letter_valid_until(org: Org, issued_on: dt.date) -> dt.date:
    """MEM-TRANSFER-LETTER: the last day a letter issued by `org` on `issued_on` is valid, for the validity the
    org policy in force for the sending org that day sets (orgs.selectors.policy_for; default 3 months)."""
    months = org_selectors.policy_for(org, issued_on).letter_valid_months
    return rules.letter_valid_until(issued_on, months)


@transaction.atomic
def transfer_issue(
    *,
    scope: Scope,
    actor,
    member: Member,
    letter_serial: str,
    dues_paid_to: dt.date,
    issued_on: dt.date,
    to_org: Org | None = None,
    external_org_name: str = "",
    note: str = "",
    reissue_of: Transfer | None = None,
) -> Transfer:
    """Issue an introduction letter (开具介绍信) moving the membership to `to_org` or to an org outside
    (`reissue_of`: the cancelled letter this one replaces, from transfer_reissue)."""
    permissions.require(scope, permissions.MEMBER_EDIT, member.org.path)
    if member.status not in (MemberStatus.PROBATIONARY, MemberStatus.FULL):
        raise RuleViolation(
            "MEM-TRANSFER-LETTER",
            _("只有在册的正式党员和预备党员可以转出组织关系（MEM-TRANSFER-LETTER）"),
            field="member",
        )
    if (to_org is None) == (not external_org_name.strip()):
        raise RuleViolation(
            "MEM-TRANSFER-LETTER",
            _("请选择接收的党组织，或填写系统外党组织名称（MEM-TRANSFER-LETTER）"),
            field="to_org",
        )
    if to_org is not None:
        _check_holds_members(to_org)
        if to_org.pk == member.org_id:
            raise RuleViolation(
                "MEM-TRANSFER-LETTER", _("接收党组织与所在党组织相同（MEM-TRANSFER-LETTER）"), field="to_org"
            )
    if not letter_serial.strip():
        raise RuleViolation(
            "MEM-TRANSFER-LETTER", _("请填写介绍信编号（MEM-TRANSFER-LETTER）"), field="letter_serial"
        )
    with unscoped():
        pending = Transfer.objects.filter(member=member, status=TransferStatus.ISSUED).exists()
    if pending:
        raise RuleViolation(
            "MEM-TRANSFER-LETTER", _("该党员已有一份尚未接收的介绍信（MEM-TRANSFER-LETTER）"), field="member"
        )
    transfer = Transfer(
        member=member,
        from_org_id=member.org_id,
        to_org=to_org,
        external_org_name=external_org_name.strip(),
        letter_serial=letter_serial.strip(),
        dues_paid_to=dues_paid_to.replace(day=1),
        issued_on=issued_on,
        valid_until=letter_valid_until(member.org, issued_on),
        status=TransferStatus.ISSUED,
        note=note,
        reissue_of=reissue_of,
    )
    transfer.save(force_insert=True)
    _sync_member_warnings(member.pk)
    record(
        actor=actor,
        action="transfer.issue",
        target=member,
        org_id=member.org_id,
        changes={
            "transfer": [None, transfer.pk],
            "to": [None, to_org.code if to_org else external_org_name.strip()],
            "letter_serial": [None, transfer.letter_serial],
        }
        | ({"reissue_of": [None, reissue_of.letter_serial]} if reissue_of else {}),
    )
    return transfer


def _check_cancel(scope: Scope, transfer: Transfer, reason: str, cancelled_on: dt.date) -> Transfer:
    """Lock the letter and check that it may be cancelled now: the sending org's member editors, a letter
    not yet received, a reason, a date not before the letter's. Returns the locked row."""
    if transfer.from_org is None:
        raise PermissionDenied
    permissions.require(scope, permissions.MEMBER_EDIT, transfer.from_org.path)
    with unscoped():
        locked = Transfer.objects.select_for_update(of=("self",)).select_related(
            "member", "from_org", "to_org"
        )
        transfer = locked.get(pk=transfer.pk)
    if transfer.status != TransferStatus.ISSUED:
        raise RuleViolation(
            "MEM-TRANSFER-LETTER",
            _("只有尚未接收的介绍信可以撤销（MEM-TRANSFER-LETTER）"),
            field="status",
        )
    if not reason.strip():
        raise RuleViolation("MEM-TRANSFER-LETTER", _("请填写撤销原因（MEM-TRANSFER-LETTER）"), field="reason")
    if cancelled_on < transfer.issued_on:
        raise RuleViolation(
            "MEM-TRANSFER-LETTER",
            _("撤销日期不能早于开具日期（MEM-TRANSFER-LETTER）"),
            field="cancelled_on",
        )
    return transfer


def _cancel(actor, transfer: Transfer, reason: str, cancelled_on: dt.date) -> Transfer:
    transfer.status = TransferStatus.CANCELLED
    transfer.cancelled_on = cancelled_on
    transfer.cancel_reason = reason.strip()
    transfer.save(update_fields=["status", "cancelled_on", "cancel_reason"])
    record(
        actor=actor,
        action="transfer.cancel",
        target=transfer.member,
        org_id=transfer.from_org_id,
        changes={
            "transfer": [transfer.pk, transfer.pk],
            "letter_serial": [transfer.letter_serial, transfer.letter_serial],
            "status": [TransferStatus.ISSUED.value, TransferStatus.CANCELLED.value],
            "cancel_reason": [None, transfer.cancel_reason],
            "cancelled_on": [None, cancelled_on.isoformat()],
        },
    )
    return transfer


@transaction.atomic
def transfer_cancel(
    *, scope: Scope, actor, transfer: Transfer, reason: str, cancelled_on: dt.date
) -> Transfer:
    """Cancel (撤销) an introduction letter that has not been received, with a reason. Nothing is deleted:
    the letter stays on the member's record, marked cancelled with its reason and date, and the membership
    stays where it was (MEM-TRANSFER-LETTER)."""
    transfer = _check_cancel(scope, transfer, reason, cancelled_on)
    transfer = _cancel(actor, transfer, reason, cancelled_on)
    _sync_member_warnings(transfer.member_id)  # no letter out: MEM-TRANSFER-REQUIRED may hold again
    return transfer


@transaction.atomic
def transfer_reissue(
    *,
    scope: Scope,
    actor,
    transfer: Transfer,
    letter_serial: str,
    issued_on: dt.date,
    reason: str = "",
    dues_paid_to: dt.date | None = None,
    note: str = "",
) -> Transfer:
    """Reissue (重新开具) a letter: the old one is cancelled with `reason` if it is still outstanding (an
    expired letter, a wrong detail), and a new letter with a new serial number, to the same org, names it
    (`reissue_of`). A letter is reissued once; the new one may in turn be cancelled and reissued."""
    if transfer.status == TransferStatus.ISSUED:
        transfer = _check_cancel(scope, transfer, reason, issued_on)
        _cancel(actor, transfer, reason, issued_on)
    else:
        if transfer.from_org is None:
            raise PermissionDenied
        permissions.require(scope, permissions.MEMBER_EDIT, transfer.from_org.path)
        if transfer.status != TransferStatus.CANCELLED:
            raise RuleViolation(
                "MEM-TRANSFER-LETTER",
                _("只有尚未接收或已撤销的介绍信可以重新开具（MEM-TRANSFER-LETTER）"),
                field="status",
            )
    with unscoped():
        reissued = Transfer.objects.filter(reissue_of=transfer).exists()
    if reissued:
        raise RuleViolation(
            "MEM-TRANSFER-LETTER", _("该介绍信已重新开具过（MEM-TRANSFER-LETTER）"), field="status"
        )
    if letter_serial.strip() == transfer.letter_serial:
        raise RuleViolation(
            "MEM-TRANSFER-LETTER",
            _("重新开具的介绍信应使用新的编号（MEM-TRANSFER-LETTER）"),
            field="letter_serial",
        )
    with unscoped():
        member = Member.objects.select_related("org").get(pk=transfer.member_id)
    return transfer_issue(
        scope=scope,
        actor=actor,
        member=member,
        letter_serial=letter_serial,
        dues_paid_to=dues_paid_to or transfer.dues_paid_to,
        issued_on=issued_on,
        to_org=transfer.to_org,
        external_org_name=transfer.external_org_name,
        note=note,
        reissue_of=transfer,
    )


@transaction.atomic
def transfer_receive(*, scope: Scope, actor, transfer: Transfer, received_on: dt.date) -> Transfer:
    """The receiving org accepts the letter: the member now belongs to it (the receipt is still owed)."""
    if transfer.to_org is None:
        raise RuleViolation(
            "MEM-TRANSFER-LETTER",
            _("转往系统外的介绍信由转出党组织登记回执（MEM-TRANSFER-LETTER）"),
            field="to_org",
        )
    permissions.require(scope, permissions.MEMBER_EDIT, transfer.to_org.path)
    if transfer.status != TransferStatus.ISSUED:
        raise RuleViolation("MEM-TRANSFER-LETTER", _("该介绍信已办理（MEM-TRANSFER-LETTER）"), field="status")
    if received_on < transfer.issued_on:
        raise RuleViolation(
            "MEM-TRANSFER-LETTER", _("接收日期不能早于开具日期（MEM-TRANSFER-LETTER）"), field="received_on"
        )
    rules.check_letter_valid(transfer.valid_until, received_on)
    with unscoped():
        member = Member.objects.select_for_update().get(pk=transfer.member_id)
    before = _audit_state(member)
    figures.shift(before=(member.org_id, member.status), after=(transfer.to_org_id, member.status))
    _refresh_warnings(member.org_id, transfer.to_org_id)
    member.org = transfer.to_org
    member.party_group = None
    member.joined_how = JoinedHow.TRANSFERRED_IN
    member.is_mobile = False
    member.save()
    transfer.status = TransferStatus.RECEIVED
    transfer.received_on = received_on
    transfer.save(update_fields=["status", "received_on"])
    _sync_member_warnings(member.pk)
    record(
        actor=actor,
        action="transfer.receive",
        target=member,
        org_id=transfer.to_org_id,
        changes=diff(before, _audit_state(member)) | {"transfer": [transfer.pk, transfer.pk]},
    )
    return transfer


@transaction.atomic
def transfer_return_receipt(*, scope: Scope, actor, transfer: Transfer, returned_on: dt.date) -> Transfer:
    """The receipt (回执) comes back: the transfer is complete and the sending org's responsibility ends."""
    if transfer.to_org is not None:
        permissions.require(scope, permissions.MEMBER_EDIT, transfer.to_org.path)
        expected = TransferStatus.RECEIVED
    else:
        permissions.require(scope, permissions.MEMBER_EDIT, transfer.from_org.path)
        expected = TransferStatus.ISSUED
    if transfer.status != expected:
        raise RuleViolation(
            "MEM-TRANSFER-LETTER", _("该介绍信当前状态不能登记回执（MEM-TRANSFER-LETTER）"), field="status"
        )
    letter_on = transfer.received_on or transfer.issued_on
    if returned_on < letter_on:
        raise RuleViolation(
            "MEM-TRANSFER-LETTER",
            _("回执日期不能早于介绍信的开具或接收日期（%(date)s）（MEM-TRANSFER-LETTER）")
            % {"date": letter_on.isoformat()},
            field="returned_on",
        )
    with unscoped():
        member = Member.objects.select_for_update().get(pk=transfer.member_id)
    if transfer.to_org is None:
        before = _audit_state(member)
        rules.check_status_change(member.status, MemberStatus.TRANSFERRED_OUT)
        figures.shift(
            before=(member.org_id, member.status), after=(member.org_id, MemberStatus.TRANSFERRED_OUT)
        )
        member.status = MemberStatus.TRANSFERRED_OUT
        member.ended_on = returned_on
        member.end_reason = _("转出至%(org)s") % {"org": transfer.external_org_name}
        member.save()
        _refresh_warnings(member.org_id)
        changes = diff(before, _audit_state(member))
    else:
        changes = {}
    transfer.status = TransferStatus.COMPLETED
    transfer.receipt_returned_on = returned_on
    transfer.save(update_fields=["status", "receipt_returned_on"])
    _sync_member_warnings(transfer.member_id)
    record(
        actor=actor,
        action="transfer.receipt",
        target=member,
        org_id=member.org_id,
        changes=changes
        | {"transfer": [transfer.pk, transfer.pk], "receipt_returned_on": [None, returned_on.isoformat()]},
    )
    return transfer


@transaction.atomic
def member_figures_refresh(*, scope: Scope, actor, org: Org | None = None) -> list[figures.Drift]:
    """Recompute the maintained member figures (OrgMemberFigures) of `org`'s subtree, or of the whole scope,
    from the members, and return the orgs whose figures had drifted (now corrected).

    Needed only after rows were written around the services (a raw import, a restore of one table); the
    services keep the figures current themselves. One audit event per subtree where something was corrected.
    """
    from .selectors import figures_prefixes

    prefixes = figures_prefixes(scope, org, permissions.ADMIN)
    figures.lock()
    fixed: list[figures.Drift] = []
    for prefix in prefixes:
        drifted = figures.drift(prefix)
        if not drifted:
            continue
        figures.overwrite(drifted)
        fixed.extend(drifted)
        with unscoped():
            target = org or Org.objects.unscoped_all().filter(pk=drifted[0].org_id).get()
        record(
            actor=actor,
            action="member_figures.refresh",
            target=target,
            org_id=target.pk,
            changes={
                "orgs_corrected": [None, len(drifted)],
                "codes": [None, [d.code for d in drifted[:50]]],
            },
        )
    return fixed


def member_warnings_refresh(
    *, scope: Scope, actor, org: Org | None = None, batch_size: int | None = None
) -> warning_store.Synced:
    """Rewrite the stored MEM-* warnings of `org`'s subtree (or of the whole scope) that differ from the
    records, in batches (one transaction each); one audit event per subtree where something changed. The
    services keep them exact: needed only after rows were written around them."""
    from .selectors import figures_prefixes

    done = warning_store.Synced()
    for prefix in figures_prefixes(scope, org, permissions.ADMIN):
        found = warning_store.sync_subtree(
            prefix, on=timezone.localdate(), batch_size=batch_size or warning_store.BATCH
        )
        done.add(found)
        if found.inserted or found.changed or found.deleted:
            with unscoped():
                target = org or Org.objects.unscoped_all().filter(path=prefix).first() if prefix else org
            if target is not None:
                with transaction.atomic():
                    record(
                        actor=actor,
                        action="member_warnings.refresh",
                        target=target,
                        org_id=target.pk,
                        changes={"rows_corrected": [None, found.inserted + found.changed + found.deleted]},
                    )
    return done
