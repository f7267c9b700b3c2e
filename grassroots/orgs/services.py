"""Writes on the org tree and its committees. One transaction each, permission checked, audit recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import diff, record, snapshot
from grassroots.core import permissions, pinyin
from grassroots.core.dates import add_years
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped

from . import registry, rules, selectors, warning_store
from .choices import OrgKind
from .models import CommitteeMember, Org, OrgCommittee, OrgPolicy, OrgUnit, TermAdjustment

# The org's own fields the ORG-* rules read (rules.OrgFacts): editing only others (a name, a phone) leaves
# its stored warnings as they are.
WARNING_FACT_FIELDS = frozenset({"kind", "is_joint", "unit_kind", "secretary_vacant_since"})
EDITABLE_FIELDS = [
    "name",
    "short_name",
    "kind",
    "is_joint",
    "unit_name",
    "unit_kind",
    "unit_relation",
    "phone",
    "contact_name",
    "founded_on",
    "approved_by",
    "secretary_vacant_since",
]


def warnings_refresh(*org_ids: int) -> None:
    """Bring the stored ORG-* warnings of these orgs up to date, in the caller's transaction: every service
    that changes what the rules read about an org (its fields, units, committee, members) calls this for the
    orgs it touched, after the change (members.services too)."""
    warning_store.refresh(org_ids, on=timezone.localdate())


def _check_code_free(code: str) -> None:
    with unscoped():
        taken = Org.objects.unscoped_all().filter(code=code).exists()
    if taken:
        raise RuleViolation(
            "ORG-CODE-UNIQUE",
            _("组织代码“%(code)s”已被使用（ORG-CODE-UNIQUE）") % {"code": code},
            field="code",
        )


def _check_code_format(code: str) -> None:
    if not code or len(code) > 32 or not all(c.isalnum() or c in "-_." for c in code) or not code.isascii():
        raise RuleViolation(
            "ORG-CODE-FORMAT",
            _("组织代码应为1至32位字母、数字或“-_.”（ORG-CODE-FORMAT）"),
            field="code",
        )


@transaction.atomic
def org_create(
    *, scope: Scope, actor, parent: Org | None, code: str, name: str, kind: str, **fields: Any
) -> Org:
    """Create an org under `parent` (a top-level org when `parent` is None: system scope only)."""
    code = code.strip()
    _check_code_format(code)
    if parent is None:
        if not scope.is_system:
            raise permissions.PermissionDenied
    else:
        permissions.require(scope, permissions.ADMIN, parent.path)
    rules.check_child_kind(parent.kind if parent else "", kind)
    rules.check_units(kind=kind, is_joint=bool(fields.get("is_joint")), spans=[])
    _check_code_free(code)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown org fields: {sorted(unknown)}")
    values = {"code": code, "name": name.strip(), "kind": kind, **fields}
    values["name_pinyin"], values["name_initials"] = pinyin.org_keys(values["name"])
    with unscoped():
        if parent is None:
            org = Org.objects.add_root(values)
        else:
            parent = Org.objects.get(pk=parent.pk)
            org = Org.objects.add_child(parent, values)
    warnings_refresh(org.pk)
    record(
        actor=actor,
        action="org.create",
        target=org,
        org_id=org.pk,
        changes=diff({}, snapshot(org, ["code", "name", "kind", *fields])),
    )
    return org


@transaction.atomic
def org_update(*, scope: Scope, actor, org: Org, **fields: Any) -> Org:
    permissions.require(scope, permissions.ORG_EDIT, org.path)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown org fields: {sorted(unknown)}")
    if "kind" in fields and fields["kind"] != org.kind:
        with unscoped():
            parent = Org.objects.get_parent(org)
            has_children = Org.objects.filter(path__startswith=org.path, depth=org.depth + 1).exists()
        rules.check_child_kind(parent.kind if parent else "", fields["kind"])
        if has_children:
            raise RuleViolation(
                "ORG-KIND-NESTING",
                _("该组织已有下级组织，不能更改组织类别（ORG-KIND-NESTING）"),
                field="kind",
            )
    if "kind" in fields or "is_joint" in fields:
        # ORG-BRANCH-MIN-3: a new kind or joint flag must still fit the units the org covers.
        rules.check_units(
            kind=fields.get("kind", org.kind),
            is_joint=bool(fields.get("is_joint", org.is_joint)),
            spans=_unit_spans(org),
        )
    before = snapshot(org, list(fields))
    for key, value in fields.items():
        setattr(org, key, value.strip() if isinstance(value, str) else value)
    keys = []
    if "name" in fields:
        org.name_pinyin, org.name_initials = pinyin.org_keys(org.name)
        keys = ["name_pinyin", "name_initials"]
    org.save(update_fields=[*fields, *keys, "updated_at"])
    if set(fields) & WARNING_FACT_FIELDS:
        warnings_refresh(org.pk)
    changes = diff(before, snapshot(org, list(fields)))
    if changes:
        record(actor=actor, action="org.update", target=org, org_id=org.pk, changes=changes)
    return org


@transaction.atomic
def org_move(*, scope: Scope, actor, org: Org, new_parent: Org) -> Org:
    """Move `org` and its whole subtree under `new_parent`."""
    permissions.require(scope, permissions.ADMIN, org.path)
    permissions.require(scope, permissions.ADMIN, new_parent.path)
    rules.check_move(org.path, new_parent.path)
    rules.check_child_kind(new_parent.kind, org.kind)
    old_parent_path = org.parent_path
    with unscoped():
        node = Org.objects.get(pk=org.pk)
        target = Org.objects.get(pk=new_parent.pk)
        Org.objects.move(node, target, "last-child")
        moved = Org.objects.get(pk=org.pk)
        old_parent = Org.objects.filter(path=old_parent_path).values_list("code", flat=True).first()
    # The rules read no paths: the subtree's rows follow the new paths. The moved org is recomputed anyway.
    warnings_refresh(moved.pk)
    record(
        actor=actor,
        action="org.move",
        target=moved,
        org_id=moved.pk,
        changes={"parent": [old_parent, new_parent.code], "path": [org.path, moved.path]},
    )
    return moved


@transaction.atomic
def org_end(*, scope: Scope, actor, org: Org, ended_on: dt.date, document: str = "") -> Org:
    """Abolish an org (撤销). It must hold no active members and no active sub-orgs; the record stays."""
    permissions.require(scope, permissions.ADMIN, org.path)
    # Fails closed: without the members app's figures registered, no org can be shown to be empty.
    busy = registry.member_figures().holds_active_members(scope=scope, org=org)
    with unscoped():
        open_children = Org.objects.filter(
            path__startswith=org.path, depth__gt=org.depth, ended_on__isnull=True
        ).exists()
    if busy or open_children:
        raise RuleViolation(
            "ORG-END-EMPTY",
            _("撤销前应先转出全部党员并撤销下级组织（ORG-END-EMPTY）"),
            field="ended_on",
        )
    before = snapshot(org, ["ended_on", "approved_by"])
    org.ended_on = ended_on
    if document:
        org.approved_by = document
    org.save(update_fields=["ended_on", "approved_by", "updated_at"])
    warnings_refresh(org.pk)
    record(
        actor=actor,
        action="org.end",
        target=org,
        org_id=org.pk,
        changes=diff(before, snapshot(org, list(before))),
    )
    return org


def _unit_spans(org: Org, *, without: int | None = None) -> list[rules.Span]:
    with unscoped():
        rows = OrgUnit.objects.filter(org=org).exclude(pk=without).values_list("valid_from", "valid_until")
        return list(rows)


def _lock_org(org: Org) -> None:
    """Take the org's row lock, so that two writes to its units take turns (the unit check counts them)."""
    with unscoped():
        Org.objects.select_for_update().filter(pk=org.pk).values_list("pk").first()


