"""The content of notifications, built from the incident as it stands.

The ICO notification holds every item UK GDPR Art 33(3) requires
(policy.md §4.1) and no more personal data than those items need: the
nature of the breach is given by its kind and summary, never the free
description; the people affected only as categories and numbers; the
contact point is the official who makes the notification. The Cabinet
Office notification holds the annual-report fields (policy.md §1.7).
"""

from __future__ import annotations

from typing import Any

from steward.incidents import clock
from steward.incidents.models import AnnualCategory, Incident, Kind


def _data_categories(incident: Incident) -> list[str]:
    found = []
    if incident.special_category:
        found.append("Special-category data (UK GDPR Art 9)")
    if incident.vulnerable:
        found.append("Data about children or other vulnerable people")
    if incident.financial:
        found.append("Financial data")
    if incident.data_involved:
        found.append(incident.data_involved)
    return found


def _number(value: int | None) -> str:
    return "Not yet known" if value is None else f"About {value:,}"


def ico_content(
    *, incident: Incident, phase: str, contact: str, delay_reason: str
) -> dict[str, Any]:
    individuals = incident.individuals
    if individuals is None:
        individuals = incident.people_estimate
    return {
        "organisation": incident.organisation.name,
        "reference": incident.reference,
        "phase": phase,
        # Art 33(3)(a)
        "nature": f"{Kind(incident.kind).label if incident.kind else 'Not yet classified'}: {incident.summary}",  # noqa: E501
        "data_subject_categories": _data_categories(incident)
        or ["Not yet known"],
        "approximate_data_subjects": _number(individuals),
        "approximate_records": _number(incident.records),
        # Art 33(3)(b)
        "contact_point": contact,
        # Art 33(3)(c)
        "likely_consequences": incident.consequences or "Not yet known",
        # Art 33(3)(d)
        "measures_taken_or_proposed": incident.containment
        or "Not yet known",
        "became_aware": clock.london(incident.aware_at),
        "deadline": clock.london(incident.deadline),
        # Art 33(1): a late notification gives the reasons for delay.
        "reasons_for_delay": delay_reason,
        "data_subjects_told": bool(incident.tell_subjects),
    }


def cabinet_office_content(
    *, incident: Incident, phase: str, contact: str, delay_reason: str
) -> dict[str, Any]:
    return {
        "organisation": incident.organisation.name,
        "reference": incident.reference,
        "phase": phase,
        "date_of_incident": (incident.occurred_at or incident.aware_at)
        .date()
        .isoformat(),
        "nature_of_incident": incident.summary,
        "annual_report_category": AnnualCategory(
            incident.annual_category
        ).label
        if incident.annual_category
        else "Not yet classified",
        "nature_of_data": _data_categories(incident) or ["Not yet known"],
        "people_potentially_affected": _number(
            incident.individuals
            if incident.individuals is not None
            else incident.people_estimate
        ),
        "notifiable_to_ico": bool(incident.notifiable),
        "contact_point": contact,
        "reasons_for_delay": delay_reason,
    }


LABELS = {
    "organisation": "Organisation",
    "reference": "Reference",
    "phase": "Phase",
    "nature": "Nature of the breach",
    "data_subject_categories": "Categories of people and data",
    "approximate_data_subjects": "Approximate number of people",
    "approximate_records": "Approximate number of records",
    "contact_point": "Contact point",
    "likely_consequences": "Likely consequences",
    "measures_taken_or_proposed": "Measures taken or proposed",
    "became_aware": "Became aware",
    "deadline": "72-hour deadline",
    "reasons_for_delay": "Reasons for delay",
    "data_subjects_told": "People affected told",
    "date_of_incident": "Date of incident",
    "nature_of_incident": "Nature of incident",
    "annual_report_category": "Annual report category",
    "nature_of_data": "Nature of data involved",
    "people_potentially_affected": "People potentially affected",
    "notifiable_to_ico": "Notifiable to the ICO",
}


def as_text(content: dict[str, Any]) -> str:
    lines = []
    for key, value in content.items():
        if isinstance(value, list):
            value = "; ".join(value)
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        lines.append(f"{LABELS.get(key, key)}: {value or '-'}")
    return "\n".join(lines) + "\n"
