"""A Diff as HTML, built in Python with format_html (as core/columns.py builds list rows): a tracker's history
shows five diffs of two fifty-phrase lists each, and through the template engine those
500 list items were most of its detail page's time, and of the review queue's (`make bench`).

One side-by-side view for the audit entry page, an object's history and the review queue:
a summary line (unless the page shows it already); the text fields that changed, before and
after; each phrases field that changed as two ordered lists, added/removed/moved marked, in
server order. What a person did not change (an untouched field, what the server sets) is not
shown: audit/diff.py leaves the server's fields out of a Diff. Stacks into one column on phones (css/audit.css). Every value is escaped where it
is placed (format_html); only constant markup is marked safe.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from symbl_admin.caching import memo

from .diff import ADDED, KEPT, MOVED, REMOVED, Diff, FieldChange, PhraseChange

# Constant markup (no value in it), marked safe once.
_MUTED_DASH = mark_safe('<span class="muted">—</span>')
_NOTHING = SafeString("")
_EMPTY = mark_safe('<span class="muted">(empty)</span>')
_CHANGED_BADGE = mark_safe(' <span class="badge badge-info">changed</span>')
_NO_CHANGES = mark_safe('<p class="muted small">No field changed.</p>')
_NO_DATA = mark_safe(
    '<div class="audit-diff"><p class="muted small">No object data was recorded for this '
    "entry.</p></div>"
)
# (side, change) → a phrase's <li> as a format string (one {} for the escaped text): the
# change in words for screen readers, removed/added struck or underlined on their side.
_MARKS = {
    ("before", REMOVED): ('<del><span class="visually-hidden">removed: </span>', "</del>"),
    ("after", ADDED): ('<ins><span class="visually-hidden">added: </span>', "</ins>"),
}
_MOVED_MARK = ('<span class="visually-hidden">moved: </span>', "")


def _item_layout(side: str, change: str) -> str:
    opening, closing = _MOVED_MARK if change == MOVED else _MARKS.get((side, change), ("", ""))
    return f'<li class="phrase-{change}">{opening}{{}}{closing}</li>'  # constants only


_ITEM = {
    (side, change): _item_layout(side, change)
    for side in ("before", "after")
    for change in (ADDED, REMOVED, KEPT, MOVED)
}
_SIDE_TAG = {"before": "del", "after": "ins"}


def _side(diff: Diff, f: FieldChange, side: str) -> SafeString:
    """One side of a changed field: struck (before) or underlined (after), said in words."""
    present = diff.has_before if side == "before" else diff.has_after
    value = f.before if side == "before" else f.after
    if not present:
        return _MUTED_DASH
    if not value:
        return _EMPTY
    tag = _SIDE_TAG[side]
    return format_html(
        '<{}><span class="visually-hidden">{}: </span>{}</{}>', tag, side, value, tag
    )


def _field_rows(diff: Diff) -> SafeString:
    both = diff.has_before and diff.has_after
    return format_html_join(
        "",
        '<tr class="is-changed"><th scope="row">{}{}</th><td data-label="Before">{}</td>'
        '<td data-label="After">{}</td></tr>',
        (
            (
                f.label,
                _CHANGED_BADGE if both else "",
                _side(diff, f, "before"),
                _side(diff, f, "after"),
            )
            for f in diff.changed_fields
        ),
    )


def _fields_table(diff: Diff) -> SafeString:
    if not diff.changed_fields:
        return _NOTHING
    return format_html(
        '<table class="table audit-diff-fields"><caption class="visually-hidden">Fields '
        'before and after</caption><thead><tr><th scope="col">Field</th><th scope="col">'
        'Before</th><th scope="col">After</th></tr></thead><tbody>{}</tbody></table>',
        _field_rows(diff),
    )


def _phrase_items(phrases: tuple[PhraseChange, ...], side: str) -> SafeString:
    """Every item in one format_html: the format string is the items' constant markup, each
    phrase an argument, escaped there (a history shows five diffs of a hundred phrases, and a
    format_html per phrase made them most of its time)."""
    if not phrases:
        return _NOTHING
    layout = "".join(_ITEM[side, p.change] for p in phrases)
    return format_html(layout, *(p.text for p in phrases))


def _phrase_column(label: str, phrases: tuple[PhraseChange, ...], side: str) -> SafeString:
    return format_html(
        '<div><h3 class="small muted diff-heading">{} {} ({})</h3>'
        '<ol class="phrase-list">{}</ol></div>',
        label,
        side,
        len(phrases),
        _phrase_items(phrases, side),
    )


def _phrase_fields(diff: Diff) -> SafeString:
    one_side = "" if diff.has_before and diff.has_after else " audit-diff-one-side"
    return format_html_join(
        "",
        '<div class="audit-diff-phrases{}" role="group" aria-label="{}">{}{}</div>',
        (
            (
                one_side,
                field.label,
                _phrase_column(field.label, field.before, "before") if diff.has_before else "",
                _phrase_column(field.label, field.after, "after") if diff.has_after else "",
            )
            for field in diff.changed_phrase_fields
        ),
    )


def render(diff: Diff, *, summary: bool = True) -> SafeString:
    """The whole view; `summary=False` when the including page shows diff.summary already."""
    return _rendered(diff, summary)


@memo(
    "diff-html",
    size=64,
    saves="a diff as HTML (a review queue shows ten, a history five), for an unchanged diff",
    miss="escaping and laying out two fifty-phrase lists: about 1 ms",
)
def _rendered(diff: Diff, summary: bool) -> SafeString:
    if diff.is_empty:
        return _NO_DATA
    return format_html(
        '<div class="audit-diff">{}{}{}{}</div>',
        format_html('<p class="audit-diff-summary small">{}.</p>', diff.summary) if summary else "",
        _fields_table(diff),
        _phrase_fields(diff),
        "" if diff.changed else _NO_CHANGES,
    )
