"""Signing in at a meeting (MTG-SIGN-IN): the screen shown at the meeting (the rotating code, its QR code and
who has signed in, refreshed by htmx), the member's phone page (today's meetings and a code field) and the QR
code's target (a confirm button). Every sign-in goes through `services.sign_in`."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.core import permissions
from grassroots.core.errors import NotFound
from grassroots.core.http import form_call
from grassroots.members.selectors import own_member

from .. import mine as mine_reads
from .. import selectors, services
from ..choices import SignInMethod

# How often the screen asks for the code and the list (seconds); the code itself changes every step.
SCREEN_POLL_SECONDS = 3


class CodeWidget(forms.TextInput):
    """A short numeric field: the phone opens its number pad."""

    def __init__(self):
        super().__init__(
            attrs={
                "inputmode": "numeric",
                "pattern": "[0-9０-９ ]*",
                "autocomplete": "one-time-code",
                "class": "form-control form-control-lg sign-in-code-input",
                "placeholder": "000000",
                "maxlength": 16,
            }
        )


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("签到码"), max_length=16, widget=CodeWidget())


class SignInForm(CodeForm):
    """The QR code's target: the code (from the QR code, or typed) and how it came."""

    method = forms.ChoiceField(
        choices=[(SignInMethod.CODE, SignInMethod.CODE.label), (SignInMethod.QR, SignInMethod.QR.label)],
        widget=forms.HiddenInput,
    )


class HomeForm(CodeForm):
    """The phone page: one of today's meetings and its code."""

    meeting = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)


def _qr_svg(url: str) -> str:
    """The QR code of the sign-in URL as inline SVG (no image request, no third party)."""
    return segno.make(url, error="m").svg_inline(scale=8, dark="#000", light="#fff", omitsize=True)


def _screen_context(request, meeting) -> dict:
    screen = services.sign_in_screen(scope=request.scope, actor=request.user, meeting=meeting)
    url = request.build_absolute_uri(screen.url) if screen.url else ""
    return {
        "meeting": meeting,
        "screen": screen,
        "qr_url": url,
        "qr_svg": _qr_svg(url) if url else "",
        "signed": selectors.signed_in(meeting),
        "poll": SCREEN_POLL_SECONDS,
    }


@login_required
@require_GET
def sign_in_screen(request, meeting_id):
    """The screen at the meeting (a projector): the code, its QR code, who has signed in — for the convener,
    the recorder and the org's officers."""
    meeting = selectors.meeting_for_screen(scope=request.scope, meeting_id=meeting_id)
    return render(request, "meetings/sign_in_screen.html", _screen_context(request, meeting))


@login_required
@require_GET
def sign_in_code(request, meeting_id):
    """The screen's changing part (htmx polls it): the code, its QR code and who has signed in."""
    meeting = selectors.meeting_for_screen(scope=request.scope, meeting_id=meeting_id)
    return render(request, "meetings/_sign_in_code.html", _screen_context(request, meeting))


def _home_form(meeting_id, data=None) -> HomeForm:
    """The code form of one of today's meetings (its own ids: several may be open at once)."""
    return HomeForm(data, initial={"meeting": meeting_id}, auto_id=f"id_m{meeting_id}_%s")


def _today(request):
    member = own_member(scope=request.scope)
    items = mine_reads.sign_in_today(member, timezone.localdate(), timezone.now()) if member else []
    return member, items


def _home_context(member, items, bound: HomeForm | None = None, bound_id: int | None = None) -> dict:
    return {
        "member": member,
        "items": [
            (
                item,
                (bound if item.meeting.pk == bound_id else _home_form(item.meeting.pk))
                if item.open
                else None,
            )
            for item in items
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def sign_in_home(request):
    """The member's phone page: today's meetings they are expected at, each with its sign-in state; a code
    field for those open now."""
    member, items = _today(request)
    if request.method != "POST":
        return render(request, "meetings/sign_in_home.html", _home_context(member, items))
    meetings = {item.meeting.pk: item.meeting for item in items}
    try:
        meeting_id = int(request.POST.get("meeting", ""))
    except ValueError:
        meeting_id = None
    meeting = meetings.get(meeting_id)
    if meeting is None:  # not one of the member's meetings today
        raise NotFound
    form = _home_form(meeting.pk, request.POST)
    called = form_call(
        form,
        lambda data: services.sign_in(
            scope=request.scope, actor=request.user, meeting=meeting, code=data["code"], method="code"
        ),
    )
    if called.ok:
        messages.success(request, _("签到成功：%(topic)s") % {"topic": meeting.topic})
        return redirect("meetings:sign_in_home")
    member, items = _today(request)
    return render(
        request, "meetings/sign_in_home.html", _home_context(member, items, form, meeting.pk), status=422
    )


def _code_of(request) -> str:
    """The code in the QR code's URL (?c=), if it looks like one."""
    code = (request.GET.get("c") or "").strip()
    return code if code.isascii() and code.isdigit() and len(code) <= 16 else ""


@login_required
@require_http_methods(["GET", "POST"])
def sign_in(request, meeting_id):
    """The QR code's target: a login first (then back here), a confirm button, the sign-in by QR code. Without
    a code in the URL the member types it."""
    scope = request.scope
    meeting = selectors.meeting_for_sign_in(scope=scope, meeting_id=meeting_id)
    member = own_member(scope=scope)
    form = None
    status = 200
    if request.method == "POST":
        form = SignInForm(request.POST)
        called = form_call(
            form,
            lambda data: services.sign_in(
                scope=scope, actor=request.user, meeting=meeting, code=data["code"], method=data["method"]
            ),
        )
        if called.ok:
            messages.success(request, _("签到成功：%(topic)s") % {"topic": meeting.topic})
            return redirect(reverse("meetings:sign_in", args=[meeting.pk]))
        status = 422
    attendance = selectors.attendance_of(meeting, member)
    code = _code_of(request)
    if form is None:
        method = SignInMethod.QR if code else SignInMethod.CODE
        form = SignInForm(initial={"code": code, "method": method})
    window = selectors.window_of(meeting)
    opens_at, closes_at = window.bounds
    context = {
        "meeting": meeting,
        "member": member,
        "attendance": attendance,
        # The meeting's details only for those expected at it (or signed in) and the org's readers.
        "visible": attendance is not None
        or permissions.allows(scope, selectors.MEETING_VIEW, meeting.org.path),
        "confirm": bool(code) and form.initial.get("method") == SignInMethod.QR and not form.is_bound,
        "form": form,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "state": window.state(timezone.now()),
    }
    return render(request, "meetings/sign_in.html", context, status=status)
