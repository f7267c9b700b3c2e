"""Writes on recruitment dossiers. One transaction each, permission checked, rules applied, audit recorded.

A step is checked by `rules.check_event` against the timeline replayed from the stored steps; a refusal
(RuleViolation) leaves nothing saved. The approval of the admitting branch vote creates the probationary
`Member` (members.services.member_create); the approval of the conversion makes it full
(members.services.member_convert); a cancelled probation ends it with the status 取消预备党员资格
(`MemberStatus.PROBATION_CANCELLED`, members.services.member_end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import diff, record, snapshot
from grassroots.core import crypto, permissions, pinyin
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, subtree_q, unscoped
from grassroots.core.workdays import CHINA
from grassroots.documents import services as document_services
from grassroots.documents.models import Document
from grassroots.members import rules as member_rules
from grassroots.members import selectors as member_selectors
from grassroots.members import services as member_services
from grassroots.members.choices import JoinedHow, MemberStatus
from grassroots.members.models import Member
from grassroots.orgs.choices import OrgKind
from grassroots.orgs.models import Org

from . import rules, selectors
from .choices import DossierDocumentKind, Stage
from .models import Applicant, RecruitmentEvent, RecruitmentPolicy

AUDITED_FIELDS = ["name", "sex", "birth_date", "applied_on", "org", "stage", "member"]


def _audit_state(applicant: Applicant) -> dict[str, Any]:
    state = snapshot(applicant, AUDITED_FIELDS)
    state["id_number"] = applicant.id_number_hash
    return state


def _check_branch(org: Org) -> None:
    if org.kind != OrgKind.BRANCH or org.ended_on is not None:
        raise RuleViolation(
            "MEM-ORG",
            _("发展党员工作由党支部负责，请选择一个未撤销的党支部（MEM-ORG）"),
            field="org",
        )


def _set_id_number(applicant: Applicant, raw: str) -> None:
    info = member_rules.check_id_number(raw, birth_date=applicant.birth_date, sex=applicant.sex)
    encrypted, digest, masked = crypto.protect_id_number(info.number)
    with unscoped():
        is_member = Member.objects.filter(id_number_hash=digest).exists()
        open_dossier = (
            Applicant.objects.filter(id_number_hash=digest)
            .exclude(stage__in=rules.TERMINAL)
            .exclude(pk=applicant.pk)
            .exists()
        )
    if is_member:
        raise RuleViolation(
            "MEM-ID-DUPLICATE",
            _("该身份证号已有党员档案，不能再作为入党申请人登记（MEM-ID-DUPLICATE）"),
            field="id_number",
        )
    if open_dossier:
        raise RuleViolation(
            "MEM-ID-DUPLICATE",
            _("该身份证号已有一份正在进行的发展党员档案（MEM-ID-DUPLICATE）"),
            field="id_number",
        )
    applicant.id_number_encrypted, applicant.id_number_hash, applicant.id_number_masked = (
        encrypted,
        digest,
        masked,
    )


@transaction.atomic
def applicant_create(
    *,
    scope: Scope,
    actor,
    org: Org,
    name: str,
    sex: str,
    birth_date: dt.date,
    id_number: str,
    applied_on: dt.date,
    education: str = "",
    occupation: str = "",
) -> Applicant:
    """Open a dossier for someone who has applied in writing to join the party (入党申请)."""
    permissions.require(scope, permissions.MEMBER_EDIT, org.path)
    _check_branch(org)
    name = name.strip()
    if not name:
        raise RuleViolation("API-VALIDATION", _("请填写姓名（API-VALIDATION）"), field="name")
    rules.check_application(birth_date=birth_date, applied_on=applied_on)
    applicant = Applicant(
        org=org,
        name=name,
        sex=sex,
        birth_date=birth_date,
        applied_on=applied_on,
        education=education,
        occupation=occupation,
        stage=Stage.APPLICANT,
    )
    _set_id_number(applicant, id_number)
    applicant.name_pinyin, applicant.name_initials = pinyin.keys(name)
    today = timezone.localdate()
    policy_row = selectors.policy_row(org, today)
    steps = selectors.next_of(applicant, [], selectors.policy_of_row(policy_row))
    _store_next(applicant, steps, policy_row, today)
    applicant.save(force_insert=True)
    record(
        actor=actor,
        action="recruitment.apply",
        target=applicant,
        org_id=org.pk,
        changes=diff({}, _audit_state(applicant)),
    )
    return applicant


def _store_next(
    applicant: Applicant, steps: list[rules.NextStep], policy_row: RecruitmentPolicy | None, today: dt.date
) -> None:
    """Set the dossier's stored next steps (Applicant.next_steps and the fields beside it); not saved."""
    applicant.next_steps, applicant.next_due_on = selectors.stored_next(steps)
    applicant.next_policy = policy_row
    applicant.next_computed_on = today


