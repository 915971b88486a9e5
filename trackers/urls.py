from django.urls import path

import resources.converters  # noqa: F401  (registers <api_id:...>)
from resources.generic import resource_urls

from . import hits_views
from .resource import TRACKERS
from .views import TrackerEditor

app_name = TRACKERS.plural
urlpatterns = [
    *resource_urls(TRACKERS, editor=TrackerEditor),
    path("<api_id:object_id>/hits/", hits_views.tracker_hits, name="hits"),
]
