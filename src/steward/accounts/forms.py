"""Sign-in, two-factor and password forms, as GOV.UK forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
)

from steward.common.forms import GovUKForm, GovUKFormMixin


class SignInForm(GovUKFormMixin, AuthenticationForm):
    use_required_attribute = False
    error_messages = {
        "invalid_login": (
            "Enter a correct email address and password. After 5 wrong "
            "attempts the account is locked for 15 minutes."
        ),
        "inactive": "This account has been closed.",
    }

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["username"] = forms.EmailField(
            label="Email address",
            widget=forms.EmailInput(
                attrs={"autocomplete": "email", "spellcheck": False}
            ),
            error_messages={
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, "
                "like name@example.gov.uk",
            },
        )
        self.fields["password"].label = "Password"
        self.fields["password"].error_messages["required"] = (
            "Enter your password"
        )


class TokenForm(GovUKForm):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app",
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
                "spellcheck": False,
            }
        ),
        error_messages={"required": "Enter the 6-digit security code"},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(
                "The security code must be 6 digits, like 123456"
            )
        return token


class ResetRequestForm(GovUKFormMixin, PasswordResetForm):
    use_required_attribute = False

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages.update(
            {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, "
                "like name@example.gov.uk",
            }
        )


class NewPasswordForm(GovUKFormMixin, SetPasswordForm):
    use_required_attribute = False

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = "At least 12 characters; not a common password"
        self.fields["new_password2"].label = "Confirm new password"
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "new-password"
