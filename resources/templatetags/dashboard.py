"""Template helpers shared by every screen."""

from __future__ import annotations

import json
import re

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from symbl_admin.links import url_of

register = template.Library()


@register.filter
def highlight(text, needle):
    """Escape `text` and wrap case-insensitive matches of `needle` in <mark>."""
    text = "" if text is None else str(text)
    needle = (needle or "").strip()
    if not needle:
        return conditional_escape(text)
    # Text, hit, text, …, hit, text: one format_html, each piece an argument (escaped there),
    # the constant <mark> around each hit (a search page marks a few hundred values).
    parts = re.split(f"({re.escape(needle)})", text, flags=re.IGNORECASE)
    if len(parts) == 1:  # no hit
        return conditional_escape(text)
    return format_html("{}" + _MARKED * (len(parts) // 2), *parts)


_MARKED = "<mark>{}</mark>{}"  # a hit and the text after it, as a format string


# The navigation: (section, what nav must allow, URL name, label); every role that may see
# the quality report finds it here, beside the queue (with its count) for those who review.
_NAV = (
    ("overview", "", "overview", "Overview"),
    ("trackers", "trackers", "trackers:list", "Trackers"),
    ("tester", "trackers", "tester:page", "Tester"),
    ("groups", "groups", "groups:list", "Groups"),
    ("conversations", "conversations", "conversations:list", "Conversations"),
    ("review", "review", "review:queue", "Review"),
    ("quality", "quality", "review:quality", "Quality"),
    ("audit", "audit", "audit:list", "Audit log"),
    ("users", "users", "users:list", "Users"),
)


_CURRENT = mark_safe(' aria-current="page"')  # a constant attribute


@register.simple_tag(takes_context=True)
def main_nav(context) -> str:
    """The navigation's <ul> (the menu and the bar show the same one), built once per page:
    through the template engine, twice, it was a tenth of a small page's time."""
    request = context.get("request")
    built = getattr(request, "_main_nav", None)
    if built is not None:
        return built
    nav, here = context.get("nav") or {}, context.get("nav_section", "")
    items = []
    for section, needs, name, label in _NAV:
        if needs and not nav.get(needs):
            continue
        if needs == "review":
            count = context.get("review_count")
            label = format_html(
                '{} <span class="badge badge-info review-count">{}</span>', label, count or ""
            )
        items.append((url_of(name), _CURRENT if here == section else "", label))
    built = format_html(
        "<ul>\n{}</ul>", format_html_join("", '  <li><a href="{}"{}>{}</a></li>\n', items)
    )
    if request is not None:
        request._main_nav = built
    return built


@register.simple_tag
def kept_url(name: str, *args) -> str:
    """{% kept_url 'overview' %}: {% url %} from a pattern kept per URL name (links.url_of);
    every page's layout reverses half a dozen."""
    return url_of(name, *args)


@register.filter
def list_items(values) -> str:
    """One escaped <li> per value: a tracker's page lists up to fifty phrases (a loop in the
    template took a tenth of the page)."""
    return format_html_join("", "<li>{}</li>", ((value,) for value in values or ()))


@register.filter
def local_time(value, precision: str = "minutes"):
    """`<time datetime="…" data-local>2026-12-02 10:15 UTC</time>`: a stamp in the
    dashboard's zone (the browser shows it in the viewer's, app.js); "seconds" adds them.
    One filter for what two `date` filters did: pages show up to a hundred stamps."""
    if not value:
        return ""
    when = localtime(value)
    shown = when.strftime("%Y-%m-%d %H:%M:%S" if precision == "seconds" else "%Y-%m-%d %H:%M")
    return format_html(
        '<time datetime="{}" data-local>{} {}</time>', when.isoformat(), shown, when.tzname() or ""
    )


@register.filter
def review_badge(review) -> str:
    """An object's review state in a few words (list rows, the detail page); `review` is an
    review.standings.Standing or review.reviews.ObjectReview. A filter, not an include: a list
    shows fifty of them."""
    if not review:
        return ""
    if review.state == "approved":
        return format_html(
            '<span class="badge badge-success review-state">Approved by {}, {}</span>',
            review.approval.actor_username,
            local_time(review.approval.time),
        )
    if review.state == "changes_requested":
        return mark_safe('<span class="badge badge-warning review-state">Changes requested</span>')
    latest = getattr(review, "latest", None)
    if latest is not None and not latest.approved:  # changed since a lead asked for changes
        return mark_safe(
            '<span class="badge badge-info review-state">Changed: awaits re-review</span>'
        )
    return mark_safe('<span class="badge review-state">Not reviewed yet</span>')


@register.filter
def pretty_json(value) -> str:
    """Indented JSON for display (autoescaped by the template as usual)."""
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False)


@register.filter
def compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@register.filter
def widget_attr(bound_field, name: str):
    """An attribute of a form field's widget, e.g. the data-max-phrases the script reads too
    (template lookups cannot spell a hyphenated key)."""
    return bound_field.field.widget.attrs.get(name, "")


SECTIONS = ("trackers", "groups", "audit")


@register.simple_tag(takes_context=True)
def section_of_request(context) -> str:
    """The list section a page belongs to ("trackers", "groups", "audit"), also for a path that
    resolved to nothing (a 404 on /trackers/typo/), or "" when the user may not see that list:
    the error pages link back to it."""
    section = context.get("nav_section") or ""
    if section not in SECTIONS:
        request = context.get("request")
        first = (request.path.strip("/").split("/", 1)[0]) if request else ""
        section = first if first in SECTIONS else ""
    nav = context.get("nav") or {}
    return section if nav.get(section) else ""
