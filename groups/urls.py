from django.urls import path

import resources.converters  # noqa: F401  (registers <api_id:...>)
from resources.generic import resource_urls

from .conversation_views import GroupConversationsView
from .resource import GROUPS
from .views import GroupEditor

app_name = GROUPS.plural
urlpatterns = [
    *resource_urls(GROUPS, editor=GroupEditor),
    path(
        "<api_id:object_id>/conversations/",
        GroupConversationsView.as_view(resource=GROUPS),
        name="conversations",
    ),
]
