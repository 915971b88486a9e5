from django.urls import path

import symbl_admin.core.converters  # noqa: F401  (registers <api_id:...>)

from . import views

app_name = "trackers"
urlpatterns = [
    path("", views.tracker_list, name="list"),
    path("new/", views.tracker_create, name="create"),
    path("check/", views.tracker_check, name="check"),
    path("import/", views.tracker_import, name="import"),
    path("export.json", views.tracker_export_json, name="export_json"),
    path("export.csv", views.tracker_export_csv, name="export_csv"),
    path("deleted/", views.tracker_deleted, name="deleted"),
    path("deleted/<api_id:tracker_id>/restore/", views.tracker_restore, name="restore"),
    path("<api_id:tracker_id>/", views.tracker_detail, name="detail"),
    path("<api_id:tracker_id>/edit/", views.tracker_edit, name="edit"),
    path("<api_id:tracker_id>/delete/", views.tracker_delete, name="delete"),
    path("<api_id:tracker_id>/revert/<int:entry_id>/", views.tracker_revert, name="revert"),
]
