from __future__ import annotations

from django import forms

from steward.actions.models import ActionStatus
from steward.common.forms import DATE_INPUT_FORMATS, GovUKForm, required

# "open" is the filter for open or in progress (selectors.action_list),
# so the status "open" is not listed again on its own.
STATUS_FILTERS = [
    ("", "Any status"),
    ("open", "Open or in progress"),
    *(c for c in ActionStatus.choices if c[0] != ActionStatus.OPEN),
]


class FilterForm(GovUKForm):
    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", required=False, choices=STATUS_FILTERS
    )
    overdue = forms.BooleanField(label="Only overdue", required=False)
    mine = forms.BooleanField(label="Only mine", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("due", "Due date, soonest first"),
            ("-due", "Due date, latest first"),
            ("organisation", "Organisation"),
            ("updated", "Recently changed"),
        ],
    )


class _OwnerDue(GovUKForm):
    owner = forms.ChoiceField(label="Owner")
    due = forms.DateField(
        label="Due date",
        input_formats=DATE_INPUT_FORMATS,
        help_text="For example, 31/3/2009",
        error_messages=required("Enter the date the action is due")
        | {"invalid": "Enter the due date as a real date, like 31/3/2009"},
    )

    def __init__(self, *args, owners, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Choose an owner")] + [
            (str(u.pk), u.full_name) for u in owners
        ]


class ActionForm(_OwnerDue):
    field_order = ["organisation", "title", "description", "owner", "due"]
    organisation = forms.ChoiceField(
        label="Organisation",
        error_messages=required("Choose the organisation"),
    )
    title = forms.CharField(
        label="What needs to be done",
        max_length=200,
        error_messages=required("Enter what needs to be done"),
    )
    description = forms.CharField(
        label="Detail (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Do not include personal data.",
    )

    def __init__(self, *args, organisations, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (o.code, o.name) for o in organisations
        ]
        self.fields["owner"].error_messages = required(
            "Choose who owns the action"
        )


class UpdateForm(_OwnerDue):
    field_order = ["status", "owner", "due", "note"]
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose a status"),
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What has been done, or why the plan changed. "
        "Required when cancelling.",
    )
