from django.urls import path

from . import views

app_name = "workcalendar"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("days/add", views.day_add, name="day_add"),
    path("days/remove", views.day_remove, name="day_remove"),
    path("schedule", views.schedule_enter, name="schedule"),
    path("confirm", views.year_confirm, name="confirm"),
]
