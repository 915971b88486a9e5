"""Management API client layer: the resources a client offers, `.trackers` and `.groups`.

One generic `_Resource` (paths, reading answers, create that may have landed, delete) and a
small subclass per resource that names its paths and dataclass and spells its arguments.
They speak in `Tracker` and `Group` dataclasses and raise `ManagementAPIError`s.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from .changes import Changes
from .errors import ManagementAPIError, NotFound
from .transport import NOT_MODIFIED, Transport
from .types import LATER_TRACKER_KEYS, Group, Stamped, Tracker

logger = logging.getLogger("symbl_admin.management_api")

# A create that timed out gets this much time of its own to look itself up by name, so the
# worst case (deadline + lookup) stays under gunicorn's 30 s worker timeout.
LOOKUP_BUDGET = 5.0


class _Resource:
    """What trackers and groups share: paths, envelope reading, the timed-out-create lookup."""

    singular: str
    plural: str
    model: type[Tracker] | type[Group]

    # Keep the last full list, and the objects last read one by one, each re-validated by its
    # ETag on every call (below): a server that answers 304 sends and parses nothing again.
    keep = True
    KEPT_ITEMS = 512  # objects kept per resource (when full, it starts over)

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._kept: tuple[str, list[Any]] | None = None  # (ETag, parsed items)
        self._kept_items: dict[str, tuple[str, Any]] = {}  # id → (ETag, parsed item)
        self._changes = Changes(transport, self.plural)  # the kept list, brought up to date

    def _one_path(self, item_id: str) -> str:
        # Ids are digits from the server; quoting keeps anything else from changing the path.
        return f"/v1/manage/{self.singular}/{quote(str(item_id), safe='')}"

    @property
    def _collection_path(self) -> str:
        return f"/v1/manage/{self.plural}"

    def _read_one(self, body: Any) -> Any:
        if isinstance(body, dict):
            item = body.get(self.singular)
            if isinstance(item, dict):
                return self.model.from_api(item)
            if "id" in body and "name" in body:
                # A bare object, as some servers answer.
                return self.model.from_api(body)
        raise _unexpected_shape(self.singular)

    def _read_many(self, body: Any) -> list[Any]:
        items: Any = None
        if isinstance(body, list):
            items = body
        elif isinstance(body, dict):
            if isinstance(body.get(self.plural), list):
                items = body[self.plural]
            elif isinstance(body.get(self.singular), dict):
                # One documentation sample answers the list with {"tracker": {...}}.
                items = [body[self.singular]]
            elif isinstance(body.get(self.singular), list):
                items = body[self.singular]
        if items is None or not all(isinstance(item, dict) for item in items):
            raise _unexpected_shape(self.plural)
        return [self.model.from_api(item) for item in items]

    def _revalidated(self, path: str, kept: tuple[str, Any] | None, read, **options: Any):
        """(value, ETag) of GET `path`: asked If-None-Match with the kept (ETag, value), whose
        304 means the kept value is what the server holds now (never stale, nothing sent or
        parsed again); anything else is read(body), with the answer's ETag ("" for none)."""
        answer: dict[str, str] = {}
        body = self._transport.request(
            "GET",
            path,
            headers={"If-None-Match": kept[0]} if kept else None,
            answer_headers=answer,
            **options,
        )
        if body is NOT_MODIFIED and kept:
            return kept[1], kept[0]
        return read(body), answer.get("ETag", "")

    def _list(self, *, params: dict[str, str] | None = None, budget: float | None = None):
        """The list, in one call, revalidated by its ETag (ours gives one): a 1 MB list is
        neither sent nor parsed again while it is unchanged, and after a change only what
        changed is (changes.py), where the server offers that."""
        keeping = self.keep and params is None
        if keeping and self._kept:
            current = self._changes.apply(self._kept, self._read_many, budget=budget)
            if current is not None:
                self._kept = current
                return Stamped(current[1], current[0])
        items, etag = self._revalidated(
            self._collection_path,
            self._kept if keeping else None,
            self._read_many,
            params=params,
            budget=budget,
        )
        if keeping:
            self._kept = (etag, items) if etag else None
        # Stamped with its ETag (the whole list's only): the same ETag from the same server is
        # the same list, so what is derived from it (a search, a sort) may be kept under it.
        return Stamped(items, etag if params is None else "")

    def get(self, item_id: str):
        """One item by id, revalidated by its ETag when one was kept.

        Raises: NotFound when the id is unknown; other ManagementAPIErrors.
        """
        kept = self._kept_items.get(item_id) if self.keep else None
        item, etag = self._revalidated(self._one_path(item_id), kept, self._read_one)
        if self.keep and etag:
            if kept is None and len(self._kept_items) >= self.KEPT_ITEMS:
                self._kept_items.clear()
            self._kept_items[item_id] = (etag, item)
        return item

    def delete(self, item_id: str) -> None:
        """Deletes one item by id.

        Raises: NotFound when the id is unknown; other ManagementAPIErrors.
        """
        try:
            self._transport.request("DELETE", self._one_path(item_id))
        except NotFound as exc:
            if exc.may_have_landed:
                # A retried DELETE whose first try did the work: the item is gone, as asked.
                return
            raise

    def _create(self, body: dict[str, Any]):
        try:
            answer = self._transport.request("POST", f"/v1/manage/{self.singular}", json_body=body)
        except ManagementAPIError as exc:
            if not exc.may_have_landed:
                raise
            found = self._landed([body])
            if found is None:
                raise
            return found[0]
        return self._read_one(answer)

    def _bulk_create(self, items: list[dict[str, Any]]):
        try:
            answer = self._transport.request("POST", self._collection_path, json_body=items)
        except ManagementAPIError as exc:
            if not exc.may_have_landed:
                raise
            found = self._landed(items)
            if found is None:
                raise
            return found
        return self._read_many(answer)

    def _update(self, item_id: str, body: dict[str, Any]):
        answer = self._transport.request(
            "PUT", self._one_path(item_id), json_body={"id": str(item_id), **body}
        )
        return self._read_one(answer)

    def _landed(self, sent: list[dict[str, Any]]) -> list[Any] | None:
        """After a create that may have landed: the created items if every one exists by
        exact name and equals what we sent, else None (and the caller re-raises)."""
        try:
            existing = self._lookup_by_names([item["name"] for item in sent])
        except ManagementAPIError:
            return None
        found = []
        for item in sent:
            match = existing.get(item["name"])
            if match is None or not self._same(match, item):
                return None
            found.append(match)
        logger.info(
            json.dumps(
                {
                    "event": "management_api_create_landed",
                    "resource": self.singular,
                    "count": len(found),
                }
            )
        )
        return found

    def _lookup_by_names(self, names: list[str]) -> dict[str, Any]:
        items = self._list(budget=LOOKUP_BUDGET)
        wanted = set(names)
        return {item.name: item for item in items if item.name in wanted}

    def _same(self, item: Any, sent: dict[str, Any]) -> bool:
        raise NotImplementedError


