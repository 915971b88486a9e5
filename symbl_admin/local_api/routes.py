"""Local Management API server: the route table, method + path pattern → handler.

Every resource gets the same six routes (routes_for). `find_route` answers 404 for a path
no route has and 405, with an Allow header, for a method the path does not take.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from symbl_admin.local_api import handlers
from symbl_admin.local_api.handlers import SERVED, Call, Reply, Served
from symbl_admin.local_api.plumbing import ApiError
from symbl_admin.local_api.store import Store

Handler = Callable[[Store, Call], Reply]


@dataclass(frozen=True)
class Route:
    """One method on one path. `locked` takes the resource's write lock before the body is
    parsed (so a busy account answers 429 whatever the body); `has_body` parses it as JSON."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    resource: Served
    has_body: bool = False
    locked: bool = False


def routes_for(resource: Served) -> list[Route]:
    """POST /{noun}, GET and POST /{plural}, GET, PUT and DELETE /{noun}/{id}."""
    one = re.compile(rf"/v1/manage/{resource.noun}")
    many = re.compile(rf"/v1/manage/{resource.plural}")
    by_id = re.compile(rf"/v1/manage/{resource.noun}/(?P<id>[^/]+)")
    locked = resource.locked_writes

    def route(method: str, pattern: re.Pattern[str], handler, **flags: bool) -> Route:
        return Route(method, pattern, functools.partial(handler, resource), resource, **flags)

    return [
        route("POST", one, handlers.create_object, has_body=True, locked=locked),
        route("GET", many, handlers.list_objects),
        route("POST", many, handlers.bulk_create_objects, has_body=True, locked=locked),
        route("GET", by_id, handlers.get_object),
        route("PUT", by_id, handlers.update_object, has_body=True, locked=locked),
        route("DELETE", by_id, handlers.delete_object),
    ]


ROUTES: tuple[Route, ...] = tuple(route for resource in SERVED for route in routes_for(resource))


def find_route(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route for a request and the parameters its path carries.

    Raises:
        ApiError: 404 when no route has the path; 405 when none takes the method there.
    """
    on_path = []
    for route in ROUTES:
        match = route.pattern.fullmatch(path)
        if match:
            if route.method == method:
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
