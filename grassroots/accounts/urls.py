from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/otp/", views.otp, name="otp"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("account/", views.account, name="account"),
    path("account/two-factor/", views.totp, name="totp"),
    path("account/two-factor/remove/", views.totp_remove, name="totp_remove"),
    path("users/", views.users, name="users"),
    path("users/<int:user_id>/password-reset/", views.user_password_reset, name="user_password_reset"),
]