def tracker_body(name: str, vocabulary: Iterable[str], later: dict[str, Any]) -> dict[str, Any]:
    """A tracker's write body: name and vocabulary, plus whichever later fields are given
    (a server that predates them ignores unknown keys, as the contract says)."""
    unknown = set(later) - set(LATER_TRACKER_KEYS)
    if unknown:
        raise TypeError(f"Unknown tracker fields: {sorted(unknown)}")
    body: dict[str, Any] = {"name": name, "vocabulary": list(vocabulary)}
    for key in LATER_TRACKER_KEYS:
        if key in later:
            value = later[key]
            body[key] = str(value or "") if key == "description" else list(value or [])
    return body


class Trackers(_Resource):
    """Trackers: `{"id", "name", "vocabulary", "description", "categories", "languages",
    "excludeVocabulary"}`, names unique per account (case-sensitive)."""

    singular = "tracker"
    plural = "trackers"
    model = Tracker

    def list(self) -> list[Tracker]:
        """Every tracker of the account (the API has no paging).

        Raises: ManagementAPIError.
        """
        return self._list()

    def get(self, tracker_id: str) -> Tracker:
        """One tracker by id.

        Raises: NotFound when the id is unknown; other ManagementAPIErrors.
        """
        return super().get(tracker_id)

    def find_by_name(self, name: str) -> Tracker | None:
        """The tracker with exactly this name (case-sensitive), or None.

        Raises: ManagementAPIError.
        """
        # The server filters by name; filtering again guards against a lenient server.
        for tracker in self._list(params={"name": name}):
            if tracker.name == name:
                return tracker
        return None

    def create(self, *, name: str, vocabulary: Iterable[str], **later: Any) -> Tracker:
        """Creates one tracker and returns it as the server stored it. `later`: description,
        categories, languages, excludeVocabulary.

        Raises: ValidationFailed, NameTaken, Busy, PayloadTooLarge; Unavailable, with
            may_have_landed=True when it may exist anyway.
        """
        return self._create(tracker_body(name, vocabulary, later))

    def bulk_create(self, items: list[dict[str, Any]]) -> list[Tracker]:
        """Creates several trackers, all or nothing.

        Raises: as create(); the error message names the first offending item.
        """
        body = [
            tracker_body(
                item["name"],
                item["vocabulary"],
                {k: item[k] for k in LATER_TRACKER_KEYS if k in item},
            )
            for item in items
        ]
        return self._bulk_create(body)

    def update(
        self, tracker_id: str, *, name: str, vocabulary: Iterable[str], **later: Any
    ) -> Tracker:
        """Replaces a tracker's fields; returns what the server answered.

        Raises: NotFound, ValidationFailed, NameTaken, Busy; Unavailable (may_have_landed
            when the PUT was sent but no answer came back).
        """
        return self._update(tracker_id, tracker_body(name, vocabulary, later))

    def delete(self, tracker_id: str) -> None:
        """Deletes a tracker.

        Raises: NotFound when the id is unknown; other ManagementAPIErrors.
        """
        super().delete(tracker_id)

    def _lookup_by_names(self, names: list[str]) -> dict[str, Any]:
        if len(names) == 1:
            # One create: the server's exact-name filter is cheaper than the whole list.
            found = self._list(params={"name": names[0]}, budget=LOOKUP_BUDGET)
            return {t.name: t for t in found if t.name == names[0]}
        return super()._lookup_by_names(names)

    def _same(self, item: Tracker, sent: dict[str, Any]) -> bool:
        # A later field we sent counts only when the server answers with it: one that
        # predates the field ignored it, so its absence says nothing about whose tracker it is.
        if item.name != sent["name"] or list(item.vocabulary) != list(sent["vocabulary"]):
            return False
        stored = item.to_api()
        return all(
            stored[key] == sent[key]
            for key in LATER_TRACKER_KEYS
            if key in sent and key not in item.absent
        )


