"""A Diff as HTML, built in Python (as core/rows.py builds list rows): a tracker's history
shows five diffs of two fifty-phrase lists each, and through the template engine those
500 list items were most of its detail page's time, and of the review queue's (`make bench`).

One side-by-side view for the audit entry page, an object's history and the review queue:
a summary line (unless the page shows it already); the text fields (the contract's, plus
unknown keys that changed) before and after; each phrases field as two ordered lists,
added/removed/moved marked, in server order; the server's stamps in words, never counted as
changes. Stacks into one column on phones (css/audit.css). Every value is escaped.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from .diff import ADDED, MOVED, REMOVED, Diff, FieldChange, PhraseChange

_MUTED_DASH = '<span class="muted">—</span>'
_EMPTY = '<span class="muted">(empty)</span>'
_CHANGED_BADGE = ' <span class="badge badge-info">changed</span>'
_MARK = {
    # (side, change) -> (open, close) around the escaped text
    ("before", REMOVED): ('<del><span class="visually-hidden">removed: </span>', "</del>"),
    ("after", ADDED): ('<ins><span class="visually-hidden">added: </span>', "</ins>"),
}
_MOVED = ('<span class="visually-hidden">moved: </span>', "")


def _side(diff: Diff, f: FieldChange, side: str) -> str:
    present = diff.has_before if side == "before" else diff.has_after
    value = f.before if side == "before" else f.after
    if not present:
        return _MUTED_DASH
    if not value:
        return _EMPTY
    if f.changed:
        tag = "del" if side == "before" else "ins"
        return f'<{tag}><span class="visually-hidden">{side}: </span>{escape(value)}</{tag}>'
    return escape(value)


def _field_row(diff: Diff, f: FieldChange) -> str:
    badge = _CHANGED_BADGE if f.changed and diff.has_before and diff.has_after else ""
    return (
        f'<tr class="{"is-changed" if f.changed else ""}"><th scope="row">{escape(f.label)}{badge}</th>'
        f'<td data-label="Before">{_side(diff, f, "before")}</td>'
        f'<td data-label="After">{_side(diff, f, "after")}</td></tr>'
    )


def _phrase_items(phrases: tuple[PhraseChange, ...], side: str) -> str:
    items = []
    for p in phrases:
        opening, closing = _MOVED if p.change == MOVED else _MARK.get((side, p.change), ("", ""))
        items.append(f'<li class="phrase-{p.change}">{opening}{escape(p.text)}{closing}</li>')
    return "".join(items)


def _phrase_column(label: str, phrases: tuple[PhraseChange, ...], side: str) -> str:
    return (
        f'<div><h3 class="small muted diff-heading">{escape(label)} {side} ({len(phrases)})</h3>'
        f'<ol class="phrase-list">{_phrase_items(phrases, side)}</ol></div>'
    )


def _stamps(diff: Diff) -> str:
    words = []
    for s in diff.stamps:
        if s.changed and s.before and s.after:
            value = f"{escape(s.before)} → {escape(s.after)}"
        else:
            value = escape(s.after or s.before)
        words.append(f"{escape(s.label)} {value}")
    return (
        '<p class="audit-diff-stamps small muted">Set by the server, not counted as changes: '
        + "; ".join(words)
        + ".</p>"
    )


def render(diff: Diff, *, summary: bool = True) -> SafeString:
    """The whole view; `summary=False` when the including page shows diff.summary already."""
    if diff.is_empty:
        body = '<p class="muted small">No object data was recorded for this entry.</p>'
        return mark_safe(f'<div class="audit-diff">{body}</div>')  # noqa: S308 - constant
    parts = ['<div class="audit-diff">']
    if summary:
        parts.append(f'<p class="audit-diff-summary small">{escape(diff.summary)}.</p>')
    rows = "".join(_field_row(diff, f) for f in diff.fields if f.known or f.changed)
    parts.append(
        '<table class="table audit-diff-fields"><caption class="visually-hidden">Fields before '
        'and after</caption><thead><tr><th scope="col">Field</th><th scope="col">Before</th>'
        f'<th scope="col">After</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    one_side = "" if diff.has_before and diff.has_after else " audit-diff-one-side"
    for field in diff.phrase_fields:
        parts.append(
            f'<div class="audit-diff-phrases{one_side}" role="group" aria-label="{escape(field.label)}">'
        )
        if diff.has_before:
            parts.append(_phrase_column(field.label, field.before, "before"))
        if diff.has_after:
            parts.append(_phrase_column(field.label, field.after, "after"))
        parts.append("</div>")
    if diff.stamps:
        parts.append(_stamps(diff))
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
