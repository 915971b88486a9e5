from resources.generic import resource_urls

from .resource import TRACKERS
from .views import TrackerEditor

app_name = TRACKERS.plural
urlpatterns = resource_urls(TRACKERS, editor=TrackerEditor)
