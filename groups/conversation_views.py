"""Groups views beside the generic ones: the conversations a group selects, a fragment of
the group's detail page.

The detail page is kept (symbl_admin/caching/pages.py) under the group as the server sent it;
conversations change without the group changing, so their part is this separate fragment,
loaded by htmx when the page opens (and a plain link without JavaScript) and never kept. The
kept page stays fast; the fragment costs one count and one page of 10 upstream.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse

from accounts.permissions import check_perm
from resources.generic.base import ResourceView, object_urls
from symbl_admin.htmx import render_page_or_partial
from symbl_admin.links import url_of
from symbl_admin.management_api import get_client

from .selection import FIRST_PAGE, group_selection

TEMPLATE = "groups/conversations.html"


class GroupConversationsView(ResourceView):
    """GET: how many conversations the group selects, the latest ten, a link to all."""

    title = "Conversations of this {noun}"

    def get(self, request: HttpRequest, object_id: str) -> HttpResponse:
        check_perm(request, "accounts.view_conversations")  # it names conversations
        group = self.get_object(object_id)
        selection = group_selection(client=get_client(), group=group)
        context = self.base_context(
            obj=group,
            obj_urls=object_urls(self.r, group.id),
            selection=selection,
            first_page=FIRST_PAGE,
            all_url=url_of("conversations:list") + "?" + urlencode({"group": group.id}),
        )
        return render_page_or_partial(request, TEMPLATE, "group-conversations", context)
