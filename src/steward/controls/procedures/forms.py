"""Forms for recording and changing a procedure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from steward.accounts.models import User
from steward.common.errors import Invalid
from steward.common.forms import GovUKForm, required
from steward.controls import evidence
from steward.controls.models import Requirement

_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]
# Frameworks offered as checkboxes; the others by URN or reference.
PRIMARY = ("dhp2008", "ukgdpr")


def check_upload(upload: Any, field: str = "document") -> evidence.CheckedFile:
    """The uploaded file, checked; a file over the limit is refused
    before it is read into memory."""
    if upload.size > evidence.MAX_BYTES:
        raise Invalid(
            {
                field: f"The file must be smaller than "
                f"{evidence.MAX_BYTES // 1048576} MB"
            }  # fmt: skip
        )
    return evidence.check_file(upload.name, upload.read(), field)


def _requirement_label(r: Requirement) -> str:
    flag = " (mandatory)" if r.mandatory else ""
    return f"{r.version.framework.slug.upper()} {r.ref}: {r.title}{flag}"


class ProcedureForm(GovUKForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages=required("Enter the procedure's title")
        | {"max_length": "Title must be 200 characters or fewer"},
    )
    version = forms.CharField(
        label="Version",
        max_length=40,
        help_text="For example, 1.0",
        error_messages=required("Enter the procedure's version, like 1.0")
        | {"max_length": "Version must be 40 characters or fewer"},
    )
    owner = forms.ChoiceField(
        label="Owner", error_messages=required("Choose the owner")
    )
    next_review = forms.DateField(
        label="Next review",
        input_formats=_DATE_FORMATS,
        help_text="For example, 2027-03-31",
        error_messages=required("Enter the date of the next review")
        | {"invalid": "Enter the review date as a real date, like 2027-03-31"},
    )
    document = forms.FileField(
        label="Document (optional)",
        required=False,
        help_text=evidence.HINT,
    )
    document_url = forms.URLField(
        label="Or a link to the document (optional)",
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="For example, https://intranet.example.gov.uk/policy.pdf",
        error_messages={
            "invalid": "Enter the link as a web address starting https://"
        },
    )
    requirements = forms.MultipleChoiceField(
        label="Requirements it implements",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other = forms.CharField(
        label="Requirements of other frameworks (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, as the framework and reference (ISO27001 "
        "A.7.10, CAF B3.a) or the URN",
    )

    def __init__(
        self,
        *args: Any,
        owners: list[User],
        catalogue: list[Requirement],
        with_reason: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Choose the owner")] + [
            (str(u.pk), u.full_name) for u in owners
        ]
        self._owners = {str(u.pk): u for u in owners}
        self.fields["requirements"].choices = [
            (r.urn, _requirement_label(r))
            for r in catalogue
            if r.version.framework.slug in PRIMARY
        ]
        self._by_ref = {
            (r.version.framework.slug.lower(), r.ref.lower()): r.urn
            for r in catalogue
        }
        self._urns = {r.urn for r in catalogue}
        if with_reason:
            self.fields["reason"] = forms.CharField(
                label="Reason for the change (optional)",
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean_owner(self) -> User:
        owner = self._owners.get(self.cleaned_data["owner"])
        if owner is None:
            raise forms.ValidationError("Choose the owner from the list")
        return owner

    def clean_next_review(self) -> dt.date:
        value: dt.date = self.cleaned_data["next_review"]
        return value

    def clean_other(self) -> list[str]:
        urns, unknown = [], []
        for line in self.cleaned_data.get("other", "").splitlines():
            text = line.strip()
            if not text:
                continue
            if text in self._urns or text.startswith("urn:"):
                urns.append(text)
                continue
            slug, _, ref = text.partition(" ")
            ref = ref.strip().lower()
            # "A.7.10" and "7.10" name the same ISO control.
            urn = next(
                (
                    self._by_ref[(slug.lower(), r)]
                    for r in (ref, f"a.{ref}", ref.removeprefix("a."))
                    if (slug.lower(), r) in self._by_ref
                ),
                None,
            )
            if urn is None:
                unknown.append(text)
            else:
                urns.append(urn)
        if unknown:
            raise forms.ValidationError(
                "No such requirement in the current catalogue: "
                + "; ".join(unknown)
            )
        return urns

    def urns(self) -> list[str]:
        d = self.cleaned_data
        return sorted(set(d.get("requirements", [])) | set(d.get("other", [])))

    def checked_document(self) -> evidence.CheckedFile | None:
        upload = self.cleaned_data.get("document")
        return check_upload(upload) if upload else None


class DocumentForm(GovUKForm):
    document = forms.FileField(
        label="Document",
        help_text=evidence.HINT,
        error_messages=required("Choose the document to upload"),
    )

    def checked(self) -> evidence.CheckedFile:
        return check_upload(self.cleaned_data["document"])


class ReviewForm(GovUKForm):
    version = forms.CharField(
        label="New version",
        max_length=40,
        error_messages=required("Enter the procedure's version, like 1.1"),
    )
    next_review = forms.DateField(
        label="Next review",
        input_formats=_DATE_FORMATS,
        help_text="For example, 2027-03-31",
        error_messages=required("Enter the date of the next review")
        | {"invalid": "Enter the review date as a real date, like 2027-03-31"},
    )


class WithdrawForm(GovUKForm):
    reason = forms.CharField(
        label="Why is it withdrawn?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=required("Enter why the procedure is withdrawn"),
    )
