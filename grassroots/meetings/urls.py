from django.urls import path

from . import views

app_name = "meetings"
urlpatterns: list = [
    path("policy/<str:code>/", views.policy, name="policy"),
    path("talks/<str:code>/", views.talks, name="talks"),
    path("lapse/<str:code>/", views.lapse, name="lapse"),
]
