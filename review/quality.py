"""Review quality layer: account-wide findings over every tracker and group.

Pure functions over the client's dataclasses (the selector makes one list call per resource
and hands the lists here). The per-phrase advice is trackers/rules.py's `phrase_hints`, the
same code the editor's live check runs; criteria are read with symbl_admin/rsql.py; criteria
that can never match are groups/contradictions.py's words, which the group editor and the
import preview show too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from groups.contradictions import never_matches
from groups.criteria import ALIASES
from symbl_admin import rsql
from trackers.rules import phrase_hints

FEW_PHRASES = 5

# kind → its words on the screen, in the order the summary shows them.
KINDS: dict[str, str] = {
    "duplicate_phrase": "Same phrase in two trackers",
    "near_duplicate": "Near-duplicate phrases in one tracker",
    "ignored_elsewhere": "Tracked in one tracker, ignored in another",
    "few_phrases": f"Trackers with fewer than {FEW_PHRASES} phrases",
    "phrase_advice": "Phrase advice (filler openings, long phrases, “but”)",
    "equivalent_criteria": "Groups with equivalent criteria",
    "name_case": "Group names that differ only by case",
    "never_matches": "Criteria that can never match",
}
# Findings over the conversations (selections.py): a section of their own, loaded apart.
SELECTION_KINDS: dict[str, str] = {
    "selects_none": "Groups that select no conversation",
    "same_selection": "Groups that select exactly the same conversations",
}

_APOSTROPHES = re.compile(r"['’‘`]")
_NOT_WORD = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class Finding:
    kind: str
    object_type: str  # "tracker" | "group"
    object_id: str
    object_name: str
    message: str
    phrase: str = ""
    field: str = ""  # "vocabulary", "excludeVocabulary", or "" (the object as a whole)
    index: int | None = None  # the phrase's position in `field`

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind) or SELECTION_KINDS[self.kind]

    @property
    def url(self) -> str:
        """The editor, at the phrase concerned when there is one (?phrase=2 or ?excluded=0)."""
        base = reverse(f"{self.object_type}s:edit", args=[self.object_id])
        if self.index is None:
            return base
        key = "excluded" if self.field == "excludeVocabulary" else "phrase"
        anchor = "field-excluded" if key == "excluded" else "field-phrases"
        return f"{base}?{urlencode({key: self.index})}#{anchor}"


# ---- phrases


# Pure functions of a phrase: the phrase index (phrase_index.py) asks them only for the
# phrases of the trackers a change touched, so they are not kept.
def phrase_key(phrase: str) -> str:
    """Case- and punctuation-insensitive: "What's the price?" ≡ "whats the price"."""
    text = _APOSTROPHES.sub("", phrase.casefold())
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def near_key(phrase: str) -> str:
    """phrase_key with simple plurals made singular: "Refunds" ≈ "refund"."""
    return " ".join(_singular(w) for w in phrase_key(phrase).split())


def names(trackers: Iterable) -> str:
    return ", ".join(f"“{t.name}”" for t in trackers)


def _near_duplicates(tracker) -> list[Finding]:
    first: dict[str, int] = {}
    findings = []
    for i, phrase in enumerate(tracker.vocabulary):
        key = near_key(phrase)
        if key in first and tracker.vocabulary[first[key]] != phrase:
            other = tracker.vocabulary[first[key]]
            findings.append(
                phrase_finding(
                    "near_duplicate",
                    tracker,
                    i,
                    f"“{phrase}” is nearly the same as “{other}” (phrase {first[key] + 1}).",
                )
            )
        first.setdefault(key, i)
    return findings


def phrase_finding(kind, tracker, index, message, *, field="vocabulary") -> Finding:
    phrases = tracker.exclude_vocabulary if field == "excludeVocabulary" else tracker.vocabulary
    return Finding(kind, "tracker", tracker.id, tracker.name, message, phrases[index], field, index)


def _tracker_advice(tracker) -> list[Finding]:
    findings = []
    count = len(tracker.vocabulary)
    if count < FEW_PHRASES:
        message = (
            f"{count} phrase{'' if count == 1 else 's'}: add a few more ways of saying it "
            f"(at least {FEW_PHRASES})."
        )
        findings.append(Finding("few_phrases", "tracker", tracker.id, tracker.name, message))
    for i, phrase in enumerate(tracker.vocabulary):
        for hint in phrase_hints(phrase):
            findings.append(phrase_finding("phrase_advice", tracker, i, f"“{phrase}”: {hint}"))
    return findings


def own_findings(tracker) -> tuple[Finding, ...]:
    """One tracker's findings about itself: a function of the (frozen, hashable) tracker, so
    remembered for an unchanged tracker; a changed one is another key."""
    return (*_near_duplicates(tracker), *_tracker_advice(tracker))


# ---- groups


def canonical(node: rsql.Node):
    """A criteria tree in one spelling: operator aliases written as words, `=in=` values
    and the items of and/or sorted, so the same conditions in another order compare equal."""
    if isinstance(node, rsql.Comparison):
        op = ALIASES.get(node.op, node.op)
        values = tuple(sorted(node.values)) if op in rsql.MULTI_VALUE_OPERATORS else node.values
        return ("cmp", node.selector, op, values)
    items = tuple(sorted((canonical(item) for item in node.items), key=repr))
    return ("and" if isinstance(node, rsql.And) else "or", items)


def group_findings(groups: list) -> list[Finding]:
    """Every group finding of the account."""
    findings = []
    by_form: dict = defaultdict(list)
    by_name: dict[str, list] = defaultdict(list)
    for group in groups:
        by_name[group.name.casefold()].append(group)
        try:
            tree = rsql.parse(group.criteria)
        except rsql.RSQLError:
            continue  # the server accepted it; the editor explains what it cannot read
        by_form[canonical(tree)].append(group)
        message = never_matches(tree)
        if message:
            findings.append(Finding("never_matches", "group", group.id, group.name, message))
    for kind, buckets, words in (
        ("equivalent_criteria", by_form.values(), "has the same criteria as"),
        ("name_case", by_name.values(), "differs only by case from"),
    ):
        for bucket in buckets:
            for group in bucket if len(bucket) > 1 else ():
                others = [g for g in bucket if g.id != group.id]
                message = f"“{group.name}” {words} {names(others)}."
                findings.append(Finding(kind, "group", group.id, group.name, message))
    return findings


def summary(findings: list[Finding]) -> list[dict]:
    """[{kind, label, count}] for every kind, in KINDS order (zero counts included)."""
    counts: dict[str, int] = defaultdict(int)
    for finding in findings:
        counts[finding.kind] += 1
    return [{"kind": k, "label": label, "count": counts[k]} for k, label in KINDS.items()]
