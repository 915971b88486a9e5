"""Tokens: generated once, cached in the shared cache, renewed early and after a 401."""

from __future__ import annotations

import pytest

from symbl_admin.management_api import AuthFailed, Unavailable
from symbl_admin.management_api.policy import token_cache_key
from symbl_admin.request_context import current_request_id

from .fake_server import APP_ID, APP_SECRET, TOKEN_PATH, Pass, Reply

GROUPS = "/v1/manage/groups"


@pytest.fixture
def groups_ok(fake_api):
    fake_api.on("GET", GROUPS, Reply(200, {"groups": []}))


class Clock:
    def __init__(self, start: float = 1_000_000.0) -> None:
        self.value = start

    def __call__(self) -> float:
        return self.value


def test_token_request_sends_type_app_id_and_secret(make_client, fake_api, groups_ok):
    make_client().groups.list()
    assert fake_api.requests_to("POST", TOKEN_PATH)[0].body == {
        "type": "application",
        "appId": APP_ID,
        "appSecret": APP_SECRET,
    }


def test_calls_carry_the_token_as_bearer(make_client, fake_api, groups_ok):
    make_client().groups.list()
    assert fake_api.requests_to("GET", GROUPS)[0].headers["authorization"] == (
        f"Bearer {fake_api.tokens_issued[0]}"
    )


def test_many_calls_generate_one_token(make_client, fake_api, groups_ok):
    client = make_client()
    for _ in range(5):
        client.groups.list()
    assert len(fake_api.requests_to("POST", TOKEN_PATH)) == 1


def test_two_clients_sharing_the_cache_share_the_token(make_client, fake_api, groups_ok):
    make_client().groups.list()
    make_client().groups.list()
    assert len(fake_api.requests_to("POST", TOKEN_PATH)) == 1


def test_cache_key_depends_on_base_url_and_app_id_not_secret():
    key = token_cache_key("http://a", "id")
    assert key == token_cache_key("http://a", "id")
    assert key != token_cache_key("http://b", "id")
    assert key != token_cache_key("http://a", "other")
    assert "id" not in key.split(":")[-1]


def test_token_is_cached_under_its_key_without_the_secret(make_client, token_cache, groups_ok):
    client = make_client()
    client.groups.list()
    cached = token_cache.get(client.transport.token_key)
    assert APP_SECRET not in repr(cached)
    assert cached["token"].startswith("token-")


def test_token_is_renewed_before_it_expires(make_client, fake_api, groups_ok):
    fake_api.expires_in = 3600  # renewed 5 minutes (the 10 % cap is 6 min) early
    clock = Clock()
    client = make_client(now=clock)
    client.groups.list()
    clock.value += 3600 - 300 - 1
    client.groups.list()
    assert len(fake_api.tokens_issued) == 1
    clock.value += 2
    client.groups.list()
    assert len(fake_api.tokens_issued) == 2


def test_short_lived_token_is_renewed_ten_percent_early(make_client, fake_api, groups_ok):
    fake_api.expires_in = 100
    clock = Clock()
    client = make_client(now=clock)
    client.groups.list()
    clock.value += 91
    client.groups.list()
    assert len(fake_api.tokens_issued) == 2


def test_renewed_token_is_used_for_the_call(make_client, fake_api, groups_ok):
    fake_api.expires_in = 100
    clock = Clock()
    client = make_client(now=clock)
    client.groups.list()
    clock.value += 95
    client.groups.list()
    assert fake_api.requests_to("GET", GROUPS)[-1].headers["authorization"] == (
        f"Bearer {fake_api.tokens_issued[1]}"
    )


def test_401_renews_the_token_and_repeats_the_call_once(make_client, fake_api, groups_ok):
    client = make_client()
    client.groups.list()
    fake_api.revoke_tokens()
    assert client.groups.list() == []
    assert len(fake_api.tokens_issued) == 2
    assert len(fake_api.requests_to("GET", GROUPS)) == 3


def test_second_401_raises_auth_failed(make_client, fake_api):
    fake_api.on("GET", GROUPS, Reply(401, {"message": "Token validation failed."}))
    with pytest.raises(AuthFailed) as info:
        make_client().groups.list()
    assert info.value.status == 401
    assert len(fake_api.requests_to("GET", GROUPS)) == 2
    assert len(fake_api.tokens_issued) == 2


def test_401_on_a_post_repeats_it_once(make_client, fake_api):
    fake_api.on(
        "POST",
        "/v1/manage/group",
        Reply(401, {"message": "expired"}),
        Reply(201, {"group": {"id": "1", "name": "G", "criteria": "conversation.a==1"}}),
    )
    group = make_client().groups.create(name="G", criteria="conversation.a==1")
    assert group.id == "1"
    assert len(fake_api.requests_to("POST", "/v1/manage/group")) == 2


def test_401_keeps_a_token_another_worker_already_renewed(make_client, fake_api, token_cache):
    fake_api.on("GET", GROUPS, Reply(200, {"groups": []}))
    first, second = make_client(), make_client()
    first.groups.list()
    fake_api.revoke_tokens()
    second.groups.list()  # renews: the cache now holds token 2
    fake_api.on("GET", "/v1/manage/trackers", Reply(200, {"trackers": []}))
    first.trackers.list()
    assert len(fake_api.tokens_issued) == 2


def test_wrong_credentials_raise_auth_failed_with_upstream_message(make_client):
    with pytest.raises(AuthFailed) as info:
        make_client(app_secret="wrong").groups.list()
    assert info.value.message == "Invalid appId or appSecret."


def test_token_endpoint_400_is_auth_failed(make_client, fake_api):
    fake_api.on("POST", TOKEN_PATH, Reply(400, {"message": "type must be application"}))
    with pytest.raises(AuthFailed):
        make_client().groups.list()


def test_token_answer_without_access_token_is_unavailable(make_client, fake_api):
    fake_api.on("POST", TOKEN_PATH, Reply(200, {"expiresIn": 10}))
    with pytest.raises(Unavailable):
        make_client().groups.list()


def test_token_generation_is_retried_on_503(make_client, fake_api, groups_ok):
    fake_api.on("POST", TOKEN_PATH, Reply(503, {"message": "busy"}), Pass())
    assert make_client().groups.list() == []
    assert len(fake_api.requests_to("POST", TOKEN_PATH)) == 2


def test_calls_send_our_request_id(make_client, fake_api, groups_ok):
    token = current_request_id.set("abc123")
    try:
        make_client().groups.list()
    finally:
        current_request_id.reset(token)
    assert fake_api.requests_to("GET", GROUPS)[0].headers["x-request-id"] == "abc123"


def test_calls_without_a_request_get_a_fresh_request_id(make_client, fake_api, groups_ok):
    make_client().groups.list()
    sent = fake_api.requests_to("GET", GROUPS)[0].headers["x-request-id"]
    assert len(sent) == 32


class BrokenCache:
    def get(self, *args, **kwargs):
        raise OSError("disk full")

    set = delete = get


def test_broken_cache_costs_a_token_but_the_call_succeeds(make_client, fake_api, groups_ok):
    assert make_client(cache=BrokenCache()).groups.list() == []
