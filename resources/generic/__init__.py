"""Generic views over any resource (core.resource.Resource), one class per action, in the
manner of NetBox's generic object views. An app's urls.py names its descriptor and its
editor: `urlpatterns = resource_urls(TRACKERS, editor=TrackerEditor)`."""

from .urls import resource_urls

__all__ = ["resource_urls"]
