"""Forms for Statements of Internal Control."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.common.forms import GovUKForm, required


class DraftForm(GovUKForm):
    organisation = forms.ChoiceField(
        label="Organisation",
        error_messages=required("Choose the organisation"),
    )
    period = forms.CharField(
        label="Financial year",
        max_length=20,
        help_text="For example, 2008-09 (1 April 2008 to 31 March 2009)",
        error_messages=required("Enter the financial year, like 2008-09"),
    )

    def __init__(
        self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            ("", "Choose the organisation")
        ] + organisations


class EditForm(GovUKForm):
    text = forms.CharField(
        label="Statement",
        widget=forms.Textarea(attrs={"rows": 30}),
        help_text="Paragraphs are separated by a blank line; lines starting "
        "with '- ' are a list.",
        error_messages=required("Enter the statement"),
    )


class SignForm(GovUKForm):
    confirm = forms.BooleanField(
        label="I have read this statement and sign it as Senior Information "
        "Risk Owner",
        error_messages=required(
            "Confirm that you have read the statement and sign it"
        ),
    )
