"""Forms for the information asset register."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.accounts.models import User
from steward.assets.countries import COUNTRIES
from steward.assets.models import (
    GSC,
    BackupMedium,
    Category,
    LegacyMarking,
    LegalBasis,
    Risk,
    Status,
    Subject,
    TransferMechanism,
)
from steward.common.forms import DATE_INPUT_FORMATS, GovUKForm, required
from steward.organisations.models import Organisation

COUNTRY_CHOICES = [("GB", "United Kingdom")] + sorted(
    ((c, n) for c, n in COUNTRIES.items() if c != "GB"), key=lambda x: x[1]
)
_YES_NO_ANY = [("", "Any"), ("yes", "Yes"), ("no", "No")]


class AssetForm(GovUKForm):
    organisation = forms.ChoiceField(
        label="Organisation that holds it",
        error_messages=required("Choose the organisation that holds it"),
    )
    reference = forms.CharField(
        label="Reference",
        max_length=60,
        help_text="Your department's own reference, for example HMRC-CB-001",
        error_messages=required("Enter the asset's reference")
        | {"max_length": "Reference must be 60 characters or fewer"},
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages=required("Enter the asset's name")
        | {"max_length": "Name must be 200 characters or fewer"},
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea
    )
    owner = forms.ChoiceField(
        label="Information Asset Owner",
        error_messages=required("Choose the Information Asset Owner"),
    )
    purpose = forms.CharField(
        label="Purpose of processing",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    legal_basis = forms.ChoiceField(
        label="Legal basis for processing",
        choices=LegalBasis.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose the legal basis for processing"),
    )
    data_subjects = forms.MultipleChoiceField(
        label="Whose data is it?",
        choices=Subject.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=required("Choose at least one kind of data subject"),
    )
    categories = forms.MultipleChoiceField(
        label="Categories of personal data",
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=required("Choose at least one category of data"),
    )
    individuals = forms.IntegerField(
        label="Number of people",
        min_value=0,
        max_value=10**11,
        help_text="How many different people the data is about",
        error_messages=required("Enter the number of people")
        | {
            "invalid": "Enter the number of people as a whole number",
            "min_value": "The number of people cannot be negative",
            "max_value": "The number of people is too large",
        },
    )
    records = forms.IntegerField(
        label="Number of records",
        min_value=0,
        max_value=10**11,
        error_messages=required("Enter the number of records")
        | {
            "invalid": "Enter the number of records as a whole number",
            "min_value": "The number of records cannot be negative",
            "max_value": "The number of records is too large",
        },
    )
    public_domain = forms.BooleanField(
        label="All of it is already in the public domain", required=False
    )
    marking = forms.ChoiceField(
        label="Classification",
        choices=GSC.choices,
        initial=GSC.OFFICIAL,
        error_messages=required("Choose a classification"),
    )
    legacy_marking = forms.ChoiceField(
        label="Legacy protective marking (before April 2014)",
        choices=LegacyMarking.choices,
        required=False,
    )
    encrypted_at_rest = forms.BooleanField(
        label="Encrypted at rest", required=False
    )
    location_system = forms.CharField(
        label="System holding it",
        max_length=200,
        error_messages=required("Enter the system that holds it"),
    )
    location_site = forms.CharField(
        label="Site", max_length=200, required=False
    )
    location_provider = forms.CharField(
        label="Hosting provider", max_length=200, required=False
    )
    location_country = forms.ChoiceField(
        label="Country where it is held",
        choices=COUNTRY_CHOICES,
        initial="GB",
    )
    backup_medium = forms.ChoiceField(
        label="Backups",
        choices=BackupMedium.choices,
        initial=BackupMedium.NONE,
    )
    backup_encrypted = forms.BooleanField(
        label="Backups are encrypted", required=False
    )
    backup_location = forms.CharField(
        label="Where backups are kept", max_length=200, required=False
    )
    backup_country = forms.ChoiceField(
        label="Country where backups are kept",
        choices=[("", "No backups")] + COUNTRY_CHOICES,
        required=False,
    )
    transfer_mechanism = forms.ChoiceField(
        label="Transfer mechanism, if held outside the UK",
        choices=TransferMechanism.choices,
        required=False,
    )
    retention = forms.CharField(
        label="Retention period",
        max_length=200,
        help_text="For example, 6 years after the claim ends",
        error_messages=required("Enter how long the data is kept"),
    )
    disposal_rule = forms.CharField(
        label="Disposal rule", max_length=300, required=False
    )
    review_due = forms.DateField(
        label="Next review due",
        input_formats=DATE_INPUT_FORMATS,
        help_text="For example, 2027-03-31",
        error_messages=required("Enter the date of the next review")
        | {"invalid": "Enter the review date as a real date, like 2027-03-31"},
    )
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation],
        owners: list[User],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (o.code, o.name) for o in organisations
        ]
        self.fields["owner"].choices = [("", "Choose the owner")] + [
            (str(u.pk), f"{u.full_name} ({u.email})") for u in owners
        ]
        if editing:
            del self.fields["organisation"]
        else:
            del self.fields["reason"]

    def facts(self, owner: User | None) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["owner"] = owner
        return data

    def locations(self) -> list[dict[str, str]]:
        d = self.cleaned_data
        return [
            {
                "system": d["location_system"],
                "site": d["location_site"],
                "hosting_provider": d["location_provider"],
                "country": d["location_country"],
            }
        ]


class CloseForm(GovUKForm):
    reason = forms.CharField(
        label="Why is it being closed?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("Enter why the asset is being closed")
        | {"max_length": "Reason must be 500 characters or fewer"},
    )
    disposed = forms.BooleanField(
        label="The data has been securely disposed of", required=False
    )


class FilterForm(GovUKForm):
    q = forms.CharField(label="Search", required=False, max_length=100)
    organisation = forms.ChoiceField(label="Organisation", required=False)
    classification = forms.ChoiceField(
        label="Classification",
        required=False,
        choices=[("", "Any")] + GSC.choices,
    )
    ppd = forms.ChoiceField(
        label="Protected personal data", required=False, choices=_YES_NO_ANY
    )
    offshore = forms.ChoiceField(
        label="Held offshore", required=False, choices=_YES_NO_ANY
    )
    overdue = forms.ChoiceField(
        label="Review overdue", required=False, choices=_YES_NO_ANY
    )
    risk = forms.ChoiceField(
        label="Risk", required=False, choices=[("", "Any")] + Risk.choices
    )
    country = forms.ChoiceField(
        label="Country",
        required=False,
        choices=[("", "Any")] + COUNTRY_CHOICES,
    )
    owner = forms.ChoiceField(label="Owner", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=Status.choices + [("all", "Any status")],
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("name", "Name (A to Z)"),
            ("-name", "Name (Z to A)"),
            ("review_due", "Review due (soonest first)"),
            ("-individuals", "Number of people (most first)"),
            ("organisation", "Organisation"),
            ("risk", "Risk"),
        ],
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[str, str]],
        owners: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "Any")] + organisations
        self.fields["owner"].choices = [("", "Anyone")] + owners


class ImportUploadForm(GovUKForm):
    organisation = forms.ChoiceField(
        label="Organisation whose register this is",
        error_messages=required("Choose the organisation"),
    )
    file = forms.FileField(
        label="Register file (CSV or XLSX)",
        error_messages=required("Choose a CSV or XLSX file"),
    )

    def __init__(
        self, *args: Any, organisations: list[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (o.code, o.name) for o in organisations
        ]

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        name = f.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV or XLSX file")
        if f.size > 50 * 1024 * 1024:
            raise forms.ValidationError("The file must be smaller than 50 MB")
        return f


class MappingForm(GovUKForm):
    """One select per register column: which column of the file holds it."""

    def __init__(
        self,
        *args: Any,
        columns: list[tuple[str, str, bool]],
        headers: list[str],
        initial_map: dict[str, int | None],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Not in the file")] + [
            (str(i), h or f"Column {i + 1}") for i, h in enumerate(headers)
        ]
        for field, label, is_required in columns:
            initial = initial_map.get(field)
            self.fields[f"map_{field}"] = forms.ChoiceField(
                label=label + ("" if is_required else " (optional)"),
                choices=choices,
                required=False,
                initial="" if initial is None else str(initial),
            )

    def mapping(self) -> dict[str, int | None]:
        out: dict[str, int | None] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("map_"):
                out[name[4:]] = int(value) if value not in ("", None) else None
        return out
