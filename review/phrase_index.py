"""Review quality layer: the trackers' findings, from an index of the account's phrases.

The findings between trackers (the same phrase in two; tracked in one, ignored in another) are
a function of each phrase key's holders. A phrase shared by several trackers is reported on
each holder but the first in list order, naming the earlier holders: each pair once. The index keeps, per key, which trackers hold it at
which positions, and each tracker's findings; `build` makes the index of a list from the index
of an earlier list by diffing the two (trackers are frozen values: removed = old − new, added =
new − old), so one changed tracker costs work proportional to its phrases, not the account's.
From no index it is the fresh computation: both paths run the same code per key.

An index is never changed once built (a new one shares the unchanged parts of the old), so one
kept between requests may be read by any thread. The order of the findings depends only on
the list: trackers in list order; within one, the whole tracker first, then its phrases, then
its ignored phrases, each by position, then kind (KINDS order) and message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain

from .quality import KINDS, Finding, names, own_findings, phrase_finding, phrase_key

# phrase key → the trackers holding it (ids, in no particular order)
Holders = dict[str, tuple[str, ...]]
# one tracker's phrase keys → their positions: (among its phrases, among those to ignore)
Places = tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]

_FIELD_ORDER = {"": 0, "vocabulary": 1, "excludeVocabulary": 2}
_KIND_ORDER = {kind: n for n, kind in enumerate(KINDS)}
_AT = tuple((i,) for i in range(1024))  # one tuple for each single position, shared


def _order(finding: Finding) -> tuple:
    index = -1 if finding.index is None else finding.index
    return (_FIELD_ORDER[finding.field], index, _KIND_ORDER[finding.kind], finding.message)


@dataclass(frozen=True, eq=False)
class PhraseIndex:
    """The account's phrases and the findings they make, for one list of trackers."""

    order: tuple[str, ...]  # the list's tracker ids, in its order
    by_id: dict[str, object]  # id → tracker (what the next list is diffed against)
    places: dict[str, Places]  # id → where each of its phrase keys is
    vocab: Holders  # phrase key → the trackers that track it
    excluded: Holders  # phrase key → the trackers that ignore it
    cross: dict[str, dict[str, tuple[Finding, ...]]]  # id → key → findings between trackers
    combined: dict[str, tuple[Finding, ...]]  # id → all its findings, in order

    def of(self, tracker_id: str) -> tuple[Finding, ...]:
        """One tracker's findings, as the account-wide findings have them."""
        return self.combined.get(tracker_id, ())

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        """Every tracker finding of the account, in list order."""
        combined = self.combined
        return tuple(chain.from_iterable(combined.get(i, ()) for i in self.order))


_EMPTY = PhraseIndex((), {}, {}, {}, {}, {}, {})


def build(trackers: Sequence, previous: PhraseIndex | None = None) -> PhraseIndex:
    """The index of `trackers`: from `previous` when there is one and less than the whole list
    changed, else from nothing (the same findings either way: `build(trackers).findings` is
    the fresh computation)."""
    by_id: dict[str, object] = {}
    for tracker in trackers:
        by_id.setdefault(tracker.id, tracker)
    if len(by_id) != len(trackers):  # an id twice (no server sends one): read the first
        trackers = list(by_id.values())
    base = _EMPTY if previous is None else previous
    removed, added = _diff(base.by_id, by_id)
    order = tuple(by_id)
    if not removed and not added and order == base.order:
        return base  # nothing a finding reads has changed
    if len(removed) + len(added) > len(order) or not _same_order(base, order, removed, added):
        base, removed = _EMPTY, []
    if base is _EMPTY:
        added = trackers  # in list order, as a fresh pass reads them
    return _Update(base, order).apply(removed, added)


def _diff(old: dict, new: dict) -> tuple[list, list]:
    """(old − new, new − old) of two lists' trackers, as the findings see them (a tracker
    edited is one of each). Paired by id, compared on what the findings read: the trackers of
    a list just read are new objects, and hashing or comparing each whole (its extra fields
    as JSON) would cost more than the change."""
    removed = [t for i, t in old.items() if i not in new]
    added = []
    for tracker_id, tracker in new.items():
        before = old.get(tracker_id)
        if before is None:
            added.append(tracker)
        elif before is not tracker and not _same_for_findings(before, tracker):
            removed.append(before)
            added.append(tracker)
    return removed, added


def _same_for_findings(a, b) -> bool:
    """The fields every finding is made of (id aside): its name, phrases and ignored phrases."""
    return (
        a.vocabulary == b.vocabulary
        and a.exclude_vocabulary == b.exclude_vocabulary
        and a.name == b.name
    )


def _same_order(base: PhraseIndex, order, removed, added) -> bool:
    """The trackers in both lists are in the same order in each (the messages that name
    several trackers name them in list order)."""
    gone, new = {t.id for t in removed}, {t.id for t in added}
    return [i for i in base.order if i not in gone] == [i for i in order if i not in new]


