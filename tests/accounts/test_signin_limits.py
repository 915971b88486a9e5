"""The sign-in throttle slows guessing without locking anyone out (issue 22, "The sign-in
throttle is a lockout anyone can trigger"): counts per (username, address), per username
across addresses (each address adding at most PAIR_FREE) and per address (a higher bound);
a refused try is a 429 with Retry-After and a message saying when; the wait grows, capped;
the address is X-Forwarded-For's trusted hop only behind our proxy."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.test import Client

from accounts import signin_limits
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"
HOME, ELSEWHERE = "203.0.113.7", "198.51.100.20"
PROXY = "10.0.0.2"


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    cache.clear()
    ticking = Clock()
    monkeypatch.setattr(signin_limits, "clock", ticking)
    yield ticking
    cache.clear()


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


def sign_in(username, password="wrong-password", *, address=HOME, forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client().post("/accounts/login/", {"username": username, "password": password}, **extra)


def signed_in(response) -> bool:
    return response.status_code == 302


def test_failures_for_any_usernames_from_one_address_refuse_no_correct_password(make_user):
    make_user("bob", "Analyst")
    for name in ("ann", "cid", "dee", "eve", "fay"):
        assert sign_in(name).status_code == 200
    assert signed_in(sign_in("bob", PASSWORD))


def test_behind_the_proxy_one_clients_failures_refuse_no_other_client(make_user, behind_proxy):
    make_user("bob", "Analyst")
    for name in ("ann", "cid", "dee", "eve", "bob", "bob", "bob", "bob", "bob"):
        sign_in(name, address=PROXY, forwarded=HOME)
    assert signed_in(sign_in("bob", PASSWORD, address=PROXY, forwarded=ELSEWHERE))


def test_five_failures_for_admin_from_five_addresses_lock_nobody_out(make_user):
    make_user("admin", "Admin")
    for n in range(5):
        sign_in("admin", address=f"192.0.2.{n + 1}")
    assert signed_in(sign_in("admin", PASSWORD, address=ELSEWHERE))


def test_hammering_a_username_from_one_address_leaves_the_real_user_elsewhere_in(make_user, clock):
    make_user("admin", "Admin")
    for _ in range(40):  # for hours: every wait waited out, then one more guess
        clock.now += signin_limits.MAX_WAIT
        assert sign_in("admin", address=HOME).status_code == 200
    assert sign_in("admin", PASSWORD, address=HOME).status_code == 429
    assert signed_in(sign_in("admin", PASSWORD, address=ELSEWHERE))


def test_a_refusal_is_a_429_with_retry_after_and_says_when(make_user):
    make_user("ana", "Analyst")
    for _ in range(signin_limits.PAIR_FREE):
        sign_in("ana")
    refused = sign_in("ana", PASSWORD)
    assert (refused.status_code, refused["Retry-After"]) == (429, "60")
    assert b"Too many failed sign-ins. Try again in 1 minute (at " in refused.content
    assert b'value="ana"' in refused.content


def test_the_wait_doubles_with_each_failure_past_the_bound_up_to_a_cap(make_user, clock):
    make_user("ana", "Analyst")
    seen = []
    for _ in range(signin_limits.PAIR_FREE + 6):
        response = sign_in("ana")
        if response.status_code == 429:
            seen.append(int(response["Retry-After"]))
            clock.now += int(response["Retry-After"])
            assert sign_in("ana").status_code == 200  # the wait is over: one more guess
    assert seen[:5] == [60, 120, 240, 480, 900] and set(seen[5:]) == {900}
    assert b"Try again in 15 minutes" in sign_in("ana", PASSWORD).content


def test_after_the_wait_the_real_user_signs_in(make_user, clock):
    make_user("ana", "Analyst")
    for _ in range(signin_limits.PAIR_FREE):
        sign_in("ana")
    assert sign_in("ana", PASSWORD).status_code == 429
    clock.now += 60
    assert signed_in(sign_in("ana", PASSWORD))


def test_a_refused_try_never_sleeps_in_the_worker(make_user, monkeypatch):
    make_user("ana", "Analyst")
    for _ in range(signin_limits.PAIR_FREE):
        sign_in("ana")
    monkeypatch.setattr(time, "sleep", lambda seconds: pytest.fail(f"slept {seconds} s"))
    started = time.monotonic()
    assert sign_in("ana", PASSWORD).status_code == 429
    assert time.monotonic() - started < 2


def test_a_username_tried_from_many_addresses_waits_everywhere(make_user):
    make_user("admin", "Admin")
    addresses = [f"192.0.2.{n + 1}" for n in range(4)]
    for address in addresses:  # 4 × 5 = USERNAME_FREE
        for _ in range(signin_limits.PAIR_FREE):
            sign_in("admin", address=address)
    refused = sign_in("admin", PASSWORD, address=ELSEWHERE)
    assert (refused.status_code, refused["Retry-After"]) == (429, "60")


def test_one_address_trying_many_usernames_waits_past_the_higher_bound(make_user):
    make_user("bob", "Analyst")
    for n in range(signin_limits.ADDRESS_FREE):
        assert sign_in(f"user{n % 10}").status_code == 200
    assert sign_in("bob", PASSWORD).status_code == 429
    assert signed_in(sign_in("bob", PASSWORD, address=ELSEWHERE))


def test_a_spoofed_forwarded_for_buys_no_extra_guesses(make_user, behind_proxy):
    make_user("ana", "Analyst")
    for n in range(signin_limits.PAIR_FREE):  # the proxy appends the address it saw
        assert sign_in("ana", address=PROXY, forwarded=f"192.0.2.{n}, {HOME}").status_code == 200
    refused = sign_in("ana", PASSWORD, address=PROXY, forwarded=f"192.0.2.99, {HOME}")
    assert refused.status_code == 429
    assert signed_in(sign_in("ana", PASSWORD, address=PROXY, forwarded=ELSEWHERE))


def test_without_the_proxy_setting_forwarded_for_is_not_read(make_user, settings):
    settings.BEHIND_PROXY = False
    make_user("ana", "Analyst")
    for n in range(signin_limits.PAIR_FREE):
        sign_in("ana", forwarded=f"192.0.2.{n}")
    assert sign_in("ana", PASSWORD, forwarded=ELSEWHERE).status_code == 429


def test_with_two_trusted_proxies_the_second_hop_from_the_right_counts(make_user, behind_proxy):
    behind_proxy.TRUSTED_PROXY_COUNT = 2
    make_user("ana", "Analyst")
    for n in range(signin_limits.PAIR_FREE):
        sign_in("ana", address=PROXY, forwarded=f"192.0.2.{n}, {HOME}, 10.0.0.1")
    assert sign_in("ana", PASSWORD, address=PROXY, forwarded=f"{HOME}, 10.0.0.1").status_code == (
        429
    )
    assert signed_in(sign_in("ana", PASSWORD, address=PROXY, forwarded=f"{ELSEWHERE}, 10.0.0.1"))


def test_ipv6_addresses_of_one_64_count_together(make_user):
    make_user("ana", "Analyst")
    for n in range(signin_limits.PAIR_FREE):
        sign_in("ana", address=f"2001:db8:1:2::{n + 1}")
    assert sign_in("ana", PASSWORD, address="2001:db8:1:2::ff").status_code == 429


def test_refused_tries_are_not_audited_and_not_counted(make_user, clock):
    make_user("ana", "Analyst")
    for _ in range(signin_limits.PAIR_FREE):
        sign_in("ana")
    for _ in range(10):
        assert sign_in("ana").status_code == 429
    assert AuditEntry.objects.filter(action="login_failed").count() == signin_limits.PAIR_FREE
    clock.now += 60  # the first wait, not a longer one: the refused tries added nothing
    assert signed_in(sign_in("ana", PASSWORD))
