"""The objects the permission matrix fills URL converters with: a live tracker and group with
history, a deleted one of each (to restore), an audit entry; and the URLconf walk."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from audit.models import AuditEntry
from audit.selectors import object_history
from audit.services import AuditContext
from groups.resource import GROUPS
from resources import services
from tests.support.conversations import processed
from trackers.resource import TRACKERS

TRACKER = {"name": "Matrix Tracker", "vocabulary": ["special promotion", "month special"]}
_serial = itertools.count(1)
GROUP = {"name": "Matrix", "description": "d", "criteria": "conversation.metadata.agentId==m"}


def walk(patterns=None, prefix: str = "", namespace: str = ""):
    """(qualified name, route) of every URL pattern, Django's admin included."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name or ''}", prefix + str(p.pattern)


@dataclass
class World:
    ids: dict[str, dict[str, str]]  # first path segment → {converter name → value}
    user_id: str
    group_id: str
    user_type_id: str

    def admin_ids(self, route: str) -> dict[str, str]:
        object_id = self.group_id if "/role/" in route else self.user_id
        ids = {"object_id": object_id, "id": self.user_id, "content_type_id": self.user_type_id}
        return {**ids, "app_label": "auth", "url": "no-such-page"}

    def path(self, name: str, route: str) -> str:
        section = "admin" if name.startswith("admin:") else route.split("/", 1)[0]
        values = dict(self.ids.get(section, {}))
        values.update(self.ids.get(name, {}))  # a route of its own (review:tracker_impact)
        if name.endswith(":restore"):
            values["object_id"] = values["restore"]  # a deleted object's id

        def fill(match: re.Match) -> str:
            key = match.group(1)
            if section == "admin":
                return self.admin_ids(route)[key]
            return values[key]

        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", fill, route)  # the admin's regex routes
        path = re.sub(r"<(?:\w+:)?(\w+)>", fill, path)
        return "/" + re.sub(r"[\^\$]", "", path)


def _objects(api, resource, values) -> dict[str, str]:
    values = {**values, "name": f"{values['name']} {next(_serial)}"}
    ctx = AuditContext.system("matrix")
    live = services.create(client=api, resource=resource, data=values, ctx=ctx)
    gone = services.create(
        client=api, resource=resource, data={**values, "name": values["name"] + " Gone"}, ctx=ctx
    )
    services.delete(client=api, resource=resource, object_id=gone.id, ctx=ctx)
    services.update(
        client=api,
        resource=resource,
        object_id=live.id,
        data={**values, "name": values["name"] + " Renamed"},
        fingerprint=live.fingerprint,
        ctx=ctx,
    )
    # The create (history is newest first): reverting to it changes the name back, so the
    # revert is a real write (one to the current state changes nothing and is not offered).
    first = object_history(object_type=resource.noun, object_id=live.id)[-1].seq
    return {"object_id": live.id, "entry_id": str(first), "gone": gone.id}


def build_world(api) -> World:
    """Fresh objects on `api`, and a user of its own for the admin's user pages."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    user = get_user_model().objects.create_user(f"matrix-{next(_serial)}")
    group = Group.objects.create(name=f"matrix-{next(_serial)}")
    user_type = ContentType.objects.get_for_model(user)
    trackers = _objects(api, TRACKERS, TRACKER)
    groups = _objects(api, GROUPS, GROUP)
    seq = str(AuditEntry.objects.order_by("seq").first().seq)
    conversation = processed(api, f"Matrix call {next(_serial)}", {"agentId": "m"})
    for ids in (trackers, groups):
        ids["restore"] = ids.pop("gone")
    return World(
        ids={
            "trackers": trackers,
            "groups": groups,
            "audit": {"seq": seq},
            "review": {"first": groups["entry_id"], "last": groups["entry_id"]},
            "review:tracker_impact": {"first": trackers["entry_id"], "last": trackers["entry_id"]},
            "users": {"pk": str(user.pk)},
            # An import nobody prepared: leads get 404, the others 403 before any lookup.
            "conversations": {"conversation_id": conversation, "token": "0" * 32},
        },
        user_id=str(user.pk),
        group_id=str(group.pk),
        user_type_id=str(user_type.pk),
    )
