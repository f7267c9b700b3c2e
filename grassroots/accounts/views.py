"""Signing in and out, and changing one's own password. Lockout after repeated failures is django-axes' job
(accounts/locked_out.html)."""

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext as _

from grassroots.core.http import form_view

from . import services

login = auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)
logout = auth_views.LogoutView.as_view()


@login_required
def password_change(request):
    """Every signed-in user changes their own password (the current one, then the new one twice); the
    session stays signed in, and the change is audited (accounts.services.password_change)."""
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
        context={},
    )
