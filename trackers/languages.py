"""Trackers domain: what a person types in the languages box, as the tag the API takes.

People type "English", "French (Canada)" or "en_US" (as locales are spelled in many systems);
the API takes BCP 47 tags (en, fr-CA, en-US). Names are matched against the common languages'
own names (trackers/rules.py), so no worker loads langcodes' name data for this.
"""

from __future__ import annotations

from .rules import COMMON_LANGUAGES, is_language_tag


def _names() -> dict[str, str]:
    """Casefolded name → tag: each common language's full name ("french (canada)" → fr-CA)
    and its language alone ("french" → fr)."""
    names: dict[str, str] = {}
    for tag, name in COMMON_LANGUAGES.items():
        names.setdefault(name.split(" (")[0].casefold(), tag.split("-")[0])
        names[name.casefold()] = tag
    return names


NAMES = _names()


def language_tag(typed: str) -> str:
    """The tag for what was typed: a known language's name, or a locale with "_" (en_US →
    en-US); anything else unchanged, for the check to judge."""
    text = typed.strip()
    by_name = NAMES.get(" ".join(text.split()).casefold())
    if by_name:
        return by_name
    if "_" in text:
        hyphened = text.replace("_", "-")
        if is_language_tag(hyphened):
            return hyphened
    return text
