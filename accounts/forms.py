"""Accounts forms: sign-in, refused for a while after failures (accounts/
signin_limits.py: the bounds and the waits; throttle.py: counted atomically across workers
and instances)."""

from __future__ import annotations

from datetime import UTC, datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from symbl_admin.client_address import client_address

from . import signin_limits


def when(seconds: int) -> str:
    """A wait in words and the time it ends: "in 2 minutes (at 17:42 UTC)"."""
    if seconds < 60:
        span = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        minutes = -(-seconds // 60)
        span = f"{minutes} minute{'s' if minutes != 1 else ''}"
    at = timezone.localtime(datetime.fromtimestamp(signin_limits.clock() + seconds, tz=UTC))
    return f"in {span} (at {at:%H:%M} {at.tzname()})"


class ThrottledAuthenticationForm(AuthenticationForm):
    """Sign-in that answers a refused try at once, saying when to try again
    (`retry_after`: the seconds, for the view's Retry-After)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": "Too many failed sign-ins. Try again %(when)s.",
    }
    retry_after = 0

    def clean(self):
        attempt = signin_limits.Attempt(
            username=self.cleaned_data.get("username") or "",
            address=client_address(self.request),
        )
        self.retry_after = signin_limits.retry_after(attempt)
        if self.retry_after:
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"when": when(self.retry_after)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            signin_limits.record_failure(attempt)
            raise
        if self.get_user() is not None:
            signin_limits.record_success(attempt)
        return cleaned
