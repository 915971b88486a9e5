"""Walk defects on the server side: the error pages offer a way on, Django's admin answers a
signed-in non-staff user with our 403, list URLs keep their sort, limits come from the contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from symbl_admin import contract

pytestmark = pytest.mark.django_db


def test_not_found_offers_the_sections_the_user_may_see(role_client):
    response = role_client("analyst").get("/trackers/no-such/page/")
    assert response.status_code == 404
    main = response.content.decode().split("<main", 1)[1]
    assert re.search(r'<a class="btn btn-primary" href="/trackers/">Back to Trackers</a>', main)
    assert 'href="/groups/"' in main
    assert 'href="/audit/"' not in main  # an analyst has no audit log
    assert "data-history-back" in main


def test_not_found_outside_a_section_leads_to_the_overview(role_client):
    main = role_client("auditor").get("/no-such-page/").content.decode().split("<main", 1)[1]
    assert re.search(r'<a class="btn btn-primary" href="/">Go to the overview</a>', main)
    for href in ("/trackers/", "/groups/", "/audit/"):
        assert f'href="{href}"' in main


def test_not_found_names_the_section_it_happened_in(role_client, api):
    main = role_client("auditor").get("/groups/missing-group-id/").content.decode()
    main = main.split("<main", 1)[1]
    assert re.search(r'<a class="btn btn-primary" href="/groups/">', main)
    assert 'href="/audit/"' in main


def test_admin_answers_a_signed_in_non_staff_user_with_our_403(role_client):
    for path in ("/admin/", "/admin/auth/user/", "/admin/login/"):
        response = role_client("auditor").get(path)
        assert response.status_code == 403, path
        assert "You do not have access to this" in response.content.decode()
        assert "Django administration" not in response.content.decode()


def test_admin_sends_anonymous_users_to_our_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "next=/admin/" in response.redirect_chain[-1][0].replace("%2F", "/")
    assert response.status_code == 200


def test_admin_still_opens_for_staff(role_client):
    assert role_client("admin").get("/admin/").status_code == 200


def test_search_toolbar_keeps_the_sort_for_plain_submits(role_client, api):
    html = role_client("analyst").get("/trackers/?sort=-phrases").content.decode()
    assert re.search(r'<input type="hidden" name="sort" value="-phrases"', html)


def test_phrase_limit_is_written_into_the_page_from_the_contract(role_client, api):
    html = role_client("analyst").get("/trackers/new/").content.decode()
    assert f'data-max-phrases="{contract.MAX_PHRASES}"' in html
    assert f"0 of {contract.MAX_PHRASES}</span>" in html


def test_editor_scripts_hold_no_copy_of_the_limits():
    js = Path(settings.BASE_DIR, "static", "js")
    for name in ("trackers.js", "groups.js"):
        source = (js / name).read_text()
        for limit in (
            contract.MAX_PHRASES,
            contract.MAX_GROUP_NAME,
            contract.MAX_GROUP_DESCRIPTION,
            contract.TRACKER_NAME_MAX,
        ):
            assert not re.search(rf"\b{limit}\b", source), (name, limit)
