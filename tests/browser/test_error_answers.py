"""An htmx request answered with an error page, which htmx does not swap (4xx/5xx): the
page's own words reach the user, and the form keeps what was typed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

THREE_MB = 3 * 1024 * 1024  # over Django's 2.5 MB limit for one form


def test_a_form_over_the_size_limit_says_so_and_keeps_the_input(page, url, login, problems):
    login(page, "analyst")
    page.goto(url("/trackers/new/"))
    name = page.locator("#id_name")
    # Past the field's maxlength, as a paste into another field of a big form could be.
    name.evaluate("(el, n) => { el.value = 'x'.repeat(n); }", THREE_MB)
    page.get_by_role("button", name="Create tracker").click()

    alert = page.locator("#toasts .toast-error[role='alert']")
    expect(alert).to_contain_text("too large for one form (the limit is 2.5 MB)")
    expect(alert).to_contain_text("nothing was saved")
    page.wait_for_timeout(3500)  # longer than a passing toast stays
    expect(alert).to_be_visible()
    assert name.evaluate("el => el.value.length") == THREE_MB
    # The browser and htmx log the 400 themselves; anything else (a CSP violation, an
    # exception) still fails the test.
    expected = ("status of 400", "Response Status Error Code 400 from /trackers/new/")
    problems[:] = [p for p in problems if not any(e in p for e in expected)]
