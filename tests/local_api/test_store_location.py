"""Store locations: a PostgreSQL URL or a SQLite path, and how a log line shows them."""

from __future__ import annotations

from local_api.store import Store, is_database_url, open_store, safe_location


def test_a_path_opens_a_sqlite_store(tmp_path):
    store = open_store(tmp_path / "api.sqlite3")
    assert type(store) is Store


def test_only_postgres_urls_are_database_urls():
    assert is_database_url("postgres://u@h/db") and is_database_url("postgresql://u@h/db")
    assert not is_database_url("var/api.sqlite3")


def test_a_logged_location_never_shows_the_password():
    shown = safe_location("postgres://symbl:s3cret@db.internal:5433/api")
    assert shown == "postgres://symbl:***@db.internal:5433/api"
    assert safe_location("/srv/api.sqlite3") == "/srv/api.sqlite3"
