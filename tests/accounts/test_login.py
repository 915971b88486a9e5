import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_login_then_overview_shows_role(client, make_user):
    make_user("ana", "Analyst")
    response = client.post(
        "/accounts/login/", {"username": "ana", "password": "pw-for-tests-1"}, follow=True
    )
    assert response.status_code == 200
    assert b"Analyst" in response.content
    assert response.redirect_chain[-1][0] == "/"


@pytest.mark.django_db
def test_wrong_password_keeps_username_and_says_why(client, make_user):
    make_user("ana", "Analyst")
    response = client.post("/accounts/login/", {"username": "ana", "password": "nope"})
    assert response.status_code == 200
    assert b'value="ana"' in response.content
    assert b"correct username and password" in response.content


@pytest.mark.django_db
def test_login_is_throttled_after_five_failures(client, make_user):
    make_user("ana", "Analyst")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ana", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "ana", "password": "pw-for-tests-1"})
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_requires_post_and_signs_out(client, make_user):
    client.force_login(make_user("ana", "Analyst"))
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_change(client, make_user):
    client.force_login(make_user("ana", "Analyst"))
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "pw-for-tests-1",
            "new_password1": "a-much-Longer-pass-42",
            "new_password2": "a-much-Longer-pass-42",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert client.login(username="ana", password="a-much-Longer-pass-42")


@pytest.mark.django_db
def test_csrf_is_enforced_on_login():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
