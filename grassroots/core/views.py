"""The home page (to-do list per grant) and the history presenter every record page shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.accounts import permissions
from grassroots.accounts.selectors import grants_of
from grassroots.audit.services import REDACTED
from grassroots.core import todo
from grassroots.core.scoping import Scope
from grassroots.members import selectors as member_selectors
from grassroots.orgs import selectors as org_selectors

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
}


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


def _display(field, value, org_names: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if value == REDACTED:
        return REDACTED
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field is not None:
        if (
            field.is_relation
            and field.related_model is not None
            and field.related_model._meta.label_lower == "orgs.org"
        ):
            return org_names.get(value, f"#{value}")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def history_entries(*, scope: Scope, events) -> list[HistoryEntry]:
    """Audit events made readable: field verbose names, choice labels, org names instead of ids."""
    org_ids = set()
    for event in events:
        for key, pair in event.changes.items():
            if key in ("org", "party_group"):
                org_ids.update(v for v in pair if isinstance(v, int))
    org_names = org_selectors.org_names(scope=scope, ids=org_ids)
    out = []
    for event in events:
        model = apps.get_model(event.target_type) if "." in event.target_type else None
        changes = []
        for key, pair in sorted(event.changes.items()):
            try:
                field = model._meta.get_field(key) if model else None
            except FieldDoesNotExist:
                field = None
            label = str(EXTRA_FIELD_LABELS.get(key) or (field.verbose_name if field else key))
            before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
            if before in (None, "") and after in (None, "", False):
                continue  # an empty field on a new record says nothing
            changes.append(
                Change(key, label, _display(field, before, org_names), _display(field, after, org_names))
            )
        out.append(HistoryEntry(at=event.at, actor=event.actor_label, action=event.action, changes=changes))
    return out


@dataclass(frozen=True)
class OrgTodo:
    """A branch (or group) grant: the org's own warnings."""

    org: object
    counts: dict
    warnings: list


@dataclass(frozen=True)
class SubtreeTodo:
    """An upper-org grant: how many orgs of the subtree have each warning rule, linking to the list."""

    org: object
    counts: dict
    rules: list  # (rule_id, label, number of orgs)
    orgs_warned: int
    orgs_total: int
    own_warnings: list


# Grants on these kinds see their own org's warnings; grants higher up see a summary of the subtree.
OWN_VIEW_KINDS = frozenset({"branch", "group"})
# Items per to-do category shown on the home page; each category's list has the rest.
TODO_LIMIT = 10


@dataclass(frozen=True)
class TodoSection:
    """One category of the to-do registry (core.todo) as a panel: the count and the most urgent items."""

    count: todo.CategoryCount
    items: list[todo.TodoItem]


def todo_sections(todos: todo.Todos, limit: int | None = None) -> list[TodoSection]:
    return [
        TodoSection(count=c, items=[i for i in todos.items if i.category == c.category][:limit])
        for c in todos.counts
        if c.total
    ]


@login_required
def home(request):
    """To-do first: per granted org, what needs doing. A fixed number of queries per grant."""
    from grassroots.orgs.rules import WARNING_RULES

    scope = request.scope
    today = timezone.localdate()
    grants = grants_of(request.user)
    todos, seen = [], set()
    for grant in grants:
        org = grant.org
        if org.pk in seen or org.ended_on is not None:
            continue
        seen.add(org.pk)
        counts = member_selectors.subtree_member_counts(scope=scope, org=org)
        if org.kind in OWN_VIEW_KINDS:
            warnings = org_selectors.org_warnings(scope=scope, org=org, on=today)
            todos.append(OrgTodo(org=org, counts=counts, warnings=warnings))
            continue
        rows = org_selectors.subtree_warnings(scope=scope, org=org, on=today)
        summary = org_selectors.warning_summary(rows)
        todos.append(
            SubtreeTodo(
                org=org,
                counts=counts,
                rules=[(rule_id, label, summary.get(rule_id, 0)) for rule_id, label in WARNING_RULES.items()],
                orgs_warned=sum(1 for _o, w in rows if w),
                orgs_total=len(rows),
                own_warnings=next((w for o, w in rows if o.pk == org.pk), []),
            )
        )
    own_member = member_selectors.member_of_user(scope=scope)
    incoming_letters = member_selectors.transfers_incoming_count(scope=scope)
    due = todo.collect(scope=scope, org=None, today=today, limit=TODO_LIMIT)
    context = {
        "todos": todos,
        "incoming_letters": incoming_letters,
        "todo_sections": todo_sections(due, TODO_LIMIT),
        "warning_count": incoming_letters
        + due.total
        + sum(t.orgs_warned if isinstance(t, SubtreeTodo) else len(t.warnings) for t in todos),
        "grants": grants,
        "own_member": own_member,
        "can_view_members": any(g.role in permissions.MEMBER_VIEW for g in scope.grants) or scope.is_system,
    }
    return render(request, "core/home.html", context)
