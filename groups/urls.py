from django.urls import path

import symbl_admin.core.converters  # noqa: F401  (registers <api_id:...>)

from . import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="create"),
    path("check/", views.group_check, name="check"),
    path("import/", views.group_import, name="import"),
    path("export.json", views.group_export_json, name="export_json"),
    path("export.csv", views.group_export_csv, name="export_csv"),
    path("deleted/", views.group_deleted, name="deleted"),
    path("deleted/<api_id:group_id>/restore/", views.group_restore, name="restore"),
    path("<api_id:group_id>/", views.group_detail, name="detail"),
    path("<api_id:group_id>/edit/", views.group_edit, name="edit"),
    path("<api_id:group_id>/delete/", views.group_delete, name="delete"),
    path("<api_id:group_id>/revert/<int:entry_id>/", views.group_revert, name="revert"),
]