class Groups(_Resource):
    """Conversation groups: `{"id", "name", "description", "criteria"}`."""

    singular = "group"
    plural = "groups"
    model = Group

    def list(self) -> list[Group]:
        """Every conversation group of the account.

        Raises: ManagementAPIError.
        """
        return self._list()

    def get(self, group_id: str) -> Group:
        """One group by id.

        Raises: NotFound when the id is unknown; other ManagementAPIErrors.
        """
        return super().get(group_id)

    def find_by_name(self, name: str) -> Group | None:
        """The group with exactly this name (case-sensitive), or None.

        Raises: ManagementAPIError.
        """
        # The API has no name filter for groups: filter the whole list here.
        for group in self._list():
            if group.name == name:
                return group
        return None

    def create(self, *, name: str, criteria: str, description: str = "") -> Group:
        """Creates one group and returns it as the server stored it.

        Raises: ValidationFailed (criteria errors point at the problem), NameTaken, Busy;
            Unavailable, with may_have_landed=True when it may exist anyway.
        """
        return self._create({"name": name, "description": description, "criteria": criteria})

    def bulk_create(self, items: list[dict[str, Any]]) -> list[Group]:
        """Creates several groups, all or nothing.

        Raises: as create(); the error message names the first offending item.
        """
        body = [
            {
                "name": item["name"],
                "description": item.get("description") or "",
                "criteria": item["criteria"],
            }
            for item in items
        ]
        return self._bulk_create(body)

    def update(self, group_id: str, *, name: str, criteria: str, description: str = "") -> Group:
        """Replaces a group's name, description and criteria; returns the server's answer.

        Raises: NotFound, ValidationFailed, NameTaken, Busy; Unavailable (may_have_landed
            when the PUT was sent but no answer came back).
        """
        return self._update(
            group_id, {"name": name, "description": description, "criteria": criteria}
        )

    def delete(self, group_id: str) -> None:
        """Deletes a group.

        Raises: NotFound when the id is unknown; other ManagementAPIErrors.
        """
        super().delete(group_id)

    def _same(self, item: Group, sent: dict[str, Any]) -> bool:
        return (
            item.name == sent["name"]
            and item.criteria == sent["criteria"]
            and item.description == (sent.get("description") or "")
        )


def _unexpected_shape(what: str) -> ManagementAPIError:
    return ManagementAPIError(f"The Management API answered without the expected {what!r}.")
