from django.urls import path

from . import views

app_name = "meetings"
urlpatterns: list = [
    path("", views.index, name="index"),
    path("org/<str:code>/", views.meeting_list, name="list"),
    path("org/<str:code>/new/", views.meeting_create, name="create"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path("<int:meeting_id>/held/", views.meeting_hold, name="held"),
    path("<int:meeting_id>/cancel/", views.meeting_cancel, name="cancel"),
    path(
        "<int:meeting_id>/attendance/<int:attendance_id>/", views.attendance_record, name="attendance_record"
    ),
    path("<int:meeting_id>/guests/", views.guest_add, name="guest_add"),
    path("<int:meeting_id>/leave/", views.leave, name="leave"),
    path("<int:meeting_id>/documents/", views.document_add, name="document_add"),
    path(
        "<int:meeting_id>/documents/<int:document_id>/withdraw/",
        views.document_withdraw,
        name="document_withdraw",
    ),
    path("<int:meeting_id>/leave/<int:attendance_id>/", views.leave_decide, name="leave_decide"),
    path("org/<str:code>/cadence/", views.cadence_page, name="cadence"),
    path("register/<str:code>/", views.register, name="register"),
    path("register/<str:code>/print/", views.register_print, name="register_print"),
    path("register/<str:code>/xlsx/", views.register_xlsx, name="register_xlsx"),
    path("mine/", views.mine, name="mine"),
    path("sign-in/", views.sign_in_home, name="sign_in_home"),
    path("<int:meeting_id>/sign-in/", views.sign_in, name="sign_in"),
    path("<int:meeting_id>/sign-in/screen/", views.sign_in_screen, name="sign_in_screen"),
    path("<int:meeting_id>/sign-in/screen/code/", views.sign_in_code, name="sign_in_code"),
    path("notices/<int:notice_id>/", views.notice, name="notice"),
    path("feeds/", views.feed_list, name="feeds"),
    path("feeds/new/", views.feed_create, name="feed_create"),
    path("feeds/<int:feed_id>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("ical/<str:token>.ics", views.ical, name="ical"),
    path("policy/<str:code>/", views.policy, name="policy"),
    path("talks/<str:code>/", views.talks, name="talks"),
    path("lapse/<str:code>/", views.lapse, name="lapse"),
    path("<int:meeting_id>/minutes/", views.minutes, name="minutes"),
    path("<int:meeting_id>/minutes/save/", views.minutes_save, name="minutes_save"),
    path("<int:meeting_id>/minutes/finalize/", views.minutes_finalize, name="minutes_finalize"),
    path("<int:meeting_id>/minutes/confirm/", views.minutes_confirm, name="minutes_confirm"),
    path("<int:meeting_id>/minutes/amendments/", views.amendment_add, name="amendment_add"),
    path("<int:meeting_id>/votes/", views.vote_record, name="vote_record"),
    path("<int:meeting_id>/appraisal/", views.appraisal_record, name="appraisal_record"),
]
