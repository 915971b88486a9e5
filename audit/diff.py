"""Audit diff layer: the one comparison of two states of an object.

Used by the object history, the audit entry page, and the revert and conflict screens, so a
change reads the same everywhere. Which fields exist, their labels and kinds come from the
contract (`symbl_admin.contract`); nothing here names a field. Pure functions: no database.

    diff = diff_states("tracker", before, after)
    diff.phrases         # every phrase in position order, marked added/removed/kept/moved
    diff.changed_fields  # text fields that changed (never what the server sets)
    diff.changed_phrase_fields  # phrase lists with something added, removed or moved
    diff.summary         # "Name changed; 2 phrases added, 1 removed"
    change_words(diff)   # 'Name: “A” → “B”; Phrases: + “coupon”, − “sale”' (exports)

A diff is what a person changed: what the server sets (id, type, the createdOn/updatedOn
stamps) is never part of it.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

from symbl_admin import contract

ADDED, REMOVED, KEPT, MOVED = "added", "removed", "kept", "moved"
# Set by the server, never by a person: the id (shown on the page already), the tracker's
# type (always "custom") and the stamps (the audit entry has its own time).
SERVER_MANAGED = frozenset({"id", "type", *contract.SERVER_STAMPS})
_MARKERS = {ADDED: "+", REMOVED: "−", MOVED: "↕", KEPT: ""}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str
    known: bool = True  # a field of the contract (an unknown key is shown only when changed)

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class PhraseChange:
    text: str
    change: str  # "added", "removed", "kept", "moved"

    @property
    def marker(self) -> str:
        """A sign for sighted readers (+, −, ↕); screens also say the change in words."""
        return _MARKERS.get(self.change, "")


@dataclass(frozen=True)
class PhraseDiff:
    """One field of kind "phrases", compared in order.

    ``merged`` is the whole list in position order: a removed phrase stands where it was, an
    added one where it is, a moved one at its new place. ``before``/``after`` are the two
    sides of a side-by-side view (a moved phrase is marked on both)."""

    name: str
    label: str
    merged: tuple[PhraseChange, ...]
    before: tuple[PhraseChange, ...]
    after: tuple[PhraseChange, ...]

    def count(self, change: str) -> int:
        side = self.after if change == MOVED else self.merged
        return sum(1 for p in side if p.change == change)

    @property
    def changed(self) -> bool:
        return any(p.change != KEPT for p in self.merged) or any(
            p.change == MOVED for p in self.after
        )


@dataclass(frozen=True)
class Diff:
    """Two states of one object compared. Either side may be missing (create, delete)."""

    object_type: str
    fields: tuple[FieldChange, ...]  # text fields of the contract, then unknown keys
    phrase_fields: tuple[PhraseDiff, ...]
    has_before: bool
    has_after: bool
    action: str = ""  # the audit action, when known: it words the summary

    # The first phrases field (trackers' vocabulary) is "the" phrases of the object.
    @property
    def _first(self) -> PhraseDiff | None:
        return self.phrase_fields[0] if self.phrase_fields else None

    @property
    def has_phrases(self) -> bool:
        return self._first is not None

    @property
    def phrases(self) -> tuple[PhraseChange, ...]:
        return self._first.merged if self._first else ()

    @property
    def before_phrases(self) -> tuple[PhraseChange, ...]:
        return self._first.before if self._first else ()

    @property
    def after_phrases(self) -> tuple[PhraseChange, ...]:
        return self._first.after if self._first else ()

    @property
    def added(self) -> int:
        return sum(p.count(ADDED) for p in self.phrase_fields)

    @property
    def removed(self) -> int:
        return sum(p.count(REMOVED) for p in self.phrase_fields)

    @property
    def moved(self) -> int:
        return sum(p.count(MOVED) for p in self.phrase_fields)

    @property
    def changed_fields(self) -> tuple[FieldChange, ...]:
        """Text fields whose value differs; the server's own stamps are never among them."""
        return tuple(f for f in self.fields if f.changed)

    @property
    def changed_phrase_fields(self) -> tuple[PhraseDiff, ...]:
        """Phrase lists with a phrase added, removed or moved (a kept list is no change)."""
        return tuple(p for p in self.phrase_fields if p.changed)

    @property
    def changed(self) -> bool:
        return bool(self.changed_fields or self.added or self.removed or self.moved)

    @property
    def is_empty(self) -> bool:
        return not (self.has_before or self.has_after)

    @property
    def summary(self) -> str:
        """The change in a few words, counting exactly what the diff lists."""
        if self.is_empty:
            return "No object data recorded"
        first = self._first
        if not self.has_before:
            verb = "Restored" if self.action == "restore" else "Created"
            return f"{verb} with {_count(len(first.after), first)}" if first else verb
        if not self.has_after:
            return f"Deleted; it had {_count(len(first.before), first)}" if first else "Deleted"
        parts = []
        if self.changed_fields:
            parts.append(_and([f.label for f in self.changed_fields]) + " changed")
        for phrases in self.phrase_fields:  # each list under its own label
            counts = [(phrases.count(change), change) for change in (ADDED, REMOVED, MOVED)]
            counted = ", ".join(f"{n} {change}" for n, change in counts if n)
            if counted:
                parts.append(f"{phrases.label}: {counted}")
        return "; ".join(parts) or "No changes"


