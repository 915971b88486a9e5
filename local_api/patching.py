"""Local Management API server: JSON Patch (RFC 6902) on an object's document, the SDK's way.

The `jsonpatch` library applies the operations; this module only checks each one first, so
a 400 names the operation at fault ("Operation 2 (add /vocabulary/-): ..."):
- the body is a list of objects, each with a known `op` and a `path` inside the document
  (`/name`, `/vocabulary/0`, `/vocabulary/-`, ...); the server's keys (`id`, `type`,
  `createdOn`, `updatedOn`) cannot be patched, and `from` must be inside the document too;
- the SDK's shorthand (it sends every `value` as a string): `add` of a string to a whole-list
  path appends it, `remove` of a whole-list path that carries a `value` removes that item;
- `copy` is the one operation that can grow a document beyond what the body carried (copy a
  list into itself, again and again), so what copies add up to is bounded.

The rules of the patched document are the caller's (the same validator as create/update);
`at_fault` says which operation to blame for a broken rule: the last one that wrote one of
the fields the rule is about.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import jsonpatch
import jsonpointer

from local_api.validation import json_type
from symbl_admin.contract import MAX_BODY_BYTES, SERVER_STAMPS

OPERATIONS = ("add", "remove", "replace", "move", "copy", "test")
READ_ONLY = ("id", "type", *SERVER_STAMPS)
#: Copies may add at most this much (characters of text plus one per value) to a document:
#: as much as a whole request body could carry.
MAX_COPIED = MAX_BODY_BYTES
_SHOWN = 80  # characters of a path or value a message repeats
_NOTHING = object()


class PatchFailed(Exception):
    """A patch that cannot be applied (answered 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Operation:
    """One checked operation: its place in the patch, what it does and the fields it writes."""

    index: int
    op: str
    path: str
    writes: frozenset[str]

    @property
    def label(self) -> str:
        return f"Operation {self.index} ({self.op} {_short(self.path)})"


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _shown(value: Any) -> str:
    """A value as a message repeats it: JSON, cut short."""
    try:
        return _short(json.dumps(value, ensure_ascii=False))
    except (TypeError, ValueError, RecursionError):
        return json_type(value)


def _member(index: int, raw: dict[str, Any], key: str, fields: Iterable[str]) -> str:
    """The document field a path (`path` or `from`) starts at.

    Raises:
        PatchFailed: not a string, not a JSON Pointer, the whole document, a read-only key
            or a key outside the document.
    """
    where = f"Operation {index}"
    pointer = raw[key]
    if not isinstance(pointer, str):
        raise PatchFailed(f'{where}: "{key}" must be a string, not {json_type(pointer)}.')
    try:
        parts = jsonpointer.JsonPointer(pointer).parts
    except jsonpointer.JsonPointerException as error:
        raise PatchFailed(
            f'{where}: "{key}" {_shown(pointer)} is not a JSON Pointer (RFC 6901): {error}.'
        ) from None
    where = f"Operation {index} ({_short(str(raw['op']))} {_short(pointer)})"
    if not parts:
        raise PatchFailed(f"{where}: the whole document cannot be patched; name a field.")
    if parts[0] in READ_ONLY:
        raise PatchFailed(f'{where}: "{parts[0]}" is set by the server and cannot be patched.')
    if parts[0] not in fields:
        raise PatchFailed(
            f'{where}: "{_short(parts[0])}" is not a field of the document; the fields are '
            f"{', '.join(fields)}."
        )
    return parts[0]


def _checked(index: int, raw: Any, fields: tuple[str, ...]) -> Operation:
    if not isinstance(raw, dict):
        raise PatchFailed(
            f'Operation {index} must be a JSON object with "op" and "path", not {json_type(raw)}.'
        )
    op = raw.get("op")
    if op not in OPERATIONS:
        shown = "none" if "op" not in raw else _shown(op)
        raise PatchFailed(
            f'Operation {index}: "op" is {shown}; it must be one of {", ".join(OPERATIONS)}.'
        )
    if "path" not in raw:
        raise PatchFailed(f'Operation {index} ({op}): "path" is required.')
    target = _member(index, raw, "path", fields)
    writes = {target}
    if op in ("move", "copy"):
        if "from" not in raw:
            raise PatchFailed(
                f'Operation {index} ({op} {_short(raw["path"])}): "from" is required.'
            )
        source = _member(index, raw, "from", fields)
        if op == "move":
            writes.add(source)
    elif op != "remove" and "value" not in raw:
        raise PatchFailed(f'Operation {index} ({op} {_short(raw["path"])}): "value" is required.')
    return Operation(index, op, raw["path"], frozenset() if op == "test" else frozenset(writes))


def _shorthand(operation: Operation, raw: dict[str, Any], document: dict[str, Any], lists):
    """The RFC 6902 operation the SDK's shorthand means (others are returned as they are)."""
    field = operation.path[1:]
    if operation.path != f"/{field}" or field not in lists:
        return raw
    if operation.op == "add" and isinstance(raw["value"], str):
        return {**raw, "path": f"/{field}/-"}
    if operation.op == "remove" and raw.get("value") is not None:
        value, items = raw["value"], document.get(field)
        if not isinstance(value, str):
            raise PatchFailed(
                f"{operation.label}: the value to remove must be a string, not {json_type(value)}."
            )
        if not isinstance(items, list) or value not in items:
            raise PatchFailed(f'{operation.label}: {_shown(value)} is not in "{field}".')
        return {"op": "remove", "path": f"/{field}/{items.index(value)}"}
    return raw


def _size(value: Any, budget: int) -> int:
    """Characters of text plus one per value, counted until `budget` is passed."""
    total, stack = 0, [value]
    while stack and total <= budget:
        item = stack.pop()
        total += 1
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
    return total


def _apply_one(operation: Operation, raw: dict[str, Any], document: dict[str, Any]) -> None:
    try:
        jsonpatch.JsonPatch([raw]).apply(document, in_place=True)
    except jsonpatch.JsonPatchTestFailed:
        actual = jsonpointer.resolve_pointer(document, operation.path, default=_NOTHING)
        there = "nothing is there" if actual is _NOTHING else f"the value is {_shown(actual)}"
        raise PatchFailed(
            f"{operation.label}: the test failed: {there}, not {_shown(raw['value'])}."
        ) from None
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as error:
        raise PatchFailed(f"{operation.label}: {error}.") from None
    except RecursionError:
        raise PatchFailed(f"{operation.label}: the value is nested too deeply.") from None


def apply_patch(
    document: dict[str, Any], patch: Any, *, lists: Iterable[str]
) -> tuple[dict[str, Any], list[Operation]]:
    """The document with the patch applied (a copy), and the operations as checked.

    `lists` are the fields holding lists (where the shorthand applies). A field that a
    `remove` takes away is simply missing from the result.

    Raises:
        PatchFailed: the body is not a list of operations, or one cannot be applied.
    """
    if not isinstance(patch, list):
        raise PatchFailed(
            "The body must be a JSON Patch (RFC 6902): a list of operations such as "
            f'[{{"op": "replace", "path": "/name", "value": "..."}}], not {json_type(patch)}.'
        )
    fields, lists = tuple(document), frozenset(lists)
    result = copy.deepcopy(document)
    operations, copied = [], 0
    for index, raw in enumerate(patch):
        operation = _checked(index, raw, fields)
        raw = _shorthand(operation, raw, result, lists)
        if operation.op == "copy":
            copied += _size(_resolve(operation, raw["from"], result), MAX_COPIED - copied)
            if copied > MAX_COPIED:
                raise PatchFailed(
                    f"{operation.label}: the copies of this patch add more than "
                    f"{MAX_COPIED:,} characters to the document."
                )
        _apply_one(operation, raw, result)
        operations.append(operation)
    return result, operations


def _resolve(operation: Operation, pointer: str, document: dict[str, Any]) -> Any:
    try:
        return jsonpointer.resolve_pointer(document, pointer)
    except jsonpointer.JsonPointerException as error:
        raise PatchFailed(f"{operation.label}: {error}.") from None


def at_fault(operations: list[Operation], fields: Iterable[str]) -> str:
    """The label of the last operation that wrote one of `fields` ("The patch" if none did)."""
    wanted = set(fields)
    for operation in reversed(operations):
        if operation.writes & wanted:
            return operation.label
    return "The patch"
