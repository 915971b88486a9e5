"""Accounts views: sign-in, whose refusal (too many failures) is a 429 with Retry-After."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

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
