"""URLs of the conversation import, included at conversations/import/."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("", import_views.import_page, name="conversation_import"),
    path("<str:token>/", import_views.import_progress, name="conversation_import_progress"),
]
