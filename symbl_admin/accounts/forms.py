"""Accounts forms: sign-in with a per-account and per-address throttle (counted atomically
across workers and instances: symbl_admin/accounts/throttle.py)."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from . import throttle

MAX_FAILURES = 5


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request else ""


def _keys(request, username: str) -> list[str]:
    user_key = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:user:{user_key}", f"login-fail:ip:{_client_ip(request)}"]


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses further tries for 15 minutes after 5 failures for one username or address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": (
            "Too many failed sign-ins. Wait 15 minutes, or ask an administrator to "
            "reset your password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        keys = _keys(self.request, username)
        if any(throttle.failures(key) >= MAX_FAILURES for key in keys):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            for key in keys:
                throttle.add_failure(key)
            raise
        throttle.reset(keys[0])
        return cleaned
