from django.urls import path

from . import views

app_name = "recruitment"
urlpatterns = [
    path("", views.board, name="board"),
    path("ledger/", views.ledger, name="ledger"),
    path("new/<str:code>/", views.create, name="create"),
    path("policy/<str:code>/", views.policy, name="policy"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/event/", views.event, name="event"),
    path("<int:pk>/event/<int:event_id>/void/", views.event_void, name="event_void"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_id>/withdraw/", views.document_withdraw, name="document_withdraw"),
]
