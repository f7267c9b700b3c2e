from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("export/", views.export, name="export"),
    path("me/", views.me, name="me"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/destinations/", views.transfer_destinations, name="transfer_destinations"),
    path("transfers/<int:transfer_id>/receive/", views.transfer_receive, name="transfer_receive"),
    path("transfers/<int:transfer_id>/receipt/", views.transfer_receipt, name="transfer_receipt"),
    path("transfers/<int:transfer_id>/print/", views.transfer_print, name="transfer_print"),
    path("transfers/<int:transfer_id>/cancel/", views.transfer_cancel, name="transfer_cancel"),
    path("transfers/<int:transfer_id>/reissue/", views.transfer_reissue, name="transfer_reissue"),
    path("new/<str:org_code>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
]
