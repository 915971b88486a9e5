"""The common languages' names spelled in trackers/rules.py are langcodes' own."""

from __future__ import annotations

import langcodes

from trackers.rules import COMMON_LANGUAGES, language_name


def test_common_language_names_are_langcodes_names():
    for tag, name in COMMON_LANGUAGES.items():
        assert name == langcodes.Language.get(tag).display_name(), tag


def test_other_tags_are_named_by_langcodes():
    assert language_name("fr-BE") == "French (Belgium)"
