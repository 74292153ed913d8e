"""The incidents paragraph of a Statement of Internal Control's draft:
the year's personal data incidents in the organisation's subtree, by the
five annual-accounts categories, and how many were notified to the ICO."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from steward.controls.periods import Period
from steward.controls.statements.contributions import Contribution
from steward.incidents.models import AnnualCategory, Incident, Recipient
from steward.organisations.models import Organisation


def _bounds(year: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(year.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(
        year.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone
    )
    return start, end


def incident_paragraphs(
    organisation: Organisation, year: Period
) -> Contribution:
    start, end = _bounds(year)
    incidents = list(
        Incident.objects.filter(
            organisation__path__startswith=organisation.path,
            aware_at__gte=start,
            aware_at__lt=end,
        )
        .only("pk", "annual_category")
        .order_by("aware_at", "pk")
    )
    notified = set(
        Incident.objects.filter(
            pk__in=[i.pk for i in incidents],
            notifications__recipient=Recipient.ICO,
        ).values_list("pk", flat=True)
    )
    heading = "Personal data related incidents"
    if not incidents:
        return Contribution(
            key="incidents",
            heading=heading,
            paragraphs=[
                f"{organisation.name} recorded no personal data incident "
                f"in {year.label.lower()}."
            ],
            figures={"incidents": 0, "incidents_notified": 0},
        )
    by_category = Counter(i.annual_category for i in incidents)
    lines = [
        f"{organisation.name} recorded {len(incidents)} personal data "
        f"incident{'s' if len(incidents) != 1 else ''} in "
        f"{year.label.lower()}, {len(notified)} of them notified to the "
        "Information Commissioner:"
    ]
    for value, label in AnnualCategory.choices:
        if by_category.get(value):
            lines.append(f"- {label}: {by_category[value]}")
    if by_category.get(""):
        lines.append(f"- Not yet categorised: {by_category['']}")
    return Contribution(
        key="incidents",
        heading=heading,
        paragraphs=["\n".join(lines)],
        record_ids=[i.pk for i in incidents],
        figures={
            "incidents": len(incidents),
            "incidents_notified": len(notified),
        },
    )