UNIT_FIELDS = ("credit_code", "staff_count", "is_legal_entity")


@transaction.atomic
def org_unit_add(
    *,
    scope: Scope,
    actor,
    org: Org,
    name: str,
    unit_kind: str,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    **fields: Any,
) -> OrgUnit:
    """Add a unit the org covers (a joint branch's 联合单位) from `valid_from` (empty: from the start) to
    `valid_until` (empty: open). ORG-BRANCH-MIN-3: a joint branch covers at most five units on any day."""
    permissions.require(scope, permissions.ORG_EDIT, org.path)
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    if not name.strip():
        raise RuleViolation("ORG-BRANCH-MIN-3", _("请填写单位名称（ORG-BRANCH-MIN-3）"), field="name")
    _lock_org(org)
    rules.check_units(
        kind=org.kind, is_joint=org.is_joint, spans=[*_unit_spans(org), (valid_from, valid_until)]
    )
    with unscoped():
        unit = OrgUnit.objects.create(
            org=org,
            name=name.strip(),
            unit_kind=unit_kind,
            valid_from=valid_from,
            valid_until=valid_until,
            **fields,
        )
    warnings_refresh(org.pk)
    record(
        actor=actor,
        action="org.unit_add",
        target=org,
        org_id=org.pk,
        changes={
            "unit": [None, unit.name],
            "valid_from": [None, valid_from.isoformat() if valid_from else None],
            "valid_until": [None, valid_until.isoformat() if valid_until else None],
        },
    )
    return unit


