"""Accounts forms for the Users screens: create a user, change a role, set a password.

Passwords go through Django's validators (AUTH_PASSWORD_VALIDATORS). Every other typed value
is kept when a form comes back with errors; a password is not written back into the page
(the browser would keep it in the HTML), so it is asked again.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import SetPasswordForm

from .roles import ROLE_ORDER

User = get_user_model()

# No role is picked for you: a slip of the Enter key must not make anyone an admin.
ROLE_CHOICES = [("", "Choose a role"), *((role, role) for role in ROLE_ORDER)]
ROLE_HELP = (
    "Analyst: edits trackers and groups. Team lead: also deletes, imports, reverts and "
    "reviews. Auditor: reads everything and the audit log. Admin: everything, and users."
)


def _password_field(label: str, *, new: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html() if new else "",
    )


class RoleField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ROLE_CHOICES, label="Role", help_text=ROLE_HELP, **kwargs)


class UserCreateForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        validators=[User.username_validator],
        help_text="Letters, digits and @ . + - _ only; at most 150 characters.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    email = forms.EmailField(required=False, label="E-mail (optional)")
    role = RoleField()
    password1 = _password_field("Initial password", new=True)
    password2 = _password_field("Initial password again", new=False)

    def clean_username(self) -> str:
        username = User.normalize_username(self.cleaned_data["username"])
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                "A user with this username already exists.", code="username_taken"
            )
        return username

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            probe = User(username=cleaned.get("username") or "", email=cleaned.get("email") or "")
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class RoleChangeForm(forms.Form):
    role = RoleField()


class PasswordResetByAdminForm(SetPasswordForm):
    """Django's SetPasswordForm (both fields, its validators), with our labels."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "New password again"
