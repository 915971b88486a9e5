from resources.generic import resource_urls

from .resource import GROUPS
from .views import GroupEditor

app_name = GROUPS.plural
urlpatterns = resource_urls(GROUPS, editor=GroupEditor)
