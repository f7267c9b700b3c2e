from django.urls import path

from . import views

app_name = "meetings"
urlpatterns: list = [
    path("org/<str:code>/cadence/", views.cadence_page, name="cadence"),
    path("register/<str:code>/", views.register, name="register"),
    path("register/<str:code>/print/", views.register_print, name="register_print"),
    path("register/<str:code>/xlsx/", views.register_xlsx, name="register_xlsx"),
    path("mine/", views.mine, name="mine"),
    path("notices/<int:notice_id>/", views.notice, name="notice"),
    path("feeds/", views.feed_list, name="feeds"),
    path("feeds/new/", views.feed_create, name="feed_create"),
    path("feeds/<int:feed_id>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("ical/<str:token>.ics", views.ical, name="ical"),
    path("policy/<str:code>/", views.policy, name="policy"),
    path("talks/<str:code>/", views.talks, name="talks"),
    path("lapse/<str:code>/", views.lapse, name="lapse"),
]
