from django.urls import path

from . import views

app_name = "meetings"
urlpatterns: list = [
    path("<int:meeting_id>/minutes/", views.minutes, name="minutes"),
    path("<int:meeting_id>/minutes/save/", views.minutes_save, name="minutes_save"),
    path("<int:meeting_id>/minutes/finalize/", views.minutes_finalize, name="minutes_finalize"),
    path("<int:meeting_id>/minutes/confirm/", views.minutes_confirm, name="minutes_confirm"),
    path("<int:meeting_id>/minutes/amendments/", views.amendment_add, name="amendment_add"),
    path("<int:meeting_id>/votes/", views.vote_record, name="vote_record"),
    path("<int:meeting_id>/appraisal/", views.appraisal_record, name="appraisal_record"),
]
