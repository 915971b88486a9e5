"""`{% try_it tracker %}`: the tracker editor's "Try it" panel, so the editor's own view
needs to know nothing about the tester."""

from django import template

from tester import scoring

register = template.Library()


@register.inclusion_tag("tester/_try_it.html", takes_context=True)
def try_it(context, tracker=None):
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "tracker": tracker,
        "threshold": scoring.DEFAULT_THRESHOLD,
        "default_threshold": scoring.DEFAULT_THRESHOLD,
        "slider": {
            "min": scoring.SLIDER_MIN,
            "max": scoring.SLIDER_MAX,
            "step": scoring.SLIDER_STEP,
        },
    }
