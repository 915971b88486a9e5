"""Test settings: the project settings with a throwaway secret and a private var/ dir."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 32)
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("SYMBL_PLAIN_STATIC", "1")
os.environ.setdefault("SYMBL_VAR_DIR", tempfile.mkdtemp(prefix="symbl-admin-test-"))

from symbl_admin.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

STATIC_ROOT = VAR_DIR / "staticfiles"  # noqa: F405
STATIC_ROOT.mkdir(exist_ok=True)