def _person(member: Member | None, on: dt.date) -> dict[str, Any]:
    return {
        "full": member is not None and member.status == MemberStatus.FULL,
        "disciplinary_probation": member is not None
        and member_selectors.under_disciplinary_probation(member, on),
    }


def _people_facts(scope: Scope, payload: dict[str, Any], on: dt.date, org: Org) -> dict[str, Any]:
    """What the rules need to know about the people a payload names, as the member records say on `on`.

    Mentors and sponsors: full member (now) and under 留党察看 on the step's date; members the caller cannot
    read count as unknown (not full members). A vote with a roster: the electorate, the branch's direct full
    members on the vote date (`members.selectors.full_members_on`), each with the same facts and the name.
    Frozen in the step's `facts`, so that replaying the timeline later gives the same verdict.
    """
    facts: dict[str, Any] = {}
    ids = sorted({i for name in selectors.PEOPLE_FIELDS for i in payload.get(name, [])})
    if ids:
        found = member_selectors.members_by_id(scope=scope, ids=ids)
        facts |= {str(i): _person(found.get(i), on) for i in ids}
    if payload.get(selectors.ROSTER_FIELD) is not None:
        electorate = member_selectors.full_members_on(scope=scope, org=org, on=on)
        facts[selectors.ELECTORATE] = [m.pk for m in electorate]
        facts |= {str(m.pk): _person(m, on) | {"full": True, "name": m.name} for m in electorate}
    return facts


@dataclass(frozen=True)
class Upload:
    """A file sent with a step: kept as the step's document in the step's transaction."""

    file: Any
    kind: str
    title: str = ""


@transaction.atomic
def event_record(
    *,
    scope: Scope,
    actor,
    applicant: Applicant,
    kind: str,
    on: dt.date,
    payload: dict[str, Any],
    upload: Upload | None = None,
) -> RecruitmentEvent:
    """Record one step of the dossier, if the rules allow it; move the stage and the member record with it.

    With `upload`, the step's document is kept in the same transaction: a refused step keeps no file, a
    refused file (DOC-*) records no step."""
    permissions.require(scope, permissions.MEMBER_EDIT, applicant.org.path)
    with unscoped():
        applicant = Applicant.objects.select_for_update().select_related("org").get(pk=applicant.pk)
        stored = list(RecruitmentEvent.objects.filter(applicant=applicant).order_by("sequence"))
    if applicant.stage in rules.TERMINAL:
        raise RuleViolation(
            "REC-STAGE",
            _("该档案已办结（%(stage)s），不能再记录步骤（REC-STAGE）")
            % {"stage": Stage(applicant.stage).label},
            field="event",
        )
    clean = selectors.clean_payload(kind, payload)
    facts = _people_facts(scope, clean, on, applicant.org)
    event = selectors.build_event(kind, on, clean, facts)
    timeline = selectors.timeline_of(applicant, stored)
    warnings = rules.check_event(
        timeline, event, policy=selectors.policy_for(applicant.org, on), calendar=CHINA
    )
    roster = getattr(event, "roster", None)
    if roster is not None:
        # Store what the roster gave: its counts, and the exclusions as they count (留党察看 included).
        counts = rules.roster_counts(roster)
        clean |= {name: getattr(event.votes, name) for name in selectors.ROSTER_COUNTS}
        clean[selectors.ROSTER_FIELD] = clean[selectors.ROSTER_FIELD] | {
            "excluded": [
                {"member": member_id, "reason": e.reason, "note": e.note}
                for member_id, e in sorted(counts.excluded.items())
            ]
        }
    row = RecruitmentEvent(
        applicant=applicant,
        kind=kind,
        on=on,
        payload=selectors.stored_payload(clean),
        facts=facts,
        warnings=[{"rule_id": w.rule_id, "message": w.message} for w in warnings],
        recorded_by=actor if getattr(actor, "pk", None) else None,
        sequence=len(stored) + 1,
    )
    row.save(force_insert=True)

    before = _audit_state(applicant)
    after_timeline = timeline.with_event(event)
    derived = rules.derived_dates(after_timeline)
    old_stage, applicant.stage = applicant.stage, derived.stage
    if old_stage == Stage.CANDIDATE and derived.stage == Stage.PROBATIONARY:
        applicant.member = _admit(scope, actor, applicant, derived.admitted_on)
    elif derived.stage == Stage.FULL and old_stage != Stage.FULL:
        member_services.member_convert(
            scope=scope, actor=actor, member=_member(applicant), converted_on=derived.converted_on
        )
    elif derived.stage == Stage.CANCELLED and old_stage != Stage.CANCELLED:
        member_services.member_end(
            scope=scope,
            actor=actor,
            member=_member(applicant),
            status=MemberStatus.PROBATION_CANCELLED,
            ended_on=on,
            reason=_("取消预备党员资格（党章第七条）"),
        )
    today = timezone.localdate()
    policy_row = selectors.policy_row(applicant.org, today)
    steps = selectors.next_for(applicant.stage, after_timeline, selectors.policy_of_row(policy_row))
    _store_next(applicant, steps, policy_row, today)
    for name, value in selectors.milestones_of(after_timeline).items():
        setattr(applicant, name, value)
    applicant.save()
    record(
        actor=actor,
        action="recruitment.event",
        target=applicant,
        org_id=applicant.org_id,
        changes=diff(before, _audit_state(applicant))
        | {"event": [None, kind], "on": [None, on.isoformat()], "sequence": [None, row.sequence]},
    )
    if upload is not None:
        dossier_document_attach(
            scope=scope,
            actor=actor,
            applicant=applicant,
            kind=upload.kind,
            title=upload.title,
            file=upload.file,
            event=row,
        )
    return row


