"""Management API client layer: frozen dataclasses parsed at the boundary.

Templates never see raw dicts. Ids are always strings. Fields the server returns that we do
not model (description, categories, languages, createdOn, ...) are kept in `extra`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


def _frozen(mapping: dict[str, Any]) -> MappingProxyType:
    return MappingProxyType(dict(mapping))


def fingerprint(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of an object: detects that it changed meanwhile."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Tracker:
    id: str
    name: str
    vocabulary: tuple[str, ...]
    extra: MappingProxyType = field(default_factory=lambda: MappingProxyType({}), compare=False)

    KNOWN = ("id", "name", "vocabulary")

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Tracker:
        vocabulary = data.get("vocabulary") or []
        return cls(
            id=str(data.get("id", "")),
            name=str(data.get("name", "")),
            vocabulary=tuple(str(p) for p in vocabulary),
            extra=_frozen({k: v for k, v in data.items() if k not in cls.KNOWN}),
        )

    def to_api(self) -> dict[str, Any]:
        """The body for a create/update: name and vocabulary (the id rides in the path)."""
        return {"name": self.name, "vocabulary": list(self.vocabulary)}

    def as_dict(self) -> dict[str, Any]:
        """Everything the server returned, for the audit log, the raw JSON view and exports."""
        return {**dict(self.extra), "id": self.id, "name": self.name, "vocabulary": list(self.vocabulary)}

    @property
    def fingerprint(self) -> str:
        return fingerprint({"id": self.id, **self.to_api()})


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    criteria: str
    description: str = ""
    extra: MappingProxyType = field(default_factory=lambda: MappingProxyType({}), compare=False)

    KNOWN = ("id", "name", "description", "criteria")

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Group:
        return cls(
            id=str(data.get("id", "")),
            name=str(data.get("name", "")),
            criteria=str(data.get("criteria", "")),
            description=str(data.get("description") or ""),
            extra=_frozen({k: v for k, v in data.items() if k not in cls.KNOWN}),
        )

    def to_api(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "criteria": self.criteria}

    def as_dict(self) -> dict[str, Any]:
        return {**dict(self.extra), "id": self.id, **self.to_api()}

    @property
    def fingerprint(self) -> str:
        return fingerprint({"id": self.id, **self.to_api()})
