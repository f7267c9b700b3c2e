from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("search/", views.search, name="search"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/children/", views.children, name="children"),
    path("<str:code>/history/", views.history, name="history"),
    path("<str:code>/warnings/", views.warnings, name="warnings"),
    path("<str:code>/elect/", views.elect, name="elect"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/new-child/", views.create_child, name="create_child"),
    path("<str:code>/move/", views.move, name="move"),
    path("<str:code>/move/parents/", views.move_parents, name="move_parents"),
]
