"""Local Management API server: the route table, method + path pattern → handler.

Every resource gets the same six documented routes (routes_for); a resource that speaks the
SDK's dialect (trackers) also gets the SDK's: POST /{plural} with one object, GET, PUT,
DELETE /{plural}/{id}, and PATCH on both /{noun}/{id} and /{plural}/{id}. The SDK's custom
entities answer 404 whatever the method. `find_route` answers 404 for a path no route has
and 405, with an Allow header, for a method the path does not take.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from local_api import (
    conversation_ids,
    detection_reads,
    handlers,
    tracker_hits,
    tracker_preview,
    tracker_quality,
)
from local_api import conversations as conv
from local_api.changes import list_changes
from local_api.handlers import SERVED, Call, Reply, Served
from local_api.plumbing import ApiError
from local_api.store import Store

Handler = Callable[[Store, Call], Reply]


@dataclass(frozen=True)
class Route:
    """One method on one path. `locked` takes the resource's write lock before the body is
    parsed (so a busy account answers 429 whatever the body); `has_body` parses it as JSON."""

    method: str  # ANY_METHOD: every method
    pattern: re.Pattern[str]
    handler: Handler
    resource: Served | None
    has_body: bool = False
    locked: bool = False
    unique_keys: bool = False  # a body that repeats a key is a 400 (conversation metadata)


ANY_METHOD = "*"


def routes_for(resource: Served) -> list[Route]:
    """POST /{noun}, GET and POST /{plural}, GET, PUT and DELETE /{noun}/{id}; and for the
    SDK's dialect, the same by-id routes under /{plural}/{id} and PATCH on both."""
    one = re.compile(rf"/v1/manage/{resource.noun}")
    many = re.compile(rf"/v1/manage/{resource.plural}")
    by_id = [re.compile(rf"/v1/manage/{resource.noun}/(?P<id>[^/]+)")]
    if resource.sdk_dialect:
        by_id.append(re.compile(rf"/v1/manage/{resource.plural}/(?P<id>[^/]+)"))
    locked = resource.locked_writes
    create_many = (
        handlers.create_one_or_many if resource.sdk_dialect else handlers.bulk_create_objects
    )

    def route(method: str, pattern: re.Pattern[str], handler, **flags: bool) -> Route:
        return Route(method, pattern, functools.partial(handler, resource), resource, **flags)

    routes = [
        route("POST", one, handlers.create_object, has_body=True, locked=locked),
        route("GET", many, handlers.list_objects),
        # An extension (README): what changed in the list since the ETag a client holds.
        route("GET", re.compile(rf"/v1/x/manage/{resource.plural}/changes"), list_changes),
        route("POST", many, create_many, has_body=True, locked=locked),
    ]
    for pattern in by_id:
        routes += [
            route("GET", pattern, handlers.get_object),
            route("PUT", pattern, handlers.update_object, has_body=True, locked=locked),
            route("DELETE", pattern, handlers.delete_object),
        ]
        if resource.sdk_dialect:
            routes.append(
                route("PATCH", pattern, handlers.patch_object, has_body=True, locked=locked)
            )
    return routes


def _conversation_routes() -> list[Route]:
    """The contract's "Conversations" table and our /v1/x/ extensions (conversations.py)."""
    conversation = re.compile(r"/v1/conversations/(?P<id>[^/]+)")

    def route(method: str, path: str | re.Pattern[str], handler, body: bool = False) -> Route:
        pattern = re.compile(path) if isinstance(path, str) else path
        return Route(method, pattern, handler, None, has_body=body, unique_keys=body)

    return [
        route("POST", "/v1/process/text", conv.process_text, body=True),
        route("PUT", r"/v1/process/text/(?P<id>[^/]+)", conv.append_text, body=True),
        route(ANY_METHOD, r"/v1/process/(?:audio|video)(?:/.*)?", conv.audio_video),
        route("GET", r"/v1/job/(?P<id>[^/]+)", conv.job_status),
        route("GET", "/v1/conversations", conv.list_conversations),
        route("GET", conversation, conv.get_conversation),
        route("PUT", conversation, conv.update_metadata, body=True),
        route("DELETE", conversation, conv.delete_conversation),
        route("GET", r"/v1/conversations/(?P<id>[^/]+)/messages", conv.messages),
        route(
            "GET", r"/v1/conversations/(?P<id>[^/]+)/trackers(?:-detected)?", conv.trackers_detected
        ),
        route("GET", r"/v1/groups/(?P<id>[^/]+)/conversations", conv.group_conversations),
        route("GET", "/v1/x/conversations/count", conv.count_selected),
        route("GET", "/v1/x/conversations/search", conv.search),
        route("GET", r"/v1/x/conversations/(?P<id>[^/]+)/groups", conv.conversation_groups),
        route("GET", r"/v1/x/conversations/(?P<id>[^/]+)/jobs", conv.conversation_jobs),
        route("GET", "/v1/x/conversations/ids", conversation_ids.selected_ids),
        route("GET", r"/v1/x/trackers/(?P<id>[^/]+)/hits", tracker_hits.tracker_hits),
        route("GET", r"/v1/x/trackers/(?P<id>[^/]+)/rescores", tracker_hits.tracker_rescores),
        route("POST", "/v1/x/trackers/preview", tracker_preview.tracker_preview, body=True),
        route("GET", "/v1/x/trackers/top", detection_reads.top_trackers),
        route(
            "GET",
            r"/v1/x/conversations/(?P<id>[^/]+)/detections",
            detection_reads.conversation_detections,
        ),
        route("GET", "/v1/x/trackers/quality", tracker_quality.tracker_quality),
    ]


ROUTES: tuple[Route, ...] = (
    *(route for resource in SERVED for route in routes_for(resource)),
    *_conversation_routes(),
    Route(
        ANY_METHOD,
        re.compile(r"/v1/manage/entities(?:/.*)?"),
        handlers.entities_not_supported,
        None,
    ),
)


def find_route(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route for a request and the parameters its path carries.

    Raises:
        ApiError: 404 when no route has the path; 405 when none takes the method there.
    """
    on_path = []
    for route in ROUTES:
        match = route.pattern.fullmatch(path)
        if match:
            if route.method in (method, ANY_METHOD):
                return route, match.groupdict()
            on_path.append(route)
    if on_path:
        allowed = ", ".join(route.method for route in on_path)
        raise ApiError(
            405,
            f"Method {method} is not allowed on {path}; allowed: {allowed}.",
            [("Allow", allowed)],
        )
    raise ApiError(
        404,
        f"There is no endpoint at {path}. Trackers live under /v1/manage/tracker(s), "
        "groups under /v1/manage/group(s).",
    )
