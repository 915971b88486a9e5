"""Template filters for the audit screens."""

import json

from django import template

from audit import diff_html
from symbl_admin.links import url_of

register = template.Library()


@register.filter
def pretty_json(value) -> str:
    """Indented JSON (escaped by the template like any other text); empty for None."""
    if value is None:
        return ""
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


@register.simple_tag
def audit_diff(diff, summary: bool = True):
    """{% audit_diff diff %}: the side-by-side view of audit.diff_html (summary=False when
    the page shows diff.summary already)."""
    return diff_html.render(diff, summary=summary)


@register.filter
def entry_url(seq) -> str:
    """{{ change.seq|entry_url }}: the audit entry's page (a queue lists fifty of them)."""
    return url_of("audit:detail", seq)
