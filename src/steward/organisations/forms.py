"""Forms for organisations, people, roles and API keys."""

from __future__ import annotations

from django import forms

from steward.common.forms import GovUKForm
from steward.organisations.models import Role

_EMAIL_ERRORS = {
    "required": "Enter the person's email address",
    "invalid": "Enter an email address in the correct format, like "
    "name@example.gov.uk",
}


class AddPersonForm(GovUKForm):
    email = forms.EmailField(
        label="Email address",
        error_messages=_EMAIL_ERRORS,
        widget=forms.EmailInput(
            attrs={"autocomplete": "off", "spellcheck": False}
        ),
    )
    full_name = forms.CharField(
        label="Full name",
        required=False,
        max_length=200,
        help_text="Needed only if this person is new to Steward",
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )

    def __init__(self, *args, roles: list[str], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]


class AppointSiroForm(GovUKForm):
    email = forms.EmailField(
        label="Email address of the new SIRO",
        error_messages=_EMAIL_ERRORS,
        help_text="They must already have an account in Steward",
    )
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "Reason must be 500 characters or fewer"
        },
    )


class ApiKeyForm(GovUKForm):
    name = forms.CharField(
        label="What is the key for?",
        max_length=100,
        help_text="For example, 'File share scanner, Newcastle'",
        error_messages={
            "required": "Enter what the key is for",
            "max_length": "Name must be 100 characters or fewer",
        },
    )
    role = forms.ChoiceField(
        label="Acts as",
        widget=forms.RadioSelect,
        choices=[
            (Role.STAFF, "Staff: can read and report"),
            (Role.GUARDIAN, "Data Guardian: can also run checks"),
        ],
        initial=Role.STAFF,
        error_messages={"required": "Choose what the key acts as"},
    )


class OrganisationSearchForm(GovUKForm):
    q = forms.CharField(
        label="Search by name or code", required=False, max_length=100
    )
