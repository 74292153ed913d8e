"""The breach register as CSV or XLSX: every incident the viewer can
see, notified or not (UK GDPR Art 33(5)), with the annual-accounts
category so that the annual-report tables come straight from it
(policy.md §1.7). The reporter's free description is left out: the
summary, the data involved, the consequences and the remedial action
are what the register needs, and a spreadsheet travels further than the
page does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Min, Q, QuerySet

from steward.incidents import clock
from steward.incidents.models import Incident, Recipient

HEADERS = [
    "Reference",
    "Organisation code",
    "Organisation",
    "Summary",
    "Became aware (UK time)",
    "Happened (UK time)",
    "72-hour deadline (UK time)",
    "What happened",
    "Annual-report category",
    "Inside secured premises",
    "Data involved",
    "Special-category data",
    "Children or vulnerable people",
    "Financial data",
    "People affected",
    "Records",
    "Encrypted",
    "Likelihood",
    "Severity",
    "Notifiable to the ICO",
    "Tell the people affected",
    "Grade overridden",
    "Override reason",
    "First ICO notification (UK time)",
    "Notified after 72 hours",
    "Containment and recovery",
    "Likely consequences",
    "Root cause",
    "Lessons shared across government",
    "Status",
]


def _when(value: Any) -> str:
    if value is None:
        return ""
    return value.astimezone(clock.LONDON).strftime("%Y-%m-%d %H:%M")


def _yes(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")  # type: ignore[arg-type]


def _row(i: Incident) -> list[Any]:
    first = i.first_ico  # type: ignore[attr-defined]
    return [
        i.reference,
        i.organisation.code,
        i.organisation.name,
        i.summary,
        _when(i.aware_at),
        _when(i.occurred_at),
        _when(i.deadline),
        i.get_kind_display(),
        i.get_annual_category_display(),
        _yes(i.on_premises),
        i.data_involved,
        _yes(i.special_category),
        _yes(i.vulnerable),
        _yes(i.financial),
        i.individuals if i.individuals is not None else i.people_estimate,
        i.records,
        _yes(i.encrypted),
        i.get_likelihood_display() if i.likelihood else "",
        i.get_severity_display() if i.severity else "",
        _yes(i.notifiable),
        _yes(i.tell_subjects),
        _yes(i.overridden),
        i.override_reason,
        _when(first),
        _yes(first > i.deadline) if first else "",
        i.containment,
        i.consequences,
        i.get_root_cause_display(),
        _yes(i.share_lessons),
        i.get_status_display(),
    ]


def rows(qs: QuerySet[Incident]) -> Iterator[list[Any]]:
    yield HEADERS
    annotated = qs.annotate(
        first_ico=Min(
            "notifications__made_at",
            filter=Q(notifications__recipient=Recipient.ICO),
        )
    ).select_related("organisation")
    for incident in annotated.iterator(chunk_size=2000):
        yield _row(incident)
