"""Local Management API server: the endpoints' handlers, one generic set for every resource.

A `Served` resource joins the contract's description (symbl_admin.contract), the body
validator (validation.py) and the storage table (store.py). The handlers — list, get, create,
bulk create, update, delete, and for the SDK's dialect create-one-or-many and patch — take
one as their first argument; routes.py binds them. What is particular to a resource lives in
its description: trackers have an account limit (`spec.max_objects`), take the write lock
for their writes and speak the SDK's dialect too; groups' criteria are checked by their
validator (RSQL).

An update (PUT) replaces the fields it carries; a field the validator treats as optional and
the body leaves out keeps its stored value for trackers (a client of the 2021 reading sends
only name and vocabulary and must not wipe the later fields), while a group update is a full
replacement (the contract says so). A patch (PATCH) is applied to the stored document and
the result is checked as a whole body: what it removes takes the default.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from local_api.patching import PatchFailed, apply_patch, at_fault
from local_api.plumbing import ApiError, Encoded
from local_api.store import GROUPS, TRACKERS, Store, Table
from local_api.validation import (
    RuleBroken,
    check_body_id,
    group_fields,
    json_type,
    tracker_fields,
)
from symbl_admin.contract import GROUP, TRACKER, ResourceSpec

Reply = tuple[int, Any]


@dataclass(frozen=True)
class Call:
    """What a handler gets from a request: the parsed body (None when the endpoint takes
    none), the query string and the id from the path (None on collection endpoints)."""

    data: Any = None
    query: dict[str, list[str]] | None = None
    id: str | None = None
    if_none_match: str = ""  # the request's If-None-Match (lists answer 304 to their ETag)
    idempotency_key: str = ""  # the request's Idempotency-Key (POST /v1/process/text)


@dataclass(frozen=True)
class Served:
    """A resource as this server serves it."""

    spec: ResourceSpec
    table: Table
    check: Callable[..., dict[str, Any]]  # (body, current) -> the stored fields; RuleBroken
    locked_writes: bool = False  # create, update and patch take the account's write lock
    sdk_dialect: bool = False  # also the SDK's routes (see routes.py)

    @property
    def noun(self) -> str:
        return self.spec.object_type

    @property
    def plural(self) -> str:
        return self.spec.plural

    def fields(self, body: Any, current: dict[str, Any] | None = None) -> dict[str, Any]:
        """The columns to store for a body (`current`: the stored object, on update).

        Raises: RuleBroken."""
        fields = self.check(body, current)
        assert set(fields) == set(self.table.columns), (sorted(fields), self.table.columns)
        return fields


TRACKERS_SERVED = Served(TRACKER, TRACKERS, tracker_fields, locked_writes=True, sdk_dialect=True)
GROUPS_SERVED = Served(GROUP, GROUPS, group_fields)
SERVED = (TRACKERS_SERVED, GROUPS_SERVED)


def busy(resource: Served) -> ApiError:
    """The 429 for a write while another holds the account's write lock."""
    return ApiError(
        429,
        f"Another {resource.noun} create or update is in progress for this account; "
        "only one runs at a time. Nothing was done; try again.",
    )


def _not_found(resource: Served, object_id: str) -> ApiError:
    return ApiError(404, f'No {resource.noun} with id "{object_id}".')


def _checked(resource: Served, data: Any, current: dict[str, Any] | None = None) -> dict[str, Any]:
    try:
        return resource.fields(data, current)
    except RuleBroken as error:
        raise ApiError(400, error.message) from None


def _check_name_free(resource: Served, store: Store, db, name: str, object_id: str) -> None:
    taken = store.id_named(db, resource.table, name)
    if taken and taken != object_id:
        raise ApiError(
            409,
            f'Another {resource.noun} is already named "{name}" (id {taken}). '
            "Names are case-sensitive.",
        )


def _check_limit(resource: Served, existing: int, adding: int) -> None:
    limit, plural = resource.spec.max_objects, resource.plural
    if limit is None or existing + adding <= limit:
        return
    if adding == 1:
        raise ApiError(
            400,
            f"This account already has {existing} {plural}, the most allowed "
            f"({limit} per account). Delete one before creating another.",
        )
    raise ApiError(
        400,
        f"Creating these {adding} {plural} would exceed the limit of {limit} "
        f"{plural} per account ({existing} exist, room for {max(limit - existing, 0)}). "
        "Nothing was created.",
    )


def _item_label(index: int, item: Any) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    if isinstance(name, str):
        return f'Item at index {index} ("{name}")'
    return f"Item at index {index} (no valid name)"


def _bulk_items(resource: Served, data: Any) -> list[dict[str, Any]]:
    """Every item of a bulk body checked, or a 400 naming the first broken item
    (all or nothing: nothing is created)."""
    plural = resource.plural
    if not isinstance(data, list):
        raise ApiError(400, f"The body must be a JSON list of {plural}, not {json_type(data)}.")
    if not data:
        raise ApiError(400, f"The list of {plural} is empty; send at least one.")
    items = []
    for index, item in enumerate(data):
        try:
            items.append(resource.fields(item))
        except RuleBroken as error:
            raise ApiError(
                400, f"{_item_label(index, item)}: {error.message} Nothing was created."
            ) from None
    return items


