"""Forms for reporting and handling incidents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from steward.common.forms import (
    DATE_INPUT_FORMATS,
    GovUKForm,
    required,
    yes_no,
)
from steward.incidents import clock
from steward.incidents.models import (
    AnnualCategory,
    Kind,
    Likelihood,
    Phase,
    Recipient,
    RootCause,
    Severity,
    Status,
)

_YES_NO = [("yes", "Yes"), ("no", "No")]


def _count(label: str, what: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10**11,
        error_messages={
            "invalid": f"Enter the number of {what} as a whole number",
            "min_value": f"The number of {what} cannot be negative",
            "max_value": f"The number of {what} is too large",
        },
    )


class ReportForm(GovUKForm):
    organisation = forms.ChoiceField(
        label="Organisation",
        error_messages=required("Choose the organisation it happened in"),
    )
    summary = forms.CharField(
        label="What happened, in a few words",
        max_length=200,
        help_text="For example, laptop stolen from a car",
        error_messages=required("Enter what happened in a few words")
        | {"max_length": "Summary must be 200 characters or fewer"},
    )
    description = forms.CharField(
        label="Tell us more",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Where, how, and what has been done so far. Do not "
        "include the personal data itself.",
        error_messages=required("Describe what happened"),
    )
    aware_date = forms.DateField(
        label="Date you found out",
        input_formats=DATE_INPUT_FORMATS,
        help_text="For example, 27/3/2024",
        error_messages=required("Enter the date you found out")
        | {"invalid": "Enter the date you found out as a real date"},
    )
    aware_time = forms.TimeField(
        label="Time you found out (UK time)",
        input_formats=["%H:%M", "%H.%M"],
        help_text="For example, 14:30",
        error_messages=required("Enter the time you found out")
        | {"invalid": "Enter the time you found out, for example 14:30"},
    )
    occurred_date = forms.DateField(
        label="Date it happened, if known",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={
            "invalid": "Enter the date it happened as a real date"
        },
    )
    data_involved = forms.CharField(
        label="What data was involved",
        required=False,
        max_length=500,
        help_text="For example, names and bank details of claimants",
        error_messages={
            "max_length": "Data involved must be 500 characters or fewer"
        },
    )
    people_estimate = _count("Roughly how many people", "people")
    assets = forms.MultipleChoiceField(
        label="Information assets affected, if known",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[str, str]],
        assets: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations
        self.fields["assets"].choices = assets
        if not assets:
            del self.fields["assets"]

    def aware_at(self) -> dt.datetime:
        d = self.cleaned_data
        return clock.from_london(
            dt.datetime.combine(d["aware_date"], d["aware_time"])
        )

    def occurred_at(self) -> dt.datetime | None:
        d = self.cleaned_data.get("occurred_date")
        if d is None:
            return None
        # A date only: noon in London, so it reads as that day.
        return clock.from_london(dt.datetime.combine(d, dt.time(12)))


class CompleteForm(GovUKForm):
    kind = forms.ChoiceField(
        label="What kind of incident is it?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose what kind of incident this is"),
    )
    on_premises = forms.ChoiceField(
        label="If lost or stolen: was it inside secured Government premises?",
        choices=_YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    special_category = forms.BooleanField(
        label="Special-category data (health, ethnicity, religion, "
        "biometric, sex life, trade union, politics)",
        required=False,
    )
    vulnerable = forms.BooleanField(
        label="Data about children or other vulnerable people",
        required=False,
    )
    financial = forms.BooleanField(
        label="Bank, card or other financial data", required=False
    )
    encrypted = forms.BooleanField(
        label="The data was encrypted so that it is unintelligible to others",
        required=False,
    )
    individuals = _count("Number of people affected", "people")
    records = _count("Number of records", "records")
    containment = forms.CharField(
        label="Containment and recovery: what has been done or is planned",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consequences = forms.CharField(
        label="Likely consequences for the people affected",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def facts(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d["on_premises"] = yes_no(d.get("on_premises"))
        return d


class GradeForm(GovUKForm):
    likelihood = forms.TypedChoiceField(
        label="How likely is it that people will be affected?",
        choices=Likelihood.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=required("Choose how likely harm to people is"),
    )
    severity = forms.TypedChoiceField(
        label="How severe would the effect on them be?",
        choices=Severity.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=required("Choose how severe the harm would be"),
    )


class OverrideForm(GovUKForm):
    notifiable = forms.ChoiceField(
        label="Notify the ICO?",
        choices=_YES_NO,
        widget=forms.RadioSelect,
        error_messages=required("Choose whether to notify the ICO"),
    )
    tell_subjects = forms.ChoiceField(
        label="Tell the people affected?",
        choices=_YES_NO,
        widget=forms.RadioSelect,
        error_messages=required("Choose whether to tell the people affected"),
    )
    reason = forms.CharField(
        label="Why the grade is being overridden",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("Enter why the grade is being overridden")
        | {"max_length": "Reason must be 1,000 characters or fewer"},
    )


class NotifyForm(GovUKForm):
    recipient = forms.ChoiceField(
        label="Who to notify",
        choices=Recipient.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose the ICO or the Cabinet Office"),
    )
    phase = forms.ChoiceField(
        label="Which notification is this?",
        choices=Phase.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose initial, follow-up or final"),
    )
    delay_reason = forms.CharField(
        label="Reasons for delay (needed after 72 hours)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LearnForm(GovUKForm):
    root_cause = forms.ChoiceField(
        label="What was the root cause?",
        choices=RootCause.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose the root cause"),
    )
    root_cause_detail = forms.CharField(
        label="The root cause in more detail",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for 'Other'. Do not include personal data.",
        error_messages={
            "max_length": "Root cause must be 2,000 characters or fewer"
        },
    )
    lessons = forms.CharField(
        label="Lessons learned",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What should change, here or elsewhere. Do not include "
        "personal data.",
        error_messages={
            "max_length": "Lessons must be 5,000 characters or fewer"
        },
    )
    share_lessons = forms.BooleanField(
        label="Share these lessons across government (the Cabinet Office "
        "lists them for every department)",
        required=False,
    )


class FilterForm(GovUKForm):
    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any")] + Status.choices,
    )
    category = forms.ChoiceField(
        label="Annual report category",
        required=False,
        choices=[
            ("", "Any"),
            (AnnualCategory.INSIDE, "I. Loss inside secured premises"),
            (AnnualCategory.OUTSIDE, "II. Loss outside secured premises"),
            (AnnualCategory.DISPOSAL, "III. Insecure disposal"),
            (AnnualCategory.DISCLOSURE, "IV. Unauthorised disclosure"),
            (AnnualCategory.OTHER, "V. Other"),
        ],
    )
    notifiable = forms.ChoiceField(
        label="Notifiable to the ICO",
        required=False,
        choices=[("", "Any")] + _YES_NO,
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("aware", "Newest first"),
            ("deadline", "Deadline (soonest first)"),
            ("organisation", "Organisation"),
        ],
    )


class ThemesForm(GovUKForm):
    period = forms.ChoiceField(label="Period", required=False)

    def __init__(
        self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods
