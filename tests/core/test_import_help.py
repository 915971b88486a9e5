"""The import help names every column the importers read (trackers/importing.py and
groups/importing.py KNOWN_COLUMNS), optional ones included."""

from __future__ import annotations

import re

import pytest

from groups.importing import KNOWN_COLUMNS as GROUP_COLUMNS
from trackers.importing import KNOWN_COLUMNS as TRACKER_COLUMNS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("plural", "columns"), [("trackers", TRACKER_COLUMNS), ("groups", GROUP_COLUMNS)]
)
def test_the_import_help_lists_every_column_the_importer_reads(role_client, plural, columns):
    page = role_client("lead").get(f"/{plural}/import/").content.decode()
    named = " ".join(re.findall(r"<code>([^<]*)</code>", page))  # "name,phrases" names two
    missing = [c for c in columns if not re.search(rf"(?<![\w\"]){c}(?![\w\"])", named)]
    assert missing == []


def test_the_import_form_offers_the_separator_and_matching_by_name(role_client):
    page = role_client("lead").get("/trackers/import/").content.decode()
    assert 'name="separator"' in page and 'value="name"' in page
