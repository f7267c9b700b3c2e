"""The home page: to-do first, per grant. Reports compose the apps below them; nothing imports reports."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from grassroots.accounts.selectors import grants_of
from grassroots.core import permissions, todo
from grassroots.members import selectors as member_selectors
from grassroots.orgs import selectors as org_selectors
from grassroots.recruitment import selectors as recruitment_selectors


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
    as_of: object = None  # the day the stored warnings were computed (the oldest row)


# Roles whose grants show the org's warnings and counts on the home page: those who act on or oversee them.
ACTING_ROLES = permissions.MEMBER_VIEW


@dataclass(frozen=True)
class Concerning:
    """What concerns a member themself: their record, their letter in progress, the dossier that made them a
    member (while probationary, its road to conversion), their committee posts."""

    member: object
    transfers: list
    dossier: object
    posts: list


def _concerning(scope, member) -> Concerning:
    dossier = recruitment_selectors.dossier_of_member(scope=scope, member_id=member.pk)
    return Concerning(
        member=member,
        transfers=member_selectors.open_transfers_of(scope=scope, member=member),
        dossier=dossier if dossier is not None and dossier.converted_on is None else None,
        posts=org_selectors.posts_held(scope=scope, member_id=member.pk),
    )


# Grants on these kinds see their own org's warnings; grants higher up see a summary of the subtree.
OWN_VIEW_KINDS = frozenset({"branch", "group"})
# Items per to-do category shown on the home page; each category's list has the rest.
TODO_LIMIT = 10


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
        # A member-role grant reads the org but acts on none of its warnings: those stay off their home.
        if org.pk in seen or org.ended_on is not None or grant.role not in ACTING_ROLES:
            continue
        seen.add(org.pk)
        counts = member_selectors.subtree_member_counts(scope=scope, org=org)
        if org.kind in OWN_VIEW_KINDS:
            warnings = org_selectors.org_warnings(scope=scope, org=org, on=today)
            todos.append(OrgTodo(org=org, counts=counts, warnings=warnings))
            continue
        found = org_selectors.warning_counts(scope=scope, org=org)
        todos.append(
            SubtreeTodo(
                org=org,
                counts=counts,
                rules=[(rule_id, label, found.by_rule[rule_id]) for rule_id, label in WARNING_RULES.items()],
                orgs_warned=found.orgs_warned,
                orgs_total=found.orgs_total,
                own_warnings=org_selectors.stored_warnings(scope=scope, orgs=[org]).get(org.pk, []),
                as_of=found.as_of,
            )
        )
    own_member = member_selectors.own_member(scope=scope)
    incoming_letters = member_selectors.transfers_incoming_count(scope=scope)
    due = todo.collect(scope=scope, org=None, today=today, limit=TODO_LIMIT)
    context = {
        "todos": todos,
        "incoming_letters": incoming_letters,
        "todo_sections": todo.sections(due, TODO_LIMIT),
        "warning_count": incoming_letters
        + due.total
        + sum(t.orgs_warned if isinstance(t, SubtreeTodo) else len(t.warnings) for t in todos),
        "grants": grants,
        "own_member": own_member,
        "mine": _concerning(scope, own_member) if own_member else None,
        "can_view_members": not scope.with_roles(permissions.MEMBER_VIEW).is_empty,
    }
    return render(request, "reports/home.html", context)