def _noun(phrases: PhraseDiff, n: int) -> str:
    plural = phrases.label.lower()
    singular = plural[:-1] if plural.endswith("s") else plural
    return singular if n == 1 else plural


def _count(n: int, phrases: PhraseDiff) -> str:
    return f"{n} {_noun(phrases, n)}"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def text_of(value: Any) -> str:
    """A field's value as one line of text, for showing and comparing."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _phrase_list(value: Any) -> list[str]:
    return [str(p) for p in value] if isinstance(value, list | tuple) else []


def phrase_diff(before: list[str], after: list[str]):
    """(merged, before side, after side), order-aware.

    SequenceMatcher's opcodes walk both lists in step, so each removed phrase is emitted at
    the position it had and each added one where it now is. A phrase on both sides outside
    the matched blocks has moved (the server keeps the order, so a move is a change too)."""
    both = set(before) & set(after)
    merged: list[PhraseChange] = []
    left: list[PhraseChange] = []
    right: list[PhraseChange] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            for text in before[a0:a1]:
                kept = PhraseChange(text, KEPT)
                merged.append(kept)
                left.append(kept)
                right.append(kept)
            continue
        for text in before[a0:a1]:
            change = PhraseChange(text, MOVED if text in both else REMOVED)
            left.append(change)
            if change.change == REMOVED:
                merged.append(change)
        for text in after[b0:b1]:
            change = PhraseChange(text, MOVED if text in both else ADDED)
            right.append(change)
            merged.append(change)
    return tuple(merged), tuple(left), tuple(right)


def _spec(object_type: str) -> contract.ResourceSpec:
    return contract.spec_for(object_type) or contract.ResourceSpec(object_type, "", ())


def diff_states(
    object_type: str, before: dict | None, after: dict | None, *, action: str = ""
) -> Diff:
    """Compare two states of an object of `object_type` (either side may be None).

    Fields come from the contract: kind "phrases" is compared in order (see phrase_diff),
    other kinds as text; keys the contract does not know are compared as text too, except
    what the server sets (SERVER_MANAGED), which is left out."""
    spec = _spec(object_type)
    b = before if isinstance(before, dict) else {}
    a = after if isinstance(after, dict) else {}
    known = [f for f in spec.fields if f.kind != "phrases"]
    unknown = sorted((set(b) | set(a)) - set(spec.names) - SERVER_MANAGED)
    fields = tuple(
        FieldChange(
            name, spec.label(name), text_of(b.get(name)), text_of(a.get(name)), name in spec.names
        )
        for name in [f.name for f in known] + unknown
    )
    phrase_fields = tuple(
        PhraseDiff(
            f.name, f.label, *phrase_diff(_phrase_list(b.get(f.name)), _phrase_list(a.get(f.name)))
        )
        for f in spec.fields
        if f.kind == "phrases"
    )
    return Diff(
        object_type=object_type,
        fields=fields,
        phrase_fields=phrase_fields,
        has_before=isinstance(before, dict),
        has_after=isinstance(after, dict),
        action=action,
    )


def _quoted(text: str, limit: int = 200) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def change_words(diff: Diff) -> str:
    """What changed, in one line of words for a person (the audit export's "what_changed"):
    the summary for a create or delete; for an update each changed field, old → new, and each
    phrase added (+) or removed (−), moves counted. Built from the diff, as every screen is."""
    if diff.is_empty or not (diff.has_before and diff.has_after):
        return diff.summary
    parts = [f"{f.label}: {_quoted(f.before)} → {_quoted(f.after)}" for f in diff.changed_fields]
    for phrases in diff.phrase_fields:
        bits = [f"+ {_quoted(p.text)}" for p in phrases.merged if p.change == ADDED]
        bits += [f"− {_quoted(p.text)}" for p in phrases.merged if p.change == REMOVED]
        if phrases.count(MOVED):
            bits.append(f"{phrases.count(MOVED)} moved")
        if bits:
            parts.append(f"{phrases.label}: {', '.join(bits)}")
    return "; ".join(parts) or "No changes"


def entry_diff(entry) -> Diff:
    """The diff of an entry (AuditEntry or HistoryItem): its before vs what it led to.

    A restore creates the object again under a new id, so its diff runs from nothing to the
    restored state (what it was restored *from* is the deleted object's own history)."""
    after = getattr(entry, "effective_after", entry.after)
    before = None if entry.action == "restore" else entry.before
    return diff_states(entry.object_type, before, after, action=entry.action)
