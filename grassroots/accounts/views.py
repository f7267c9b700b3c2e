"""Signing in and out (the password, then the two-factor code when the user has a device), the account page
(password change, two-factor enrolment and removal) and the administrators' users page (forced password
change). Lockout after repeated failures is django-axes' job (accounts/locked_out.html); a wrong two-factor
code counts as a failure too (accounts.lockout)."""

from __future__ import annotations

import base64

import django_otp
import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from grassroots.core import permissions
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.http import form_view, refusal_message
from grassroots.core.scoping import Scope

from . import lockout, selectors, services, signin


class LoginView(auth_views.LoginView):
    """The password step. A user with a confirmed device is not signed in yet: the code comes next."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if selectors.totp_device(user) is not None:
            signin.begin_pending(self.request, user, self.get_redirect_url())
            return redirect("accounts:otp")
        return super().form_valid(form)


login = LoginView.as_view()
logout = auth_views.LogoutView.as_view()


class CodeForm(forms.Form):
    token = forms.CharField(label=gettext_lazy("动态验证码"), max_length=16, strip=True)


def otp(request):
    """The code step: a wrong code counts toward the lockout (the lockout page follows at the limit)."""
    found = signin.pending(request)
    if found is None:
        signin.end_pending(request)
        return redirect("home" if request.user.is_authenticated else "accounts:login")
    user, backend, next_url = found
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if lockout.is_locked(request, user.get_username()):
            lockout.count_failure(request, user.get_username())
            return render(request, "accounts/otp.html", {"form": form})
        device = selectors.totp_device(user)
        if device is not None and device.verify_token(form.cleaned_data["token"]):
            signin.end_pending(request)
            auth_login(request, user, backend=backend)
            django_otp.login(request, device)
            signin.two_factor_done(request)
            safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
            return redirect(next_url if next_url and safe else "home")
        lockout.count_failure(request, user.get_username())
        form.add_error("token", _("动态验证码不正确"))
    return render(request, "accounts/otp.html", {"form": form})


@login_required
def account(request):
    """The account page: the password, and the two-factor authenticator (enrol or remove)."""
    return render(
        request,
        "accounts/account.html",
        {
            "device": selectors.totp_device(request.user),
            "required": selectors.two_factor_required(request.user),
            "remove_form": RemoveForm(),
            "is_admin": not _admin_scope(request).with_roles(permissions.ADMIN).is_empty,
        },
    )


def _qr_svg(url: str) -> str:
    """The enrolment QR code as inline SVG (no image request, no third party)."""
    return segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


@login_required
def totp(request):
    """Enrol an authenticator: the secret and its QR code, confirmed with a code it shows."""
    form = CodeForm(request.POST or None)
    device = selectors.totp_device(request.user, confirmed=False)
    if device is None or request.method == "GET":
        device = services.totp_start(actor=request.user)

    def act(data):
        confirmed = services.totp_confirm(actor=request.user, token=data["token"])
        django_otp.login(request, confirmed)
        signin.two_factor_done(request)
        return confirmed

    return form_view(
        request,
        form,
        act,
        fields={"token": "token"},
        success="accounts:account",
        message=_("已启用两步验证"),
        template="accounts/totp.html",
        context=lambda: {
            "secret": _spaced(device.bin_key),
            "qr": _qr_svg(device.config_url),
            "required": signin.owed_step(request) == signin.ENROL,
        },
        status=422,
    )


def _spaced(key: bytes) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


class RemoveForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("当前密码"), widget=forms.PasswordInput, strip=False)


@login_required
@require_POST
def totp_remove(request):
    """Remove the authenticator (the current password is asked); back to the account page either way, with
    the refusal as a message when the password is wrong."""
    form = RemoveForm(request.POST)
    password = form.cleaned_data["password"] if form.is_valid() else ""
    try:
        services.totp_remove(actor=request.user, password=password)
    except RuleViolation as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("已停用两步验证"))
    return redirect("accounts:account")


@login_required
def password_change(request):
    """Every signed-in user changes their own password (the current one, then the new one twice); the
    session stays signed in, and the change is audited (accounts.services.password_change). A user an
    administrator flagged is sent here after signing in and reaches nothing else until it is done."""
    form = PasswordChangeForm(request.user, request.POST or None)

    def act(data):
        user = services.password_change(
            actor=request.user, old_password=data["old_password"], new_password=data["new_password1"]
        )
        update_session_auth_hash(request, user)
        return user

    return form_view(
        request,
        form,
        act,
        fields={"new_password": "new_password1"},
        success="home",
        message=_("密码已修改"),
        template="accounts/password_change.html",
        context={"forced": request.user.must_change_password},
    )


def _admin_scope(request) -> Scope:
    return Scope.system(label=request.user.get_username()) if request.user.is_superuser else request.scope


@login_required
def users(request):
    """The users an org admin administers (holding a grant in their subtree), with their two-factor state
    and the forced password change."""
    scope = _admin_scope(request)
    if scope.with_roles(permissions.ADMIN).is_empty:
        raise NotFound
    rows = selectors.administered_users(scope)
    with_device = selectors.users_with_device([u.pk for u in rows])
    return render(
        request,
        "accounts/users.html",
        {"rows": [(u, u.pk in with_device) for u in rows]},
    )


@login_required
def user_password_reset(request, user_id: int):
    """GET: confirm; POST: force the user to change their password at the next sign-in."""
    scope = _admin_scope(request)
    user = selectors.user_get(scope=scope, user_id=user_id, roles=permissions.ADMIN)
    if request.method == "POST":
        services.password_reset_force(scope=scope, actor=request.user, user_id=user.pk)
        messages.success(request, _("已要求 %(user)s 下次登录时修改密码") % {"user": user})
        return redirect("accounts:users")
    return render(request, "accounts/user_password_reset.html", {"target": user})
