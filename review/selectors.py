"""Review selector layer: the queue (one item per object, one diff since its last approval)
and the quality report. Reads only: the audit log for the queue, one list call per resource
for the findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import quote, urlencode

from django.urls import reverse

from audit.diff import Diff, diff_states
from audit.models import CREATING_ACTIONS, Action, AuditEntry
from audit.selectors import items_of
from review.reviews import CHANGES_REQUESTED, Change, ObjectReview, reviews_of
from review.standings import keys_in_state, queued
from symbl_admin import contract
from symbl_admin.caching import Layer, keys
from symbl_admin.management_api.errors import ManagementAPIError
from symbl_admin.management_api.types import Stamped
from symbl_admin.paging import Page, cut_page

from . import phrase_index, quality
from .policy import SelfApproval, self_approval

ITEMS_PER_PAGE = 10
RECENT_CHANGES = 5


@dataclass(frozen=True)
class QueueItem:
    review: ObjectReview
    diff: Diff
    findings: tuple[quality.Finding, ...] = ()
    refusal: str = ""  # why this viewer may not approve it ("" when they may)
    error: str = ""  # a refused decision on this item, shown beside its form
    typed: str = ""  # the comment typed with that refused decision

    @property
    def key(self) -> str:
        """What the forms send: type, id and the latest change the viewer saw."""
        return f"{self.review.object_type}:{self.review.object_id}:{self.review.head}"

    @property
    def dom_id(self) -> str:
        return f"review-{self.review.object_type}-{self.review.head}"

    @property
    def changes(self) -> tuple[Change, ...]:
        return self.review.changes

    @property
    def type_label(self) -> str:
        return self.review.object_type.capitalize()

    @property
    def deleted(self) -> bool:
        return self.changes[-1].action == Action.DELETE

    @property
    def authors(self) -> list[str]:
        return sorted({c.actor_username or "(unknown)" for c in self.changes})

    @property
    def recent(self) -> tuple[Change, ...]:
        """The latest changes, listed on the item (the rest are one click away: History)."""
        return self.changes[-RECENT_CHANGES:]

    @property
    def earlier(self) -> int:
        """How many changes `recent` leaves out."""
        return max(0, len(self.changes) - RECENT_CHANGES)

    @property
    def notes(self) -> list[Change]:
        return [c for c in self.changes if c.reason]

    @property
    def impact_url(self) -> str:
        """A group or tracker change's effect on conversations (review/impact_views.py), or ""."""
        name = {"group": "review:impact", "tracker": "review:tracker_impact"}.get(
            self.review.object_type
        )
        if name is None:
            return ""
        return reverse(name, args=[self.changes[0].seq, self.changes[-1].seq])

    @property
    def impact_link(self) -> str:
        """The words of the impact's link for a browser without JavaScript."""
        if self.review.object_type == "tracker":
            return "Show the sentences this change newly catches and no longer catches"
        return "Show the conversations this change adds and removes"

    @property
    def object_url(self) -> str:
        return "" if self.deleted else _detail_url(self.review)

    @property
    def history_url(self) -> str:
        if self.deleted:
            return reverse("audit:list") + "?" + urlencode({"q": self.review.object_id})
        return _detail_url(self.review) + "#history-heading"


# Reviewed object types that are not a contract resource: (URL section, permission to edit,
# the edit page under the object's own). Conversations' metadata changes (issue 24).
_OTHER_PAGES = {"conversation": ("conversations", "change_conversations", "metadata/")}


def _pages(object_type: str) -> tuple[str, str, str]:
    spec = contract.spec_for(object_type)
    if spec is not None:
        return spec.plural, f"change_{spec.plural}", "edit/"
    return _OTHER_PAGES[object_type]


def _detail_url(review: ObjectReview) -> str:
    return f"/{_pages(review.object_type)[0]}/{quote(review.object_id, safe='')}/"


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]  # this page's (ITEMS_PER_PAGE, oldest change first)
    rule: SelfApproval | None  # None for viewers who may not approve
    page: Page
    findings_error: ManagementAPIError | None = None
    findings_stamps: tuple[str, str] | None = None  # the findings' stamp (None: not to be kept)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """Every object waiting, on every page."""
        return self.page.count

    @property
    def selectable(self) -> bool:
        """Some item this viewer may approve (the "Approve selected" form is worth showing)."""
        return self.rule is not None and any(not i.refusal for i in self.items)


