"""Org pages: the tree browser, the org page with its panels, history, and the edit/create/move forms."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grassroots.audit.presenters import history_entries
from grassroots.audit.selectors import history_for
from grassroots.core import permissions, summaries, todo, xlsx
from grassroots.core.errors import NotFound
from grassroots.core.http import form_view, picker_answer, picker_text
from grassroots.core.pagination import Counted

from . import ledgers, registry, rules, selectors, services
from .filters import OrgFilter
from .forms import CommitteeElectForm, OrgCreateForm, OrgForm, OrgMoveForm

WARNINGS_PAGE_SIZE = 100


def _child_rows(scope, org, children=None, member_list=None):
    """Direct children (`children`, else read here) with their active member counts (one grouped query for
    all of them); with `member_list(org, status)` (the member pages' address builder), each count's link to
    the register."""
    counts = selectors.child_member_counts(scope=scope, org=org)
    rows = []
    for child in selectors.org_children(scope=scope, org=org) if children is None else children:
        by_status = counts.get(child.path, {})
        rows.append(
            {
                "org": child,
                "full": by_status.get("full", 0),
                "probationary": by_status.get("probationary", 0),
                "active": sum(by_status.values()),
                "urls": _count_urls(member_list, child, ("full", "probationary")) if member_list else None,
            }
        )
    return rows


def _count_urls(member_list, org, statuses) -> dict[str, str]:
    """The member register of `org`'s subtree ("active": all of it) and of each of `statuses`."""
    return {"active": member_list(org, "")} | {status: member_list(org, status) for status in statuses}


@login_required
@require_GET
def tree(request):
    scope = request.scope
    roots = []
    for org in OrgFilter(scope=scope).qs:
        roots.append({"org": org, "active": selectors.subtree_member_counts(scope=scope, org=org)["active"]})
    return render(request, "orgs/tree.html", {"roots": roots})


@login_required
@require_GET
def children(request, code):
    """The next level of the tree under one org, loaded lazily by htmx."""
    level = OrgFilter({"parent": code}, scope=request.scope)
    rows = _child_rows(request.scope, level.parent, level.qs)
    return render(request, "orgs/tree.html#children", {"rows": rows})


@login_required
@require_GET
def search(request):
    """Org switcher: a short list of orgs by name or code, as an htmx fragment."""
    q = request.GET.get("q", "")
    results = selectors.org_search(scope=request.scope, q=q, limit=15)
    return render(request, "orgs/_search_results.html", {"results": results, "q": q.strip()})


def _org_context(request, org) -> dict:
    scope = request.scope
    return {
        "org": org,
        "ancestors": selectors.org_ancestors(scope=scope, org=org),
        "can_edit": permissions.allows(scope, permissions.ORG_EDIT, org.path),
        "can_admin": permissions.allows(scope, permissions.ADMIN, org.path),
        "can_view_members": permissions.allows(scope, permissions.MEMBER_VIEW, org.path),
        "can_view_history": permissions.allows(scope, permissions.AUDIT_VIEW, org.path),
        # The tabs of the apps above orgs (members, recruitment): orgs.registry.
        "org_tabs": registry.org_links(registry.TAB, scope=scope, org=org),
    }


# The org page lists the most urgent items of each category; "查看全部" opens the full list.
ORG_TODO_LIMIT = 10


@login_required
@require_GET
def detail(request, code):
    scope = request.scope
    org = selectors.org_get(scope=scope, code=code)
    committee = selectors.current_committee(scope=scope, org=org)
    today = timezone.localdate()
    context = _org_context(request, org)
    # Links into the member register, for those who read members and where the members app registered it.
    pages = registry.member_pages() if context["can_view_members"] else None
    member_list = pages.list_urls() if pages else None
    posts = selectors.committee_posts(scope=scope, committee=committee) if committee else []
    # The to-do of the subtree, from every app that registered one (core.todo); for those who read members.
    due = (
        todo.collect(scope=scope, org=org, today=today, limit=ORG_TODO_LIMIT)
        if context["can_view_members"]
        else None
    )
    context |= {
        "todo_sections": todo.sections(due, limit=ORG_TODO_LIMIT) if due else [],
        "todo_total": due.total if due else 0,
        "summaries": summaries.for_org(scope=scope, org=org),
        "warnings": selectors.org_warnings(scope=scope, org=org, on=today),
        "committee": committee,
        "posts": [{"post": p, "url": pages.detail_url(p.member_id) if pages else None} for p in posts],
        "counts": selectors.subtree_member_counts(scope=scope, org=org),
        "count_urls": (
            _count_urls(member_list, org, ("full", "probationary", "suspended")) if member_list else None
        ),
        "member_actions": registry.org_links(registry.ACTION, scope=scope, org=org),
        "children": _child_rows(scope, org, member_list=member_list),
    }
    return render(request, "orgs/detail.html", context)


@login_required
@require_GET
def warnings(request, code):
    """The ORG-* warnings of the whole subtree, one line per org, filtered by rule; ?format=xlsx exports."""
    scope = request.scope
    org = selectors.org_get(scope=scope, code=code)
    today = timezone.localdate()
    rule = request.GET.get("rule", "")
    if rule not in rules.WARNING_RULES:
        rule = ""
    found = selectors.warning_counts(scope=scope, org=org)
    listed = selectors.warned_orgs(scope=scope, org=org, rule=rule)
    if request.GET.get("format") == "xlsx":
        orgs = list(listed)
        shown = selectors.stored_warnings(scope=scope, orgs=orgs, rule=rule)
        parents = selectors.subtree_names(scope=scope, org=org, paths={o.parent_path for o in orgs})
        file = ledgers.warnings_workbook(
            org=org, rows=[(o, shown.get(o.pk, [])) for o in orgs], rule=rule, parents=parents, on=today
        )
        return xlsx.response(
            file,
            filename=_("%(org)s-组织提醒-%(date)s.xlsx") % {"org": org.name, "date": today.isoformat()},
            fallback=f"org-warnings-{org.code}-{today.isoformat()}.xlsx",
        )
    # The number of orgs listed is known from the counts: the page is one sliced query, without a COUNT.
    total = found.by_rule[rule] if rule else found.orgs_warned
    page = Paginator(Counted(listed, total), WARNINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    orgs = list(page.object_list)
    shown = selectors.stored_warnings(scope=scope, orgs=orgs, rule=rule)
    page.object_list = [(o, shown.get(o.pk, [])) for o in orgs]
    context = _org_context(request, org) | {
        "page": page,
        "rule": rule,
        "rules": [(rule_id, label, found.by_rule[rule_id]) for rule_id, label in rules.WARNING_RULES.items()],
        "orgs_warned": found.orgs_warned,
        "orgs_total": found.orgs_total,
        "parents": selectors.subtree_names(scope=scope, org=org, paths={o.parent_path for o in orgs}),
        "today": today,
        "as_of": found.as_of,
    }
    return render(request, "orgs/warnings.html", context)


@login_required
@require_GET
def history(request, code):
    scope = request.scope
    org = selectors.org_get(scope=scope, code=code)
    events = history_for(scope=scope, target_type="orgs.org", target_id=org.pk, path=org.path)
    context = _org_context(request, org) | {"entries": history_entries(scope=scope, events=events)}
    return render(request, "orgs/history.html", context)


def _to_org(org) -> str:
    return reverse("orgs:detail", args=[org.code])


@login_required
def edit(request, code):
    scope = request.scope
    org = selectors.org_get(scope=scope, code=code, roles=permissions.ORG_EDIT)
    return form_view(
        request,
        OrgForm(request.POST or None, initial=OrgForm.initial_from(org)),
        lambda data: services.org_update(scope=scope, actor=request.user, org=org, **data),
        success=_to_org,
        message=_("组织信息已保存"),
        template="orgs/form.html",
        context=lambda: _org_context(request, org) | {"title": _("修改组织信息")},
    )


@login_required
def create_child(request, code):
    scope = request.scope
    parent = selectors.org_get(scope=scope, code=code, roles=permissions.ADMIN)
    return form_view(
        request,
        OrgCreateForm(request.POST or None, initial={"unit_kind": parent.unit_kind, "kind": "branch"}),
        lambda data: services.org_create(scope=scope, actor=request.user, parent=parent, **data),
        success=_to_org,
        message=_("已新建下级组织"),
        template="orgs/form.html",
        context=lambda: _org_context(request, parent) | {"title": _("新建下级组织")},
    )


@login_required
@require_GET
def move_parents(request, code):
    """The org picker of the move form: orgs `code` may be moved under, by name, pinyin or initials."""
    scope = request.scope
    org = selectors.org_get(scope=scope, code=code, roles=permissions.ADMIN)
    results = selectors.move_destinations(scope=scope, org=org, q=picker_text(request))
    return picker_answer(request, results, default_field="parent_code")


@login_required
def move(request, code):
    scope = request.scope
    org = selectors.org_get(scope=scope, code=code, roles=permissions.ADMIN)

    def act(data):
        new_parent = selectors.org_get(scope=scope, code=data["parent_code"].strip())
        return services.org_move(scope=scope, actor=request.user, org=org, new_parent=new_parent)

    return form_view(
        request,
        OrgMoveForm(request.POST or None, picker_url=reverse("orgs:move_parents", args=[org.code])),
        act,
        refusals={
            NotFound: ("parent_code", _("找不到该组织代码，或该组织不在您的管理范围内")),
            PermissionDenied: ("parent_code", _("您无权将组织调整到该上级组织下")),
        },
        success=_to_org,
        message=_("已调整上级组织"),
        template="orgs/form.html",
        context=lambda: _org_context(request, org) | {"title": _("调整上级组织")},
    )


@login_required
def elect(request, code):
    """Record a committee election (换届): the date, the term and the posts, from the org's members."""
    from .forms import ELECT_POSTS

    scope = request.scope
    org = selectors.org_get(scope=scope, code=code, roles=permissions.ORG_EDIT)
    today = timezone.localdate()
    initial = {"elected_on": today, "term_years": rules.term_years(org.kind, org.unit_kind)}
    committee = selectors.current_committee(scope=scope, org=org)
    if committee is not None:  # a re-election usually keeps most of the committee: start from it
        for post in selectors.committee_posts(scope=scope, committee=committee):
            several = dict(ELECT_POSTS).get(post.role)
            if several:
                initial.setdefault(post.role, []).append(str(post.member_id))
            elif several is False:
                initial[post.role] = str(post.member_id)
    form = CommitteeElectForm(
        request.POST or None,
        initial=initial,
        candidates=registry.committee_candidates().candidates(scope=scope, org=org),
        today=today,
    )

    def act(data):
        posts = form.posts()
        members = registry.committee_candidates().chosen(scope=scope, ids=[pk for pk, _r in posts])
        return services.committee_elect(
            scope=scope,
            actor=request.user,
            org=org,
            elected_on=data["elected_on"],
            term_years=data["term_years"],
            posts=[(members[pk], role) for pk, role in posts],
        )

    return form_view(
        request,
        form,
        act,
        success=_to_org(org),
        message=_("已录入换届选举结果"),
        template="orgs/elect.html",
        context=lambda: (
            _org_context(request, org)
            | {
                "title": _("换届选举"),
                "committee": committee,
                "post_fields": [form[role] for role, _several in ELECT_POSTS],
            }
        ),
    )
