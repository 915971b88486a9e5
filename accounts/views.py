"""Accounts views: sign-in, whose refusal (too many failures) is a 429 with Retry-After, and
a user's own password change (audited)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.db import transaction

from audit.account_trail import recording
from audit.context import AuditContext

from .forms import ThrottledAuthenticationForm


class SignInView(auth_views.LoginView):
    """Django's LoginView; a refused try answers 429 with the page and Retry-After."""

    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.retry_after:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


class OwnPasswordChangeView(auth_views.PasswordChangeView):
    """Django's PasswordChangeView; the change is audited (by the user, never the password)."""

    success_url = "/accounts/password/done/"

    def form_valid(self, form):
        with transaction.atomic(), recording(AuditContext.from_request(self.request)):
            return super().form_valid(form)