def _diffs(reviews: list[ObjectReview]) -> dict[tuple[str, str], Diff]:
    """(type, id) → the diff from before the first unapproved change to after the last: a
    function of those two audit entries, which never change, so kept under their numbers."""
    spans = {(r.object_type, r.object_id): (r.changes[0].seq, r.changes[-1].seq) for r in reviews}
    diffs = {}
    for key, span in spans.items():
        diffs[key] = _spanned.get((key, span), lambda span=span: _diff_of(*span))
    return diffs


def _diff_of(first_seq: int, last_seq: int) -> Diff:
    items = {i.seq: i for i in items_of(AuditEntry.objects.filter(seq__in={first_seq, last_seq}))}
    first, last = items[first_seq], items[last_seq]
    before = None if first.action in CREATING_ACTIONS else first.before
    after = None if last.action == Action.DELETE else last.effective_after
    action = first.action if before is None else last.action
    if before is None and after is None:  # created and deleted since the last approval
        before, action = last.before, Action.DELETE
    return diff_states(first.object_type, before, after, action=action)


_spanned = Layer(
    "review-diffs",
    size=64,
    saves="a queue item's diff from two audit entries (numbered, never changed)",
    miss="reading the two entries and diffing two fifty-phrase lists",
)


def quality_findings(*, client) -> list[quality.Finding]:
    """Every finding of the account: one list call per resource.

    Raises: ManagementAPIError when a list cannot be read.
    """
    return _account_findings(client).all()


@dataclass(frozen=True)
class _Findings:
    """The account's findings as kept: the trackers' phrase index and the groups' findings."""

    trackers: phrase_index.PhraseIndex
    groups: tuple[quality.Finding, ...]
    stamp: tuple[str, str] | None  # the two lists' ETags (None: one had none)

    def all(self) -> Stamped:
        return Stamped((*self.trackers.findings, *self.groups), self.stamp)

    def of(self, object_type: str, object_id: str) -> tuple[quality.Finding, ...]:
        """One object's findings, as all() has them (without making all of them)."""
        if object_type == "tracker":
            return self.trackers.of(object_id)
        if object_type != "group":  # a conversation: no quality finding is about one
            return ()
        return tuple(f for f in self.groups if f.object_id == object_id)


def _account_findings(client) -> _Findings:
    trackers, groups = client.trackers.list(), client.groups.list()
    stamps = (getattr(trackers, "stamp", ""), getattr(groups, "stamp", ""))
    return _Findings(
        _tracker_index(trackers), _group_findings(groups), stamps if all(stamps) else None
    )


class _Indexes(Layer):
    """Phrase indexes under their list's ETag, and the last one this worker used: the next
    list is diffed against it (one index, not a history of lists)."""

    last: phrase_index.PhraseIndex | None = None

    def clear(self) -> None:
        super().clear()
        self.last = None


_indexes = _Indexes(
    "findings",
    size=2,
    saves="the trackers' phrase index (findings included) under the list's ETag; the last one "
    "is the base of the next, so a changed tracker costs its own phrases",
    miss="a diff against the last index (2–4 ms for one changed tracker at 500 × 50); "
    "with no index, a pass over every phrase (20–30 ms)",
)

_group_findings_kept = Layer(
    "group-findings",
    size=4,
    saves="the groups' findings under the groups list's ETag",
    miss="parsing and comparing every group's criteria",
)


def _tracker_index(trackers) -> phrase_index.PhraseIndex:
    """The list's phrase index: kept under its ETag, else made from the last one."""
    if not _indexes.on:
        return phrase_index.build(trackers)
    stamp = getattr(trackers, "stamp", "")

    def make() -> phrase_index.PhraseIndex:
        return phrase_index.build(trackers, _indexes.last)

    index = _indexes.get(keys.derive("findings", stamp), make) if stamp else make()
    _indexes.last = index
    return index