@transaction.atomic
def dossier_document_attach(
    *,
    scope: Scope,
    actor,
    applicant: Applicant,
    kind: str,
    title: str,
    file,
    event: RecruitmentEvent | None = None,
) -> Document:
    """Keep a document (材料) with the dossier, or with one of its steps (`event`, which must be the
    dossier's). DOC-* rules on the file (documents.services.document_attach)."""
    permissions.require(scope, permissions.MEMBER_EDIT, applicant.org.path)
    if kind not in DossierDocumentKind.values:
        raise RuleViolation(
            "API-VALIDATION",
            _("输入有误：未知的材料类别“%(kind)s”（API-VALIDATION）") % {"kind": kind},
            field="kind",
        )
    if event is not None and event.applicant_id != applicant.pk:
        raise RuleViolation(
            "API-VALIDATION", _("输入有误：该步骤不属于本档案（API-VALIDATION）"), field="event_id"
        )
    return document_services.document_attach(
        scope=scope,
        actor=actor,
        org=applicant.org,
        subject=event if event is not None else applicant,
        kind=kind,
        title=title,
        file=file,
    )


def _member(applicant: Applicant) -> Member:
    with unscoped():
        return Member.objects.select_for_update().select_related("org").get(pk=applicant.member_id)


def _admit(scope: Scope, actor, applicant: Applicant, admitted_on: dt.date) -> Member:
    """入党: the person becomes a probationary member of the branch on the date of the admitting vote."""
    fields: dict[str, Any] = {}
    if applicant.education:
        fields["education"] = applicant.education
    if applicant.occupation:
        fields["occupation"] = applicant.occupation
    return member_services.member_create(
        scope=scope,
        actor=actor,
        org=applicant.org,
        id_number=crypto.decrypt(applicant.id_number_encrypted),
        status=MemberStatus.PROBATIONARY,
        name=applicant.name,
        sex=applicant.sex,
        birth_date=applicant.birth_date,
        admitted_on=admitted_on,
        joined_how=JoinedHow.RECRUITED,
        **fields,
    )


# ---------------------------------------------------------------------------------------------- policy

POLICY_INT_FIELDS = (
    "activist_wait_months",
    "training_days",
    "training_hours",
    "notice_working_days",
    "extension_min_months",
    "extension_max_months",
    "approval_warn_months",
    "approval_block_months",
    "conversion_vote_grace_months",
)
POLICY_MAX_VALUE = 120
# rules.Policy's ValueError messages → (field, message for people)
_POLICY_ERRORS = {
    "extension_months": (
        "extension_max_months",
        _("延长预备期须满足 0 < 最短月数 ≤ 最长月数 ≤ 12（REC-POLICY）"),
    ),
    "notice_before": ("notice_before", _("须公示的步骤中有不需要公示的步骤（REC-POLICY）")),
    "approval_warn_months": (
        "approval_warn_months",
        _("审批提醒月数不能超过审批期限月数（REC-POLICY）"),
    ),
    "notice and training": (
        "notice_working_days",
        _("公示工作日数、培训天数和培训学时须为正数（REC-POLICY）"),
    ),
}


