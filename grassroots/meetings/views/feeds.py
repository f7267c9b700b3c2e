"""The caller's iCalendar feeds (日历订阅): the list, making one (its URL shown once), revoking one; and the
public feed itself (`/meetings/ical/<token>.ics`, no session: the token is the credential, see meetings.feeds)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.core.errors import RuleViolation
from grassroots.core.http import form_call
from grassroots.members.selectors import own_member
from grassroots.orgs import selectors as org_selectors
from grassroots.orgs.models import Org

from .. import feeds, services
from ..selectors import MEETING_EDIT


class FeedForm(forms.Form):
    scope = forms.ChoiceField(
        label=gettext_lazy("订阅范围"),
        choices=[("member", gettext_lazy("我的会议")), ("org", gettext_lazy("本组织的会议"))],
    )
    org = forms.CharField(label=gettext_lazy("组织代码"), max_length=40, required=False)


def _editable_orgs(scope) -> list[Org]:
    """The orgs of the caller's grants where they may make the org's feed."""
    ids = [g.org_id for g in scope.with_roles(MEETING_EDIT).grants]
    if not ids:
        return []
    return list(Org.objects.within(scope).filter(pk__in=ids, ended_on__isnull=True).order_by("path"))


def _feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("meetings:ical", args=[token]))


def _context(request, **extra) -> dict:
    scope = request.scope
    return {
        "feeds": feeds.feeds_of(scope=scope, user=request.user),
        "own_member": own_member(scope=scope),
        "orgs": _editable_orgs(scope),
        "org_code": request.GET.get("org", ""),
    } | extra


@login_required
@require_GET
def feed_list(request):
    """The caller's live feeds, and the buttons to make one of their own meetings or of an org's."""
    return render(request, "meetings/feeds.html", _context(request))


@login_required
@require_POST
def feed_create(request):
    """Make a feed and show its URL once (only its keyed hash is kept)."""
    scope = request.scope
    form = FeedForm(request.POST)

    def act(data):
        if data["scope"] == "member":
            member = own_member(scope=scope)
            if member is None:
                raise RuleViolation("MTG-FEED", _("您的账号尚未关联党员档案，无法订阅本人的会议（MTG-FEED）"))
            return services.feed_create(scope=scope, actor=request.user, member=member)
        org = org_selectors.org_get(scope=scope, code=data["org"], roles=MEETING_EDIT)
        return services.feed_create(scope=scope, actor=request.user, org=org)

    called = form_call(form, act)
    if not called.ok:
        return render(request, "meetings/feeds.html", _context(request, form=form))
    new = called.result
    return render(
        request,
        "meetings/feeds.html",
        _context(request, new_feed=new.feed, new_url=_feed_url(request, new.token)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def feed_revoke(request, feed_id):
    """Confirm, then revoke a feed: its URL stops working."""
    feed = feeds.feed_get(scope=request.scope, feed_id=feed_id)
    if request.method == "POST":
        services.feed_revoke(scope=request.scope, actor=request.user, feed=feed)
        messages.success(request, _("日历订阅已停用，原订阅链接不再有效"))
        return redirect("meetings:feeds")
    return render(request, "meetings/feed_revoke.html", {"feed": feed})


@require_GET
def ical(request, token):
    """The feed (text/calendar) for calendar programs: no session, the token is the credential; 404 when the
    token is unknown or revoked."""
    feed = feeds.feed_by_token(token)
    name = _("我的会议") if feed.member_id else _("%(org)s 会议") % {"org": feed.org.name}
    body = feeds.calendar_bytes(feed, name, timezone.localdate())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
