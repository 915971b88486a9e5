"""Authentication: POST /oauth2/token:generate, Bearer and x-api-key, over HTTP and embedded."""

from __future__ import annotations

import pytest
import requests

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from local_api.app import TOKEN_FAILED, create_app
from symbl_admin.management_api.embedded import EMBEDDED_BASE_URL, WSGIAdapter

from .conftest import make_embedded_api

CREDENTIALS = {"type": "application", "appId": LOCAL_APP_ID, "appSecret": LOCAL_APP_SECRET}


def test_token_generate_answers_a_token_for_a_day(api):
    response = api.post("/oauth2/token:generate", auth=False, json=CREDENTIALS)
    body = response.json()
    assert response.status_code == 200 and body["expiresIn"] == 86400 and body["accessToken"]


def test_each_token_request_gives_a_working_token(api):
    token = api.post("/oauth2/token:generate", auth=False, json=CREDENTIALS).json()["accessToken"]
    response = api.get(
        "/v1/manage/trackers", auth=False, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "wrong", [{"appSecret": "nope"}, {"appId": "someone-else"}, {"appId": LOCAL_APP_SECRET}]
)
def test_wrong_pair_answers_401(api, wrong):
    response = api.post("/oauth2/token:generate", auth=False, json={**CREDENTIALS, **wrong})
    assert (response.status_code, response.json()) == (
        401,
        {"message": "The appId and appSecret pair is not valid."},
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"appId": "a", "appSecret": "b"}, '"type" must be "application".'),
        (
            {"type": "application", "appSecret": "b"},
            '"appId" is required and must be a non-empty string.',
        ),
        (
            {"type": "application", "appId": "a", "appSecret": 1},
            '"appSecret" is required and must be a non-empty string.',
        ),
        ([], "The body must be a JSON object, not a list."),
    ],
)
def test_malformed_token_request_answers_400(api, body, message):
    response = api.post("/oauth2/token:generate", auth=False, json=body)
    assert (response.status_code, response.json()) == (400, {"message": message})


def test_token_request_that_is_not_json_answers_400(api):
    response = api.post("/oauth2/token:generate", auth=False, data=b"appId=x")
    assert response.status_code == 400


def test_token_endpoint_only_allows_post(api):
    response = api.get("/oauth2/token:generate", auth=False)
    assert (response.status_code, response.headers["Allow"]) == (405, "POST")


def test_missing_token_answers_401_with_the_documented_message(api):
    response = api.get("/v1/manage/trackers", auth=False)
    assert (response.status_code, response.json()) == (401, {"message": TOKEN_FAILED})


def test_unknown_token_answers_401(api):
    response = api.get("/v1/manage/trackers", auth=False, headers={"Authorization": "Bearer x"})
    assert response.status_code == 401


def test_x_api_key_header_is_accepted(api):
    response = api.get("/v1/manage/trackers", auth=False, headers={"x-api-key": api.token})
    assert response.status_code == 200


def test_bearer_scheme_is_case_insensitive(api):
    response = api.get(
        "/v1/manage/trackers", auth=False, headers={"Authorization": f"bearer {api.token}"}
    )
    assert response.status_code == 200


def test_token_without_bearer_scheme_answers_401(api):
    response = api.get("/v1/manage/trackers", auth=False, headers={"Authorization": api.token})
    assert response.status_code == 401


def test_every_endpoint_requires_a_token(api):
    for method, path in [
        ("POST", "/v1/manage/tracker"),
        ("POST", "/v1/manage/trackers"),
        ("GET", "/v1/manage/tracker/1"),
        ("PUT", "/v1/manage/tracker/1"),
        ("DELETE", "/v1/manage/tracker/1"),
        ("POST", "/v1/manage/group"),
        ("GET", "/v1/manage/groups"),
        ("POST", "/v1/manage/groups"),
        ("GET", "/v1/manage/group/1"),
        ("PUT", "/v1/manage/group/1"),
        ("DELETE", "/v1/manage/group/1"),
    ]:
        assert api.call(method, path, auth=False).status_code == 401, (method, path)


def test_expired_token_answers_401(tmp_path):
    api = make_embedded_api(tmp_path / "api.sqlite3", token_ttl=0)
    assert api.get("/v1/manage/trackers").status_code == 401


def _embedded_session(tmp_path, **app_kwargs):
    session = requests.Session()
    session.mount(
        EMBEDDED_BASE_URL,
        WSGIAdapter(create_app(data_path=str(tmp_path / "api.sqlite3"), **app_kwargs)),
    )
    return session


def test_configured_credentials_are_accepted(tmp_path):
    session = _embedded_session(tmp_path, app_id="id-1", app_secret="s-1")
    body = {"type": "application", "appId": "id-1", "appSecret": "s-1"}
    assert session.post(f"{EMBEDDED_BASE_URL}/oauth2/token:generate", json=body).status_code == 200


def test_configured_credentials_replace_the_local_pair(tmp_path):
    session = _embedded_session(tmp_path, app_id="id-1", app_secret="s-1")
    response = session.post(f"{EMBEDDED_BASE_URL}/oauth2/token:generate", json=CREDENTIALS)
    assert response.status_code == 401