def _check_batch_names(names: list[str], existing_id: Callable[[str], str | None], noun: str):
    first_index: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in first_index:
            raise ApiError(
                409,
                f'Item at index {index} ("{name}"): the item at index {first_index[name]} '
                "has the same name; names must be unique. Nothing was created.",
            )
        taken = existing_id(name)
        if taken:
            raise ApiError(
                409,
                f'Item at index {index} ("{name}"): a {noun} with this name already exists '
                f"(id {taken}). Nothing was created.",
            )
        first_index[name] = index


# -- the handlers: (resource, store, call) -> (status, payload) ---------------------------


def list_objects(resource: Served, store: Store, call: Call) -> Reply:
    """GET /v1/manage/{plural}[?name=...]"""
    query = call.query or {}
    if "name" not in query:
        etag, body = store.listing(resource.table, resource.plural)
        return 200, Encoded(body, etag, not_modified=call.if_none_match == etag)
    return 200, {resource.plural: store.objects(resource.table, name=query["name"][0])}


def get_object(resource: Served, store: Store, call: Call) -> Reply:
    """GET /v1/manage/{noun}/{id}. Its ETag names the table's revision and the id: asked
    If-None-Match with the current one, the answer is a 304 without reading the row (nothing
    in the table was written since the client read the object)."""
    epoch, n = store.revision(resource.table)
    etag = f'"{epoch}-{n}-{call.id}"'
    if call.if_none_match == etag:
        return 200, Encoded(b"", etag, not_modified=True)
    found = store.object(resource.table, call.id)
    if found is None:
        raise _not_found(resource, call.id)
    body = json.dumps({resource.noun: found}, ensure_ascii=False).encode()
    return 200, Encoded(body, etag)


def create_object(resource: Served, store: Store, call: Call) -> Reply:
    """POST /v1/manage/{noun}"""
    fields = _checked(resource, call.data)
    name = fields["name"]
    with store.transaction() as db:
        taken = store.id_named(db, resource.table, name)
        if taken:
            raise ApiError(
                409,
                f'A {resource.noun} named "{name}" already exists (id {taken}). '
                "Names are case-sensitive.",
            )
        _check_limit(resource, store.count(db, resource.table), 1)
        created = store.insert(db, resource.table, fields)
    return 201, {resource.noun: created}


def bulk_create_objects(resource: Served, store: Store, call: Call) -> Reply:
    """POST /v1/manage/{plural}: all or nothing."""
    items = _bulk_items(resource, call.data)
    with store.transaction() as db:
        _check_batch_names(
            [item["name"] for item in items],
            lambda name: store.id_named(db, resource.table, name),
            resource.noun,
        )
        _check_limit(resource, store.count(db, resource.table), len(items))
        created = [store.insert(db, resource.table, item) for item in items]
    return 201, {resource.plural: created}


def create_one_or_many(resource: Served, store: Store, call: Call) -> Reply:
    """POST /v1/manage/{plural}: one object creates one (the SDK's way), a list is a bulk create."""
    if isinstance(call.data, dict):
        return create_object(resource, store, call)
    if isinstance(call.data, list):
        return bulk_create_objects(resource, store, call)
    raise ApiError(
        400,
        f"The body must be one {resource.noun} (a JSON object) or a JSON list of "
        f"{resource.plural}, not {json_type(call.data)}.",
    )


def update_object(resource: Served, store: Store, call: Call) -> Reply:
    """PUT /v1/manage/{noun}/{id}: an unknown id answers 404 before the body's rules."""
    object_id = call.id
    with store.transaction() as db:
        current = store.object_in(db, resource.table, object_id)
        if current is None:
            raise _not_found(resource, object_id)
        try:
            check_body_id(call.data, object_id)
        except RuleBroken as error:
            raise ApiError(400, error.message) from None
        fields = _checked(resource, call.data, current)
        _check_name_free(resource, store, db, fields["name"], object_id)
        replaced = store.replace(db, resource.table, object_id, fields)
    return 200, {resource.noun: replaced}


def patch_object(resource: Served, store: Store, call: Call) -> Reply:
    """PATCH /v1/manage/{noun}/{id}: a JSON Patch on the object's editable fields; the result
    passes the create/update rules, or the 400 names the operation at fault."""
    object_id = call.id
    with store.transaction() as db:
        current = store.object_in(db, resource.table, object_id)
        if current is None:
            raise _not_found(resource, object_id)
        document = {name: current[name] for name in resource.spec.names}
        lists = [f.name for f in resource.spec.fields if f.is_list]
        try:
            patched, operations = apply_patch(document, call.data, lists=lists)
        except PatchFailed as error:
            raise ApiError(400, error.message) from None
        try:
            fields = resource.fields(patched)
        except RuleBroken as error:
            raise ApiError(400, f"{at_fault(operations, error.fields)}: {error.message}") from None
        _check_name_free(resource, store, db, fields["name"], object_id)
        replaced = store.replace(db, resource.table, object_id, fields)
    return 200, {resource.noun: replaced}


def delete_object(resource: Served, store: Store, call: Call) -> Reply:
    """DELETE /v1/manage/{noun}/{id}"""
    with store.transaction() as db:
        if not store.delete(db, resource.table, call.id):
            raise _not_found(resource, call.id)
    return 200, {"id": call.id, "type": resource.noun, "deleted": True}


def entities_not_supported(store: Store, call: Call) -> Reply:
    """/v1/manage/entities…, any method: the SDK's custom entities are not in the contract."""
    raise ApiError(
        404,
        "Custom entities (/v1/manage/entities) are not supported by this server; it serves "
        "trackers (/v1/manage/tracker(s)) and conversation groups (/v1/manage/group(s)).",
    )