def _policy_violation(error: ValueError) -> RuleViolation:
    text = str(error)
    for prefix, (field_name, message) in _POLICY_ERRORS.items():
        if text.startswith(prefix):
            return RuleViolation("REC-POLICY", message, field=field_name)
    return RuleViolation("REC-POLICY", _("发展党员工作规则参数无效（REC-POLICY）"), field=None)


@transaction.atomic
def policy_set(
    *, scope: Scope, actor, org: Org, effective_from: dt.date, note: str = "", **values: Any
) -> RecruitmentPolicy:
    """Set the recruitment policy of `org`'s subtree from `effective_from` (a new row: policies are
    append-only). Values not given are those in force for `org` on that date. Org admins of `org` only."""
    permissions.require(scope, permissions.ADMIN, org.path)
    unknown = sorted(set(values) - set(POLICY_INT_FIELDS) - {"notice_before"})
    if unknown:
        raise RuleViolation(
            "REC-POLICY",
            _("没有这些规则参数：%(names)s（REC-POLICY）") % {"names": "、".join(unknown)},
            field=unknown[0],
        )
    if not isinstance(effective_from, dt.date):
        raise RuleViolation("REC-POLICY", _("请填写生效日期（REC-POLICY）"), field="effective_from")
    current = selectors.policy_for(org, effective_from)
    data: dict[str, Any] = selectors.policy_values(current)
    data.update(values)
    for name in POLICY_INT_FIELDS:
        value = data[name]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= POLICY_MAX_VALUE:
            raise RuleViolation(
                "REC-POLICY",
                _("%(field)s 须为 0 到 %(max)s 之间的整数（REC-POLICY）")
                % {"field": RecruitmentPolicy._meta.get_field(name).verbose_name, "max": POLICY_MAX_VALUE},
                field=name,
            )
    notice_before = data["notice_before"]
    if isinstance(notice_before, str) or not all(isinstance(k, str) for k in notice_before):
        raise RuleViolation(
            "REC-POLICY", _("须公示的步骤中有不需要公示的步骤（REC-POLICY）"), field="notice_before"
        )
    data["notice_before"] = sorted(set(notice_before))
    row = RecruitmentPolicy(org=org, effective_from=effective_from, note=note.strip(), **data)
    try:
        selectors.policy_of_row(row)
    except ValueError as error:
        raise _policy_violation(error) from None
    row.created_by = actor if getattr(actor, "pk", None) else None
    row.save(force_insert=True)
    if effective_from <= timezone.localdate():
        # In force already: the stored next steps of the subtree's open dossiers whose policy it now is.
        with unscoped():
            _refresh_next(
                Applicant.objects.unscoped_all(), org=org, today=timezone.localdate(), changed_policy=True
            )
    record(
        actor=actor,
        action="recruitment.policy",
        target=row,
        org_id=org.pk,
        label=f"{org.name} {effective_from.isoformat()}",
        changes={k: [None, v] for k, v in data.items()}
        | {"effective_from": [None, effective_from.isoformat()], "note": [None, row.note]},
    )
    return row


# ---------------------------------------------------------------------------------------------- next steps

REFRESH_BATCH = 1000
_NEXT_FIELDS = ["next_steps", "next_due_on", "next_policy", "next_computed_on"]


@dataclass(frozen=True)
class Refreshed:
    checked: int  # open dossiers read
    changed: int  # of which the stored next steps were rewritten


def _refresh_next(
    base, *, org: Org | None, today: dt.date, changed_policy: bool = False, batch_size: int = REFRESH_BATCH
) -> Refreshed:
    """Recompute the stored next steps of the open dossiers of `base` (a queryset of Applicant) in `org`'s
    subtree, in batches of `batch_size` dossiers: per batch one query for the dossiers, one for their steps,
    one for the policies, and one bulk update of those whose stored steps differ. `changed_policy`: only the
    dossiers whose policy in force today is not the one their steps were computed with."""
    qs = base.exclude(stage__in=rules.TERMINAL)
    if org is not None:
        qs = qs.filter(subtree_q("org__path", org.path))
    columns = (
        "id",
        "org__path",
        "birth_date",
        "applied_on",
        "stage",
        "next_steps",
        "next_due_on",
        "next_policy_id",
    )
    checked = changed = 0
    last = 0
    with unscoped():
        while True:
            # One transaction per batch, its dossiers locked against a step recorded meanwhile.
            with transaction.atomic():
                batch = list(
                    qs.filter(pk__gt=last)
                    .order_by("pk")
                    .select_for_update(of=("self",))
                    .values_list(*columns)[:batch_size]
                )
                if not batch:
                    break
                last = batch[-1][0]
                n, updates = _recompute(batch, today, changed_policy)
                Applicant.objects.unscoped_all().bulk_update(updates, _NEXT_FIELDS, batch_size=batch_size)
            checked += n
            changed += len(updates)
    return Refreshed(checked=checked, changed=changed)