def _positions(phrases: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """key → its positions among these phrases."""
    key_of, found = phrase_key, {}
    for i, phrase in enumerate(phrases):
        key = key_of(phrase)
        at = found.get(key)
        found[key] = (_AT[i] if i < len(_AT) else (i,)) if at is None else (*at, i)
    return found


class _Update:
    """One build: copies of the base's outer maps, changed for the removed and added trackers
    only (inner values are tuples or replaced maps, so the base stays as it was)."""

    def __init__(self, base: PhraseIndex, order: tuple[str, ...]):
        self.base, self.order = base, order
        self.by_id, self.places = dict(base.by_id), dict(base.places)
        self.vocab, self.excluded = dict(base.vocab), dict(base.excluded)
        self.cross, self.combined = dict(base.cross), dict(base.combined)
        self.dirty: set[str] = set()  # keys whose holders changed (when the base has some)
        self.touched: set[str] = set()  # trackers whose findings may have changed
        self.held_before: dict[str, set[str]] = {}  # dirty key → its holders in the base

    def apply(self, removed: Iterable, added: Iterable) -> PhraseIndex:
        for tracker in removed:
            self._hold(tracker, self.places.pop(tracker.id), remove=True)
            del self.by_id[tracker.id]
            self.cross.pop(tracker.id, None)
            self.combined.pop(tracker.id, None)
        for tracker in added:
            places = (_positions(tracker.vocabulary), _positions(tracker.exclude_vocabulary))
            self.by_id[tracker.id] = tracker
            self.places[tracker.id] = places
            self.touched.add(tracker.id)
            self._hold(tracker, places, remove=False)
        self._refind()
        return PhraseIndex(
            self.order,
            self.by_id,
            self.places,
            self.vocab,
            self.excluded,
            self.cross,
            self.combined,
        )

    def _hold(self, tracker, places: Places, *, remove: bool) -> None:
        alone, tracker_id, before = (tracker.id,), tracker.id, self.base.by_id
        for holders, keys in zip((self.vocab, self.excluded), places, strict=True):
            for key in keys:
                if before and key not in self.held_before:  # (a fresh pass finds its keys)
                    was = {*self.base.vocab.get(key, ()), *self.base.excluded.get(key, ())}
                    self.held_before[key] = was
                    self.dirty.add(key)
                held = holders.get(key)
                if remove:
                    held = tuple(h for h in held if h != tracker_id)
                else:
                    held = alone if held is None else (*held, tracker_id)
                if held:
                    holders[key] = held
                else:
                    del holders[key]

    def _refind(self) -> None:
        """Each dirty key's findings, on every tracker that held it before or holds it now;
        then the whole findings of each tracker touched."""
        position = {tracker_id: n for n, tracker_id in enumerate(self.order)}
        vocab, excluded, held_before = self.vocab, self.excluded, self.held_before
        keys: Iterable[str] = self.dirty
        if not self.base.by_id:  # a fresh pass: every key is new; those that make a finding
            keys = [k for k, held in vocab.items() if len(held) > 1]
            keys += [k for k in excluded if len(vocab.get(k, ())) == 1]
        for key in keys:
            tracking, ignoring = vocab.get(key, ()), excluded.get(key, ())
            was = held_before.get(key, ())
            if not was and len(tracking) < 2 and not (tracking and ignoring):
                continue  # no finding now, none before
            found = _findings_at(key, tracking, ignoring, self.by_id, self.places, position)
            for tracker_id in {*was, *found}:
                if tracker_id not in self.by_id:
                    continue  # removed: its maps are gone already
                mine = self.cross.get(tracker_id, {})
                if tracker_id not in found and key not in mine:
                    continue
                mine = dict(mine)
                if tracker_id in found:
                    mine[key] = tuple(found[tracker_id])
                else:
                    del mine[key]
                if mine:
                    self.cross[tracker_id] = mine
                else:
                    self.cross.pop(tracker_id, None)
                self.touched.add(tracker_id)
        for tracker_id in self.touched:
            tracker = self.by_id[tracker_id]
            mine = [*chain.from_iterable(self.cross.get(tracker_id, {}).values())]
            mine += own_findings(tracker)
            if mine:
                self.combined[tracker_id] = tuple(sorted(mine, key=_order))
            else:
                self.combined.pop(tracker_id, None)


def _findings_at(key, tracking, ignoring, by_id, places, position) -> dict[str, list[Finding]]:
    """tracker id → its findings about one phrase key, given the key's holders."""
    found: dict[str, list[Finding]] = {}
    if len(tracking) > 1:  # the same phrase in two trackers: each pair once, on the later one
        in_order = sorted(tracking, key=position.__getitem__)
        for n, tracker_id in enumerate(in_order[1:], start=1):
            tracker, i = by_id[tracker_id], places[tracker_id][0][key][0]
            others = [by_id[h] for h in in_order[:n]]
            message = f"“{tracker.vocabulary[i]}” is also a phrase of {names(others)}."
            found.setdefault(tracker_id, []).append(
                phrase_finding("duplicate_phrase", tracker, i, message)
            )
    for tracker_id in tracking if ignoring else ():  # tracked here, ignored there
        tracker, at = by_id[tracker_id], places[tracker_id][0][key]
        for other_id in ignoring:
            if other_id == tracker_id:
                continue
            other, other_at = by_id[other_id], places[other_id][1][key]
            for i in at:
                for j in other_at:
                    found.setdefault(tracker_id, []).append(
                        phrase_finding(
                            "ignored_elsewhere",
                            tracker,
                            i,
                            f"“{tracker.vocabulary[i]}” is a phrase to ignore in “{other.name}”.",
                        )
                    )
                    found.setdefault(other_id, []).append(
                        phrase_finding(
                            "ignored_elsewhere",
                            other,
                            j,
                            f"“{other.exclude_vocabulary[j]}” is ignored here but tracked by "
                            f"“{tracker.name}”.",
                            field="excludeVocabulary",
                        )
                    )
    return found