@transaction.atomic
def org_unit_end(*, scope: Scope, actor, unit: OrgUnit, valid_until: dt.date) -> OrgUnit:
    """A unit leaves the org: it is covered up to `valid_until` (inclusive). The record stays."""
    org = unit.org
    permissions.require(scope, permissions.ORG_EDIT, org.path)
    _lock_org(org)
    if unit.valid_until is not None:
        raise RuleViolation("ORG-BRANCH-MIN-3", _("该单位已退出（ORG-BRANCH-MIN-3）"), field="valid_until")
    rules.check_units(
        kind=org.kind,
        is_joint=org.is_joint,
        spans=[*_unit_spans(org, without=unit.pk), (unit.valid_from, valid_until)],
    )
    unit.valid_until = valid_until
    with unscoped():
        unit.save(update_fields=["valid_until"])
    warnings_refresh(org.pk)
    record(
        actor=actor,
        action="org.unit_end",
        target=org,
        org_id=org.pk,
        changes={"unit": [unit.name, unit.name], "valid_until": [None, valid_until.isoformat()]},
    )
    return unit


@transaction.atomic
def committee_elect(
    *,
    scope: Scope,
    actor,
    org: Org,
    elected_on: dt.date,
    posts: list[tuple[Any, str]],
    term_years: int | None = None,
) -> OrgCommittee:
    """Record an election (换届): the current committee ends and a new one with its posts begins. The term is
    the org policy's in force on the election day (ORG-TERM); a `term_years` given must equal it."""
    permissions.require(scope, permissions.ORG_EDIT, org.path)
    if org.kind == OrgKind.GROUP:
        raise RuleViolation("ORG-KIND-NESTING", _("党小组不设委员会（ORG-KIND-NESTING）"), field="kind")
    years = rules.term_years(org.kind, org.unit_kind, selectors.policy_for(org, elected_on))
    if term_years is not None and term_years != years:
        raise RuleViolation(
            "ORG-TERM",
            _("本届委员会任期应为%(years)d年（组织工作规则参数，ORG-TERM）") % {"years": years},
            field="term_years",
        )
    held = [member.pk for member, _role in posts]
    if not held:
        raise RuleViolation("ORG-COMMITTEE-7", _("请至少选择一名委员（ORG-COMMITTEE-7）"), field="posts")
    if len(set(held)) != len(held):
        raise RuleViolation("ORG-COMMITTEE-7", _("同一人只能担任一个职务（ORG-COMMITTEE-7）"), field="posts")
    for member, _role in posts:
        if not member.org.path.startswith(org.path):
            raise RuleViolation(
                "ORG-COMMITTEE-7",
                _("%(name)s不是本组织的党员，不能担任委员（ORG-COMMITTEE-7）") % {"name": member.name},
                field="posts",
            )
    with unscoped():
        OrgCommittee.objects.filter(org=org, ended_on__isnull=True).update(ended_on=elected_on)
        CommitteeMember.objects.filter(committee__org=org, ended_on__isnull=True).update(ended_on=elected_on)
        committee = OrgCommittee.objects.create(
            org=org, elected_on=elected_on, term_years=years, term_ends_on=add_years(elected_on, years)
        )
        CommitteeMember.objects.bulk_create(
            [CommitteeMember(committee=committee, member=m, role=r, started_on=elected_on) for m, r in posts]
        )
    if any(r == "secretary" for _m, r in posts) and org.secretary_vacant_since:
        org.secretary_vacant_since = None
        org.save(update_fields=["secretary_vacant_since", "updated_at"])
    warnings_refresh(org.pk)
    record(
        actor=actor,
        action="committee.elect",
        target=org,
        org_id=org.pk,
        changes={
            "elected_on": [None, elected_on.isoformat()],
            "term_years": [None, years],
            "posts": [None, [f"{r}:{m.name}" for m, r in posts]],
        },
    )
    return committee