def _stored_steps(applicant_ids: list[int]) -> dict[int, list[tuple]]:
    """The stored steps of these dossiers as (kind, on, payload, facts) rows, oldest first (for
    `selectors.timeline_from`): one query. Callers run inside `unscoped()`."""
    events: dict[int, list[tuple]] = {aid: [] for aid in applicant_ids}
    if events:
        for aid, *event in (
            RecruitmentEvent.objects.unscoped_all()
            .filter(applicant_id__in=applicant_ids)
            .order_by("applicant_id", "sequence")
            .values_list("applicant_id", "kind", "on", "payload", "facts")
        ):
            events[aid].append(event)
    return events


def _recompute(batch: list[tuple], today: dt.date, changed_policy: bool) -> tuple[int, list[Applicant]]:
    """The dossiers of `batch` (rows of `_refresh_next`'s columns) whose stored next steps differ from what
    they are today, as unsaved rows carrying the fresh ones; and how many were checked."""
    policies = selectors.policy_rows_for({row[1] for row in batch}, today)
    if changed_policy:
        batch = [row for row in batch if _policy_id(policies[row[1]]) != row[7]]
    events = _stored_steps([row[0] for row in batch])
    updates = []
    for aid, path, birth_date, applied_on, stage, stored, due_on, policy_id in batch:
        policy_row = policies[path]
        timeline = selectors.timeline_from(birth_date, applied_on, events[aid])
        steps = selectors.next_for(stage, timeline, selectors.policy_of_row(policy_row))
        if (*selectors.stored_next(steps), _policy_id(policy_row)) == (stored, due_on, policy_id):
            continue
        row = Applicant(pk=aid)
        _store_next(row, steps, policy_row, today)
        updates.append(row)
    return len(batch), updates


def milestones_refresh(*, batch_size: int = REFRESH_BATCH) -> Refreshed:
    """Recompute the stored milestone dates (Applicant.talk_on, …, `selectors.milestones_of`) of every
    dossier from its steps, writing only those that differ: after the fields are added (see apps.py) or a
    raw import. Operator-level (every dossier); derived data, so not audited. A batch per transaction."""
    checked = changed = 0
    last = 0
    with unscoped():
        while True:
            with transaction.atomic():
                batch = list(
                    Applicant.objects.unscoped_all()
                    .filter(pk__gt=last)
                    .order_by("pk")
                    .values_list("id", "birth_date", "applied_on", *selectors.MILESTONE_FIELDS)[:batch_size]
                )
                if not batch:
                    break
                last = batch[-1][0]
                events = _stored_steps([row[0] for row in batch])
                updates = []
                for aid, birth_date, applied_on, *stored in batch:
                    fresh = selectors.milestones_of(
                        selectors.timeline_from(birth_date, applied_on, events[aid])
                    )
                    if list(fresh.values()) != stored:
                        updates.append(Applicant(pk=aid, **fresh))
                Applicant.objects.unscoped_all().bulk_update(
                    updates, list(selectors.MILESTONE_FIELDS), batch_size=batch_size
                )
            checked += len(batch)
            changed += len(updates)
    return Refreshed(checked=checked, changed=changed)


def _policy_id(row: RecruitmentPolicy | None) -> int | None:
    return row.pk if row is not None else None


def next_steps_refresh(
    *,
    scope: Scope,
    actor=None,
    org: Org | None = None,
    today: dt.date | None = None,
    batch_size: int = REFRESH_BATCH,
) -> Refreshed:
    """Bring the stored next steps of the open dossiers of `org`'s subtree (or of the caller's scope) up to
    date: a policy that came into force since they were computed, a new holiday calendar. Idempotent: a
    second run changes nothing. Derived data, so not audited. For the roles that edit dossiers. One
    transaction per batch rather than one for the whole run: each batch is complete in itself, and a
    province-wide refresh does not hold the write lock for its whole duration."""
    editable = scope.with_roles(permissions.MEMBER_EDIT)
    if org is not None:
        permissions.require(scope, permissions.MEMBER_EDIT, org.path)
    return _refresh_next(
        Applicant.objects.within(editable),
        org=org,
        today=today or timezone.localdate(),
        batch_size=batch_size,
    )
