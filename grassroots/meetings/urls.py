from django.urls import path

from . import views

app_name = "meetings"
urlpatterns: list = [
    path("org/<str:code>/cadence/", views.cadence_page, name="cadence"),
]
