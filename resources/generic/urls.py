"""One URLconf for any resource: the generic views plus the app's editor."""

from __future__ import annotations

from django.urls import path

import resources.converters  # noqa: F401  (registers <api_id:...>)
from resources.resource import Resource

from .bulk import ObjectBulkView
from .detail import ObjectDeleteView, ObjectDetailView
from .history import DeletedListView, ObjectRevertView, RestoreView
from .imports import ObjectImportView
from .lists import ObjectExportView, ObjectListView


def resource_urls(resource: Resource, *, editor) -> list:
    """The URL patterns of a resource; include them under the resource's plural as the
    namespace (`app_name = resource.plural`). `editor` is an ObjectEditView subclass."""
    r = {"resource": resource}
    return [
        path("", ObjectListView.as_view(**r), name="list"),
        path("bulk/", ObjectBulkView.as_view(**r), name="bulk"),
        path("new/", editor.as_view(**r), name="create"),
        path("check/", editor.as_view(check=True, **r), name="check"),
        path("import/", ObjectImportView.as_view(**r), name="import"),
        path("export.json", ObjectExportView.as_view(format="json", **r), name="export_json"),
        path("export.csv", ObjectExportView.as_view(format="csv", **r), name="export_csv"),
        path("export.xlsx", ObjectExportView.as_view(format="xlsx", **r), name="export_xlsx"),
        path("deleted/", DeletedListView.as_view(**r), name="deleted"),
        path("deleted/<api_id:object_id>/restore/", RestoreView.as_view(**r), name="restore"),
        path("<api_id:object_id>/", ObjectDetailView.as_view(**r), name="detail"),
        path("<api_id:object_id>/edit/", editor.as_view(**r), name="edit"),
        path("<api_id:object_id>/delete/", ObjectDeleteView.as_view(**r), name="delete"),
        path(
            "<api_id:object_id>/revert/<int:entry_id>/",
            ObjectRevertView.as_view(**r),
            name="revert",
        ),
    ]
