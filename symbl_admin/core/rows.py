"""List rows built in Python, as Django admin builds its changelist's result rows: a page of
fifty rows through the template engine was most of a list page's time (`make bench`). Each
resource's `row_html(row, q)` returns one escaped <tr>; these are the pieces they share.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from symbl_admin.core.templatetags.dashboard import highlight, review_badge


def name_link(row: dict, q: str) -> SafeString:
    """The object's name, linked to its page, with the search hits marked, and its badge."""
    return format_html(
        '<a href="{}">{}</a> {}',
        row["url"],
        highlight(row["obj"].name, q),
        review_badge(row["review"]),
    )


def id_cell(obj) -> SafeString:
    return format_html(
        '<td class="hide-sm nowrap"><code>{}</code>\n      <button type="button" '
        'class="btn btn-ghost btn-sm" data-copy="{}" aria-label="Copy the ID of {}">Copy</button></td>',
        obj.id,
        obj.id,
        obj.name,
    )


def chips(values, q: str, css: str = "chip") -> SafeString:
    return mark_safe(  # noqa: S308 - highlight escapes every value
        "".join(f'<span class="{css}">{highlight(value, q)}</span>' for value in values)
    )
