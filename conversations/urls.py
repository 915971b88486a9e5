from django.urls import path

import resources.converters  # noqa: F401  (registers <api_id:...>)

from . import edit_views, views

app_name = "conversations"
urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("<api_id:conversation_id>/", views.conversation_detail, name="detail"),
    path("<api_id:conversation_id>/metadata/", edit_views.metadata_edit, name="metadata"),
    path("<api_id:conversation_id>/delete/", edit_views.conversation_delete, name="delete"),
]
