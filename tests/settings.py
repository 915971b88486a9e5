"""Test settings: the project settings with a throwaway secret and a private var/ dir."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 32)
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("SYMBL_PLAIN_STATIC", "1")
# One private var/ per process: xdist workers inherit the controller's environment, and a
# shared cache or API data file would let one worker's test disturb another's.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
if os.environ.get("SYMBL_TEST_VAR_OWNER") != _worker:
    os.environ["SYMBL_VAR_DIR"] = tempfile.mkdtemp(prefix=f"symbl-admin-test-{_worker}-")
    os.environ["SYMBL_TEST_VAR_OWNER"] = _worker

from symbl_admin.settings import *  # noqa: E402,F403

# Outermost: the suite-wide secrets watch hears every response (tests/support/secrets_watch.py).
MIDDLEWARE = ["tests.support.secrets_watch.WatchMiddleware", *MIDDLEWARE]  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

STATIC_ROOT = VAR_DIR / "staticfiles"  # noqa: F405
STATIC_ROOT.mkdir(exist_ok=True)

# A file, not :memory:, for the test database: the browser tests' live server answers from
# other threads, and a shared in-memory connection cannot be closed from those threads.
DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-dashboard.sqlite3")}  # noqa: F405

# Off by default: the process-wide client outlives a test, and failures a test provokes on
# purpose must not open the breaker for the next one. tests/management_api/test_breaker.py
# and the pages' tests turn it on where they test it.
SYMBL_API_BREAKER_THRESHOLD = 0
# Account changes outside a screen, Django's admin or the password page (manage.py, a shell,
# the suite's fixture users) are recorded in production; here only where a test asks
# (tests/audit/test_account_trail.py::system_changes), or every fixture user is an entry.
AUDIT_SYSTEM_ACCOUNT_CHANGES = False
