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

from . import registry, rules, warning_store
from .choices import OrgKind
from .models import CommitteeMember, Org, OrgCommittee, OrgUnit

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


@transaction.atomic
def org_unit_add(*, scope: Scope, actor, org: Org, name: str, unit_kind: str, **fields: Any) -> OrgUnit:
    permissions.require(scope, permissions.ORG_EDIT, org.path)
    if org.is_joint:
        rules.check_joint_units(org.units.count() + 1)
    unit = OrgUnit.objects.create(org=org, name=name, unit_kind=unit_kind, **fields)
    warnings_refresh(org.pk)
    record(actor=actor, action="org.unit_add", target=org, org_id=org.pk, changes={"unit": [None, name]})
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
    """Record an election (换届): the current committee ends and a new one with its posts begins."""
    permissions.require(scope, permissions.ORG_EDIT, org.path)
    if org.kind == OrgKind.GROUP:
        raise RuleViolation("ORG-KIND-NESTING", _("党小组不设委员会（ORG-KIND-NESTING）"), field="kind")
    years = term_years or rules.term_years(org.kind, org.unit_kind)
    for member, _role in posts:
        if not member.org.path.startswith(org.path):
            raise RuleViolation(
                "ORG-COMMITTEE-7",
                _("%(name)s不是本组织的党员，不能担任委员（ORG-COMMITTEE-7）") % {"name": member.name},
                field="posts",
            )
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
