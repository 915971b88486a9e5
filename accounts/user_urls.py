"""The Users screens, under /users/ (namespace "users")."""

from django.urls import path

from . import user_views

app_name = "users"
urlpatterns = [
    path("", user_views.user_list, name="list"),
    path("new/", user_views.user_create, name="create"),
    path("<int:pk>/role/", user_views.user_role, name="role"),
    path("<int:pk>/active/", user_views.user_active, name="active"),
    path("<int:pk>/password/", user_views.user_password, name="password"),
]