@transaction.atomic
def committee_term_adjust(
    *,
    scope: Scope,
    actor,
    org: Org,
    kind: str,
    due_on: dt.date,
    approved_by: str,
    document_number: str,
    approved_on: dt.date,
    reason: str = "",
) -> TermAdjustment:
    """Record the upper organization's approval to postpone or advance the election of `org`'s current
    committee (延期 / 提前换届, ORG-TERM): at most one year from the end of the term. The committee's election
    is then due on `due_on` (its stored ORG-TERM warning follows); an earlier decision is superseded, kept."""
    permissions.require(scope, permissions.ORG_EDIT, org.path)
    with unscoped():
        committee = OrgCommittee.objects.select_for_update().filter(org=org, ended_on__isnull=True).first()
    if committee is None:
        raise RuleViolation("ORG-TERM", _("该组织尚未录入委员会，无需调整换届时间（ORG-TERM）"), field="kind")
    rules.check_term_adjustment(
        kind=kind,
        elected_on=committee.elected_on,
        term_ends_on=committee.term_ends_on,
        due_on=due_on,
        approved_by=approved_by,
        document_number=document_number,
        approved_on=approved_on,
        today=timezone.localdate(),
    )
    previous = committee.due_on or committee.term_ends_on
    adjustment = TermAdjustment(
        committee=committee,
        kind=kind,
        due_on=due_on,
        previous_due_on=previous,
        approved_by=approved_by.strip(),
        document_number=document_number.strip(),
        approved_on=approved_on,
        reason=reason.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    with unscoped():
        adjustment.save(force_insert=True)
        committee.due_on = due_on
        committee.save(update_fields=["due_on"])
    warnings_refresh(org.pk)
    record(
        actor=actor,
        action="committee.term_adjust",
        target=org,
        org_id=org.pk,
        changes={
            "kind": [None, kind],
            "due_on": [previous.isoformat(), due_on.isoformat()],
            "approved_by": [None, adjustment.approved_by],
            "document_number": [None, adjustment.document_number],
            "approved_on": [None, approved_on.isoformat()],
        },
    )
    return adjustment


@transaction.atomic
def policy_set(
    *, scope: Scope, actor, org: Org, effective_from: dt.date, note: str = "", **values: Any
) -> OrgPolicy:
    """Set the org policy (组织工作规则参数: committee terms, ORG-TERM; introduction letters,
    MEM-TRANSFER-LETTER) of `org`'s subtree from `effective_from`: a new row, policies are append-only.
    Values not given are those in force for `org` on that date. Org admins of `org` only (ORG-POLICY)."""
    permissions.require(scope, permissions.ADMIN, org.path)
    unknown = sorted(set(values) - set(rules.POLICY_RANGES))
    if unknown:
        raise RuleViolation(
            "ORG-POLICY",
            _("没有这些规则参数：%(names)s（ORG-POLICY）") % {"names": "、".join(unknown)},
            field=unknown[0],
        )
    if not isinstance(effective_from, dt.date):
        raise RuleViolation("ORG-POLICY", _("请填写生效日期（ORG-POLICY）"), field="effective_from")
    data = selectors.policy_values(selectors.policy_for(org, effective_from))
    data.update({k: v for k, v in values.items() if v is not None})
    rules.check_policy(data)
    row = OrgPolicy(
        org=org,
        effective_from=effective_from,
        note=note.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
        **data,
    )
    with unscoped():
        row.save(force_insert=True)
    record(
        actor=actor,
        action="org.policy",
        target=row,
        org_id=org.pk,
        label=f"{org.name} {effective_from.isoformat()}",
        changes={k: [None, v] for k, v in data.items()}
        | {"effective_from": [None, effective_from.isoformat()], "note": [None, row.note]},
    )
    return row


def org_warnings_refresh(
    *,
    scope: Scope,
    actor=None,
    org: Org | None = None,
    on: dt.date | None = None,
    batch_size: int = warning_store.REFRESH_BATCH,
) -> warning_store.Refreshed:
    """Recompute the stored ORG-* warnings of `org`'s subtree (or of the caller's scope) on `on` (today): the
    nightly job for the warnings that come with time (a term ending, a secretary's standing), and the repair
    after rows were written around the services. Idempotent: a second run the same day writes nothing.
    Derived rows, so not audited. For the roles that edit orgs. One transaction per batch."""
    day = on or timezone.localdate()
    if org is not None:
        permissions.require(scope, permissions.ORG_EDIT, org.path)
        prefixes: list[str | None] = [org.path]
    elif scope.is_system:
        prefixes = [None]
    else:
        for root in scope.roots:
            permissions.require(scope, permissions.ORG_EDIT, root)
        prefixes = list(scope.roots)
    done = warning_store.Refreshed()
    for prefix in prefixes:
        done.add(warning_store.refresh_subtree(prefix, on=day, batch_size=batch_size))
    return done