def _group_findings(groups) -> tuple[quality.Finding, ...]:
    stamp = getattr(groups, "stamp", "")
    if not stamp:
        return tuple(quality.group_findings(groups))
    key = keys.derive("group-findings", stamp)
    return _group_findings_kept.get(key, lambda: tuple(quality.group_findings(groups)))


def _page_reviews(shown) -> tuple[list[ObjectReview], dict[tuple[str, str], Diff]]:
    """The full reviews (changes and all) of one page's objects, and their diffs."""
    found = reviews_of(shown)
    reviews = [found[key] for key in shown if key in found and found[key].in_queue]
    return reviews, _diffs(reviews)


def review_queue(
    *, user, client, errors: dict | None = None, typed: dict | None = None, page: int = 1
) -> Queue:
    """Objects changed since their last approval, oldest change first, ITEMS_PER_PAGE to a
    page, each with its diff and findings. `errors`/`typed` (item key → text) put a refused
    decision back on its item."""
    errors, typed = errors or {}, typed or {}
    base = reverse("review:queue")
    cut = cut_page(queued(), page, ITEMS_PER_PAGE, lambda n: f"{base}?page={n}")
    reviews, diffs = _page_reviews(cut.items)
    rule = self_approval(user) if user.has_perm("accounts.approve_reviews") else None
    found = None
    failure = None
    if reviews:
        try:
            found = _account_findings(client)
        except ManagementAPIError as exc:
            failure = exc
    items = []
    for r in reviews:
        key = (r.object_type, r.object_id)
        mine = found.of(*key) if found is not None else ()
        refusal = rule.refusal(r.changes, actor_ids=r.actor_ids) if rule else ""
        item = QueueItem(r, diffs[key], mine, refusal)
        items.append(replace(item, error=errors.get(item.key, ""), typed=typed.get(item.key, "")))
    stamps = found.stamp if found is not None else None
    return Queue(
        items=items,
        rule=rule,
        page=cut,
        findings_error=failure,
        errors=errors,
        findings_stamps=stamps if reviews else ("", ""),  # no item: no findings shown
    )


def findings_stamps(*, client) -> tuple[str, str] | None:
    """The ETags of the two lists the findings are made of (None when a list has none or
    cannot be read: then nothing made of them is kept)."""
    try:
        lists = (client.trackers.list(), client.groups.list())
    except ManagementAPIError:
        return None
    stamps = tuple(getattr(found, "stamp", "") for found in lists)
    return stamps if all(stamps) else None


def _reviews_of(keys: set[tuple[str, str]]) -> list[ObjectReview]:
    """The full reviews (with their changes) of these objects only."""
    found = reviews_of(keys)
    return [found[key] for key in keys if key in found]


def parse_key(key: str) -> tuple[str, str, int] | None:
    """ "tracker:ID:12" → ("tracker", "ID", 12), or None when it is not one of ours."""
    kind, _, rest = key.partition(":")
    object_id, _, head = rest.rpartition(":")
    digits = head.isascii() and head.isdigit() and len(head) <= 18  # not "²", fits SQLite
    if kind not in ("tracker", "group", *_OTHER_PAGES) or not object_id or not digits:
        return None
    return kind, object_id, int(head)


def attention(*, user) -> list[dict]:
    """The viewer's changes a lead asked to change (the Overview's "need attention")."""
    result = []
    for r in _reviews_of(keys_in_state(CHANGES_REQUESTED)):
        if not any(c.actor_id == user.pk for c in r.requested_of):
            continue
        _, change, edit = _pages(r.object_type)
        deleted = r.changes[-1].action == Action.DELETE
        may_edit = user.has_perm(f"accounts.{change}") and not deleted
        result.append(
            {
                "name": r.name,
                "type_label": r.object_type.capitalize(),
                "comment": r.latest.comment,
                "by": r.latest.actor_username,
                "time": r.latest.time,
                "seq": r.latest.seq,
                "edit_url": _detail_url(r) + edit if may_edit else "",
            }
        )
    return sorted(result, key=lambda a: a["seq"])
