from __future__ import annotations

from django import forms

from steward.common.forms import GovUKForm


class LocationForm(GovUKForm):
    organisation = forms.ChoiceField(
        label="Organisation",
        error_messages={
            "required": "Choose the organisation that owns the location"
        },
    )
    name = forms.CharField(
        label="Name",
        max_length=100,
        error_messages={"required": "Enter a name for the location"},
    )
    target = forms.CharField(
        label="Path or database URL",
        max_length=500,
        help_text="For example /srv/shares/finance or "
        "postgresql://scanner@db.internal/benefits",
        error_messages={"required": "Enter a path or a database URL"},
    )

    def __init__(self, *args, organisations, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (o.code, o.name) for o in organisations
        ]
