"""Management API client layer: frozen dataclasses parsed at the boundary.

Templates never see raw dicts. Ids are always strings. Fields the server returns that we do
not model (createdOn, updatedOn, anything newer) are kept in `extra`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from symbl_admin.contract import TRACKER


class Stamped(list):
    """A list and the stamp of what it was made from: a server's list and its ETag, findings
    and the two lists' ETags ("" when there is none: then nothing derived from it is kept).
    A copy: changing it changes nothing kept."""

    def __init__(self, items, stamp="") -> None:
        super().__init__(items)
        self.stamp = stamp


class Extra(Mapping):
    """The fields a server returned that we do not model: read-only, compared and hashed by
    value (two objects that differ only in an unknown field are different objects)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self._data = dict(data or {})
        self._hash: int | None = None

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and self._data == dict(other)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(json.dumps(self._data, sort_keys=True, default=str))
        return self._hash

    def __repr__(self) -> str:
        return f"Extra({self._data!r})"


_NO_EXTRA = Extra()


def fingerprint(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of an object: detects that it changed meanwhile."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(map(str, value)) if isinstance(value, list | tuple) else ()


# The later hosted API's tracker fields (the contract's "later tracker fields").
LATER_TRACKER_KEYS = tuple(f.name for f in TRACKER.fields if not f.required)


@dataclass(frozen=True)
class Tracker:
    """A tracker with every field the later hosted API has (see the contract's "later tracker
    fields"); a server of the 2021 reading simply leaves those empty, and `absent` says which
    of those keys its answer did not carry (so nobody mistakes "not stored" for "empty")."""

    id: str
    name: str
    vocabulary: tuple[str, ...]
    description: str = ""
    categories: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    exclude_vocabulary: tuple[str, ...] = ()
    type: str = "custom"
    extra: Extra = _NO_EXTRA
    absent: frozenset[str] = field(default=frozenset(), compare=False)

    KNOWN = ("id", *TRACKER.names, "type")

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Tracker:
        # Runs 500 times for every list page: one lookup per key, no work for what is there.
        get = data.get
        keys = data.keys()
        return cls(
            str(get("id", "")),
            str(get("name", "")),
            _strings(get("vocabulary")),
            str(get("description") or ""),
            _strings(get("categories")),
            _strings(get("languages")),
            _strings(get("excludeVocabulary")),
            str(get("type") or "custom"),
            Extra({k: v for k, v in data.items() if k not in _TRACKER_KNOWN}),
            _ALL_LATER_THERE if keys >= _LATER_KEYS else _LATER_KEYS - keys,
        )

    def to_api(self) -> dict[str, Any]:
        """The body for a create/update: every editable field (the id rides in the path)."""
        return {
            "name": self.name,
            "vocabulary": list(self.vocabulary),
            "description": self.description,
            "categories": list(self.categories),
            "languages": list(self.languages),
            "excludeVocabulary": list(self.exclude_vocabulary),
        }

    def as_dict(self) -> dict[str, Any]:
        """Everything the server returned, for the audit log, the raw JSON view and exports."""
        return {**dict(self.extra), "id": self.id, "type": self.type, **self.to_api()}

    @property
    def fingerprint(self) -> str:
        return fingerprint({"id": self.id, **self.to_api()})


_TRACKER_KNOWN = frozenset(Tracker.KNOWN)
_LATER_KEYS = frozenset(LATER_TRACKER_KEYS)
_ALL_LATER_THERE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    criteria: str
    description: str = ""
    extra: Extra = _NO_EXTRA

    KNOWN = ("id", "name", "description", "criteria")

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Group:
        return cls(
            id=str(data.get("id", "")),
            name=str(data.get("name", "")),
            criteria=str(data.get("criteria", "")),
            description=str(data.get("description") or ""),
            extra=Extra({k: v for k, v in data.items() if k not in cls.KNOWN}),
        )

    def to_api(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "criteria": self.criteria}

    def as_dict(self) -> dict[str, Any]:
        return {**dict(self.extra), "id": self.id, **self.to_api()}

    @property
    def fingerprint(self) -> str:
        return fingerprint({"id": self.id, **self.to_api()})
