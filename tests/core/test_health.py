import json

import pytest


@pytest.mark.django_db
def test_healthz_is_public_and_touches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_ok_when_database_and_api_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_503_with_reason_when_database_fails(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("db down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["reasons"]["database"] == "unreachable"
