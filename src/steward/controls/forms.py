"""Forms for assessments: start, answer with evidence, sign off, filters,
and an action for a finding."""

from __future__ import annotations

import datetime as dt

from django import forms

from steward.common.forms import GovUKForm, required
from steward.controls.evidence import ACCEPT, HINT
from steward.controls.models import AssessmentStatus, FindingStatus, Result

_DATE = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]

RESULT_CHOICES = [
    (Result.MET, "Met"),
    (Result.PARTLY_MET, "Partly met"),
    (Result.NOT_MET, "Not met"),
    (Result.NOT_APPLICABLE, "Not applicable"),
]


class StartForm(GovUKForm):
    organisation = forms.ChoiceField(
        label="Organisation",
        error_messages=required("Choose the organisation to assess"),
    )
    framework = forms.ChoiceField(
        label="Framework",
        help_text="The assessment uses the framework's current version "
        "and keeps it, even when a newer version is loaded later.",
        error_messages=required("Choose the framework to assess against"),
    )
    period = forms.CharField(
        label="Period",
        max_length=20,
        help_text="A financial year (1 April to 31 March), like 2008-09, or "
        "one of its quarters, like 2008-09 Q1 (April to June)",
        error_messages=required("Enter the period the assessment covers"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    def __init__(
        self,
        *args,  # type: ignore[no-untyped-def]
        organisations: list[tuple[str, str]],
        frameworks: list[tuple[str, str]],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations
        self.fields["framework"].choices = frameworks


class _EvidenceFields(GovUKForm):
    file = forms.FileField(
        label="Upload a file (optional)",
        required=False,
        help_text=HINT,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    link = forms.URLField(
        label="Link to evidence (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="For example, the address of a document on the intranet",
        error_messages={"invalid": "Enter a link that starts with https://"},
    )
    link_title = forms.CharField(
        label="What the link is (optional)", required=False, max_length=200
    )
    observed_on = forms.DateField(
        label="Date of the evidence (optional)",
        required=False,
        input_formats=_DATE,
        help_text="When the evidence was true, for example 3/11/2008",
        widget=forms.DateInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"invalid": "Enter the date as a real date"},
    )

    def clean_observed_on(self) -> dt.date | None:
        d = self.cleaned_data.get("observed_on")
        if d is not None and d > dt.date.today():
            raise forms.ValidationError(
                "The date of the evidence cannot be in the future"
            )
        return d


class AnswerForm(_EvidenceFields):
    result = forms.ChoiceField(
        label="Result",
        choices=RESULT_CHOICES,
        widget=forms.RadioSelect,
        error_messages=required("Choose whether the requirement is met"),
    )
    note = forms.CharField(
        label="How it is met, or why not",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say what the evidence shows. Do not include personal data.",
        error_messages=required("Say how the requirement is met, or why not")
        | {"max_length": "The note must be 5,000 characters or fewer"},
    )

    field_order = [
        "result",
        "note",
        "file",
        "link",
        "link_title",
        "observed_on",
    ]


class EvidenceForm(_EvidenceFields):
    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if not data.get("file") and not data.get("link") and not self.errors:
            raise forms.ValidationError("Choose a file or enter a link")
        return data


class SignOffForm(GovUKForm):
    note = forms.CharField(
        label="Note for the record (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label="I have read the answers, the evidence and the findings, and "
        "I agree that this is the organisation's position",
        error_messages=required("Confirm that you agree before signing off"),
    )


class AssessmentFilterForm(GovUKForm):
    q = forms.CharField(label="Organisation", required=False, max_length=100)
    framework = forms.ChoiceField(label="Framework", required=False)
    period = forms.ChoiceField(label="Period", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any")] + AssessmentStatus.choices,
    )

    def __init__(
        self,
        *args,  # type: ignore[no-untyped-def]
        frameworks: list[tuple[str, str]],
        periods: list[str],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [("", "Any")] + frameworks
        self.fields["period"].choices = [("", "Any")] + [
            (p, p) for p in periods
        ]


class FindingFilterForm(GovUKForm):
    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any")] + FindingStatus.choices,
    )
    result = forms.ChoiceField(
        label="Result",
        required=False,
        choices=[
            ("", "Any"),
            (Result.NOT_MET, "Not met"),
            (Result.PARTLY_MET, "Partly met"),
        ],
    )
    period = forms.ChoiceField(label="Period", required=False)

    def __init__(self, *args, periods: list[str], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", "Any")] + [
            (p, p) for p in periods
        ]


class ActionForm(GovUKForm):
    title = forms.CharField(
        label="Action",
        max_length=200,
        help_text="What will be done, for example: encrypt the backup "
        "tapes of the benefits system",
        error_messages=required("Enter the action"),
    )
    owner = forms.ChoiceField(
        label="Owner", error_messages=required("Choose who owns the action")
    )
    due = forms.DateField(
        label="Due by",
        input_formats=_DATE,
        help_text="For example, 31/3/2009",
        error_messages=required("Enter the date the action is due")
        | {"invalid": "Enter the due date as a real date"},
    )
    description = forms.CharField(
        label="More detail (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, owners: list[tuple[str, str]], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Choose")] + owners


class ResolveForm(GovUKForm):
    note = forms.CharField(
        label="How the finding was put right",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("Say how the finding was put right")
        | {"max_length": "The note must be 5,000 characters or fewer"},
    )
