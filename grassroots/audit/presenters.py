"""Audit events made readable for the history panel every record page shares: field names as the forms
say them, choice labels instead of codes, and the names of related records (an org, a party group) instead
of their ids — read through each related model's own scoped manager, so a name the caller may not see stays
an id."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.scoping import Scope

from .services import REDACTED

# Who wrote a record without a signed-in user (a seed, a command run by the operator).
SYSTEM_ACTOR = gettext_lazy("系统")

# Labels for changed keys that are not model fields.
EXTRA_FIELD_LABELS = {
    "id_number": gettext_lazy("身份证号"),
    "org": gettext_lazy("所在党组织"),
    "party_group": gettext_lazy("党小组"),
    "parent": gettext_lazy("上级党组织"),
    "path": gettext_lazy("树路径"),
    "transfer": gettext_lazy("介绍信"),
    "to": gettext_lazy("接收党组织"),
    "restored_on": gettext_lazy("恢复日期"),
    "receipt_returned_on": gettext_lazy("回执退回日期"),
    "posts": gettext_lazy("委员"),
    "elected_on": gettext_lazy("选举日期"),
    "term_years": gettext_lazy("任期（年）"),
    "unit": gettext_lazy("所在单位"),
    "username": gettext_lazy("用户名"),
    "user": gettext_lazy("用户"),
    "role": gettext_lazy("角色"),
    "revoked": gettext_lazy("已撤销"),
    "subject": gettext_lazy("所属记录"),
    "days": gettext_lazy("日期"),
    "voided": gettext_lazy("作废的步骤（序号）"),
    "reason": gettext_lazy("理由"),
    # The summary of a seed run (demo.seeder).
    "scale": gettext_lazy("规模"),
    "seed": gettext_lazy("随机种子"),
    "as_of": gettext_lazy("数据截至"),
    "orgs": gettext_lazy("党组织数"),
    "members": gettext_lazy("党员数"),
    "applicants": gettext_lazy("入党申请人数"),
    "replaced": gettext_lazy("替换原有数据"),
    # Exports of personal data and searches by ID number (members.disclosures).
    "rows": gettext_lazy("导出行数"),
    "clear_id_numbers": gettext_lazy("含完整身份证号"),
    "tail": gettext_lazy("按身份证号后四位"),
}
# Keys stored for the record's sake that people do not read: the org tree's materialized path (a move shows
# its new parent instead).
INTERNAL_KEYS = {"path", "export", "scope", "list", "query_hash"}
# Keys whose values are login names: shown as the person's name (the account's display name) where it has one.
LOGIN_NAME_KEYS = {"user"}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    actor: str
    action: str
    changes: list[Change]


def _model_of(event) -> type[models.Model] | None:
    return apps.get_model(event.target_type) if "." in event.target_type else None


def _field(model, key: str):
    """The model field a change is keyed by; None for other keys (a seed's "members" count names a reverse
    relation of Org, which is not a field of the record)."""
    try:
        field = model._meta.get_field(key) if model else None
    except FieldDoesNotExist:
        return None
    return None if field is not None and field.auto_created and not field.concrete else field


def _named_relation(field) -> type[models.Model] | None:
    """The related model of a foreign key whose rows are read through a scoped manager (org-owned data)."""
    if field is None or not field.is_relation or field.related_model is None:
        return None
    related = field.related_model
    return related if hasattr(related._default_manager, "within") else None


def _related_names(scope: Scope, events) -> dict[type[models.Model], dict[Any, str]]:
    """The names of every related record the events mention, one query per related model, within `scope`."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for event in events:
        model = _model_of(event)
        for key, pair in event.changes.items():
            related = _named_relation(_field(model, key))
            if related is not None:
                values = pair if isinstance(pair, list) else [pair]
                wanted[related].update(v for v in values if isinstance(v, int) and not isinstance(v, bool))
    return {
        related: {row.pk: str(row) for row in related._default_manager.within(scope).filter(pk__in=ids)}
        for related, ids in wanted.items()
        if ids
    }


def _display(field, value, names: dict[type[models.Model], dict[Any, str]]) -> str:
    if value is None or value == "":
        return "—"
    if value == REDACTED:
        return REDACTED
    if isinstance(value, bool):
        return _("是") if value else _("否")
    related = _named_relation(field)
    if related is not None:
        return names.get(related, {}).get(value, f"#{value}")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _people_named(events) -> dict[str, str]:
    """Login name → display name for the accounts the events name (one query, none without such keys)."""
    logins = {
        v
        for event in events
        for key, pair in event.changes.items()
        if key in LOGIN_NAME_KEYS and isinstance(pair, list)
        for v in pair
        if isinstance(v, str) and v
    }
    if not logins:
        return {}
    users = get_user_model().objects.filter(username__in=logins).exclude(display_name="")
    return dict(users.values_list("username", "display_name"))


def history_entries(
    *, scope: Scope, events, named: dict[str, dict[Any, str]] | None = None
) -> list[HistoryEntry]:
    """Audit events made readable: field verbose names, choice labels, related records' names. `named` gives
    the caller's names for values stored by key (an org's parent is stored by its code: {"parent": {code:
    name}}), so a value people would not read (a code) is shown as the name it stands for."""
    named = named or {}
    names = _related_names(scope, events)
    people = _people_named(events)
    out = []
    for event in events:
        model = _model_of(event)
        changes = []
        for key, pair in sorted(event.changes.items()):
            if key in INTERNAL_KEYS:
                continue
            if key in LOGIN_NAME_KEYS and isinstance(pair, list):
                pair = [people.get(v, v) for v in pair]
            if key in named and isinstance(pair, list):
                pair = [named[key].get(v, v) for v in pair]
            field = _field(model, key)
            label = str(EXTRA_FIELD_LABELS.get(key) or (field.verbose_name if field else key))
            before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
            if before in (None, "") and after in (None, "", False):
                continue  # an empty field on a new record says nothing
            changes.append(Change(key, label, _display(field, before, names), _display(field, after, names)))
        # audit.services.record labels a write without a user "system": people read 系统.
        actor = event.actor_label if event.actor_id or event.actor_label != "system" else str(SYSTEM_ACTOR)
        out.append(HistoryEntry(at=event.at, actor=actor, action=event.action, changes=changes))
    return out
