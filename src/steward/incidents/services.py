"""Every write to incidents and notifications.

Each function runs in one transaction, takes the acting principal as
``access`` (keyword-only, required) and records exactly one audit event
whose details hold codes and counts only. Emails go after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from steward.accounts.models import User
from steward.assets.models import Asset
from steward.audit.services import audit_record
from steward.common.errors import Forbidden, Invalid
from steward.incidents import clock, delivery, grading, notices
from steward.incidents.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Incident,
    Kind,
    Notification,
    Phase,
    Recipient,
    RootCause,
    Status,
)
from steward.incidents.permissions import can_handle, can_report
from steward.organisations.access import Access, system_access
from steward.organisations.models import Organisation

COMPLETION_FIELDS = (
    "kind",
    "on_premises",
    "special_category",
    "vulnerable",
    "financial",
    "individuals",
    "records",
    "encrypted",
    "containment",
    "consequences",
)
_BIG = 10**11


def _audit(
    access: Access, action: str, incident: Any, **details: Any
) -> None:
    org_id = (
        incident.incident.organisation_id
        if isinstance(incident, Notification)
        else incident.organisation_id
    )
    audit_record(
        actor_id=access.actor_id,
        action=action,
        obj=incident,
        organisation_id=org_id,
        details=details,
    )


def _count(errors: dict[str, str], name: str, value: Any) -> None:
    if value is not None and not (0 <= value <= _BIG):
        errors[name] = "Enter a number from 0 to 100,000,000,000"


@transaction.atomic
def incident_report(
    *,
    access: Access,
    organisation: Organisation,
    summary: str,
    description: str,
    aware_at: dt.datetime,
    occurred_at: dt.datetime | None = None,
    data_involved: str = "",
    people_estimate: int | None = None,
    assets: Iterable[Asset] = (),
) -> Incident:
    """Anyone with a role in the organisation reports a potential
    compromise; the 72-hour clock starts at ``aware_at``."""
    if not can_report(access=access, organisation=organisation):
        raise Forbidden("Your role does not allow reporting incidents here")
    now = timezone.now()
    errors: dict[str, str] = {}
    if not summary.strip():
        errors["summary"] = "Enter what happened in a few words"
    elif len(summary.strip()) > 200:
        errors["summary"] = "Summary must be 200 characters or fewer"
    if not description.strip():
        errors["description"] = "Describe what happened"
    if aware_at.tzinfo is None:
        raise ValueError("aware_at must be timezone-aware")
    if aware_at > now + dt.timedelta(minutes=5):
        errors["aware_at"] = "When you found out must not be in the future"
    if occurred_at is not None and occurred_at > aware_at:
        errors["occurred_at"] = (
            "When it happened must be before you found out"
        )
    if len(data_involved) > 500:
        errors["data_involved"] = "Data involved must be 500 characters or fewer"  # noqa: E501
    _count(errors, "people_estimate", people_estimate)
    assets = list(assets)
    if any(not a.organisation.path.startswith(organisation.path)
           for a in assets):  # fmt: skip
        errors["assets"] = "Choose assets of this organisation only"
    if errors:
        raise Invalid(errors)
    incident = Incident.objects.create(
        organisation=organisation,
        summary=summary.strip(),
        description=description.strip(),
        aware_at=aware_at,
        occurred_at=occurred_at,
        data_involved=data_involved.strip(),
        people_estimate=people_estimate,
        reported_by_id=access.user_id,
        reported_at=now,
        deadline=clock.deadline(aware_at),
    )
    incident.assets.set(assets)
    _audit(access, "incident.report", incident, assets=len(assets))
    return incident


def _locked(incident: Incident, access: Access) -> Incident:
    incident = (
        Incident.objects.select_for_update()
        .select_related("organisation")
        .get(pk=incident.pk)
    )
    if not can_handle(access=access, organisation=incident.organisation):
        raise Forbidden(
            "Only a Data Guardian, the SIRO or the central team can "
            "handle incidents"
        )
    if incident.status == Status.CLOSED:
        raise Invalid({"status": "This incident is closed"})
    return incident


@transaction.atomic
def incident_complete(
    *, access: Access, incident: Incident, data: dict[str, Any]
) -> Incident:
    """The guardian's facts: kind, data categories, numbers, encryption,
    containment and likely consequences; the annual category follows."""
    incident = _locked(incident, access)
    unknown = set(data) - set(COMPLETION_FIELDS)
    if unknown:
        raise ValueError(f"not completion fields: {sorted(unknown)}")
    merged = {n: getattr(incident, n) for n in COMPLETION_FIELDS} | data
    errors: dict[str, str] = {}
    if merged["kind"] not in Kind.values:
        errors["kind"] = "Choose what kind of incident this is"
    if merged["kind"] == Kind.LOST_DEVICE and merged["on_premises"] is None:
        errors["on_premises"] = (
            "Say whether it was lost inside secured Government premises"
        )
    _count(errors, "individuals", merged["individuals"])
    _count(errors, "records", merged["records"])
    if errors:
        raise Invalid(errors)
    for name, value in merged.items():
        setattr(incident, name, value)
    incident.annual_category = grading.annual_category(
        kind=merged["kind"], on_premises=merged["on_premises"]
    )
    incident.completed_at = timezone.now()
    if incident.is_graded and not incident.overridden:
        # The facts behind the grade changed: grade again.
        _apply_grade(incident, incident.likelihood, incident.severity)
    incident.save()
    _audit(
        access,
        "incident.complete",
        incident,
        kind=incident.kind,
        category=incident.annual_category,
    )
    return incident


def _apply_grade(incident: Incident, likelihood: Any, severity: Any) -> None:
    result = grading.grade(
        likelihood=likelihood,
        severity=severity,
        special_category=incident.special_category,
        vulnerable=incident.vulnerable,
        encrypted=incident.encrypted,
    )
    incident.likelihood = likelihood
    incident.severity = severity
    incident.notifiable = result.notifiable
    incident.tell_subjects = result.tell_subjects
    incident.reasons = list(result.reasons)


@transaction.atomic
def incident_grade(
    *, access: Access, incident: Incident, likelihood: int, severity: int
) -> Incident:
    """Grade likelihood × severity (``grading.grade``); replaces any
    earlier grade and override."""
    incident = _locked(incident, access)
    errors = {}
    if likelihood not in range(1, 6):
        errors["likelihood"] = "Choose how likely harm to people is"
    if severity not in range(1, 6):
        errors["severity"] = "Choose how severe the harm would be"
    if not incident.kind:
        errors["kind"] = "Complete the incident's facts before grading it"
    if errors:
        raise Invalid(errors)
    _apply_grade(incident, likelihood, severity)
    incident.overridden = False
    incident.override_reason = ""
    incident.graded_at = timezone.now()
    if incident.first_graded_at is None:
        incident.first_graded_at = incident.graded_at
    incident.graded_by_id = access.user_id
    if incident.status == Status.REPORTED:
        incident.status = Status.GRADED
    incident.save()
    _audit(
        access,
        "incident.grade",
        incident,
        likelihood=likelihood,
        severity=severity,
        notifiable=incident.notifiable,
        tell_subjects=incident.tell_subjects,
    )
    return incident


@transaction.atomic
def incident_override(
    *,
    access: Access,
    incident: Incident,
    notifiable: bool,
    tell_subjects: bool,
    reason: str,
) -> Incident:
    """A guardian's decision that differs from the grade, with why."""
    incident = _locked(incident, access)
    errors = {}
    if not incident.is_graded:
        errors["notifiable"] = "Grade the incident before overriding it"
    if not reason.strip():
        errors["reason"] = "Enter why the grade is being overridden"
    elif len(reason.strip()) > 1000:
        errors["reason"] = "Reason must be 1,000 characters or fewer"
    if errors:
        raise Invalid(errors)
    incident.notifiable = notifiable
    incident.tell_subjects = tell_subjects
    incident.overridden = True
    incident.override_reason = reason.strip()
    incident.graded_at = timezone.now()
    incident.graded_by_id = access.user_id
    incident.save()
    _audit(
        access,
        "incident.override",
        incident,
        notifiable=notifiable,
        tell_subjects=tell_subjects,
    )
    return incident


def _contact(access: Access, organisation: Organisation) -> str:
    """Art 33(3)(b): the name and contact details of the contact point,
    here the official making the notification (their work address)."""
    user = (
        User.objects.filter(pk=access.user_id).first()
        if access.user_id
        else None
    )
    if user is None:
        return f"{access.actor_label}, for {organisation.name}"
    return f"{user.full_name} <{user.email}>, for {organisation.name}"


def _check_phase(incident: Incident, recipient: str, phase: str) -> None:
    done = list(
        incident.notifications.filter(recipient=recipient).values_list(
            "phase", flat=True
        )
    )
    if phase not in Phase.values:
        raise Invalid({"phase": "Choose initial, follow-up or final"})
    if Phase.FINAL in done:
        raise Invalid({"phase": "The final notification has been made"})
    if phase == Phase.INITIAL and done:
        raise Invalid({"phase": "The initial notification has been made"})
    if phase != Phase.INITIAL and not done:
        raise Invalid({"phase": "Make the initial notification first"})


@transaction.atomic
def notification_make(
    *,
    access: Access,
    incident: Incident,
    recipient: str,
    phase: str,
    delay_reason: str = "",
) -> Notification:
    """Make a notification (initial, follow-up or final) with its content
    fixed now, and deliver it after commit by email and, where the
    recipient takes one, by signed webhook. An initial ICO notification
    after the 72 hours must give the reasons for the delay."""
    incident = _locked(incident, access)
    if recipient not in Recipient.values:
        raise Invalid({"recipient": "Choose the ICO or the Cabinet Office"})
    _check_phase(incident, recipient, phase)
    now = timezone.now()
    late = recipient == Recipient.ICO and phase == Phase.INITIAL and (
        now > incident.deadline
    )
    if recipient == Recipient.ICO and not incident.is_graded:
        raise Invalid({"recipient": "Grade the incident before notifying"})
    if late and not delay_reason.strip():
        raise Invalid(
            {
                "delay_reason": "The 72 hours have passed: enter the "
                "reasons for the delay (UK GDPR Art 33(1))"
            }
        )
    build = (
        notices.ico_content
        if recipient == Recipient.ICO
        else notices.cabinet_office_content
    )
    content = build(
        incident=incident,
        phase=Phase(phase).label,
        contact=_contact(access, incident.organisation),
        delay_reason=delay_reason.strip(),
    )
    address = delivery.recipient_settings(recipient)["email"]
    notification = Notification.objects.create(
        incident=incident,
        recipient=recipient,
        phase=phase,
        made_at=now,
        actor_id=access.actor_id,
        late=late,
        delay_reason=delay_reason.strip(),
        content=content,
        emailed_to=address,
    )
    if recipient == Recipient.ICO and incident.status == Status.GRADED:
        incident.status = Status.NOTIFIED
        incident.save(update_fields=["status", "updated_at"])
    for channel in delivery.channels_for(recipient):
        _schedule(notification.pk, channel, 1, 1, None)
    _audit(
        access,
        "incident.notify",
        notification,
        recipient=recipient,
        phase=phase,
        late=late,
    )
    return notification


def _schedule(
    pk: int, channel: str, attempt: int, first: int, when: dt.datetime | None
) -> None:
    """Enqueue a delivery attempt after commit. A backend that cannot
    defer (the immediate one in tests) runs the retry at once."""

    def enqueue() -> None:
        task = deliver
        if when is not None and task.get_backend().supports_defer:
            task = task.using(run_after=when)
        task.enqueue(pk, channel, attempt, first)

    transaction.on_commit(enqueue)


def backoff(attempt: int) -> dt.timedelta:
    """The wait after failed attempt ``attempt`` (1, 2, ...): the base
    doubled each time."""
    base = settings.STEWARD_DELIVERY_BACKOFF_SECONDS
    return dt.timedelta(seconds=base * 2 ** (attempt - 1))


@task()
def deliver(
    notification_id: int, channel: str, attempt: int, first: int = 1
) -> str:
    """The background delivery job: one attempt by one channel, recorded
    in the delivery log (which schedules any retry). ``first`` is the
    attempt that began this round (1, or where a redelivery began)."""
    notification = Notification.objects.select_related(
        "incident__organisation"
    ).get(pk=notification_id)
    now = timezone.now()
    if channel == Channel.EMAIL:
        outcome = delivery.send_email(notification)
    else:
        outcome = delivery.send_webhook(
            notification, now=now, attempt=attempt
        )
    entry = delivery_record(
        access=system_access("delivery"),
        notification=notification,
        channel=channel,
        attempt=attempt,
        first=first,
        attempted_at=now,
        delivered=outcome.delivered,
        response=outcome.response,
    )
    return entry.status


@transaction.atomic
def delivery_record(
    *,
    access: Access,
    notification: Notification,
    channel: str,
    attempt: int,
    attempted_at: dt.datetime,
    delivered: bool,
    response: str,
    first: int = 1,
) -> Delivery:
    """Record one delivery attempt in the log; after a failure, schedule
    the next attempt with backoff, or give up after the last one (audited
    as undeliverable, and shown to the guardians)."""
    if not access.actor_id.startswith("system:"):
        raise Forbidden("Only Steward's delivery job records deliveries")
    if channel not in Channel.values:
        raise Invalid({"channel": "Choose email or webhook"})
    limit = settings.STEWARD_DELIVERY_ATTEMPTS
    next_at = None
    if delivered:
        status = DeliveryStatus.DELIVERED
    elif attempt - first + 1 < limit:
        status = DeliveryStatus.RETRYING
        next_at = attempted_at + backoff(attempt - first + 1)
    else:
        status = DeliveryStatus.FAILED
    entry = Delivery.objects.create(
        notification=notification,
        channel=channel,
        recipient=notification.recipient,
        destination=delivery.destination(notification.recipient, channel),
        attempt=attempt,
        attempted_at=attempted_at,
        status=status,
        response=response[:300],
        next_retry_at=next_at,
    )
    if delivered and channel == Channel.EMAIL:
        Notification.objects.filter(pk=notification.pk).update(
            emailed_at=attempted_at
        )
    if next_at is not None:
        _schedule(notification.pk, channel, attempt + 1, first, next_at)
    _audit(
        access,
        {
            DeliveryStatus.DELIVERED: "notification.deliver",
            DeliveryStatus.RETRYING: "notification.retry",
            DeliveryStatus.FAILED: "notification.undeliverable",
        }[status],
        notification,
        channel=channel,
        attempt=attempt,
        recipient=notification.recipient,
    )
    return entry


def _latest_deliveries(notification: Notification) -> dict[str, Delivery]:
    """The latest attempt of each channel."""
    latest: dict[str, Delivery] = {}
    for entry in notification.deliveries.order_by("attempt"):
        latest[entry.channel] = entry
    return latest


@transaction.atomic
def notification_redeliver(
    *, access: Access, notification: Notification, channel: str
) -> Notification:
    """After a channel has failed for good, a handler asks for another
    round of attempts (once the address or the receiver is fixed)."""
    notification = (
        Notification.objects.select_for_update()
        .select_related("incident__organisation")
        .get(pk=notification.pk)
    )
    if not can_handle(
        access=access, organisation=notification.incident.organisation
    ):
        raise Forbidden(
            "Only a Data Guardian, the SIRO or the central team can "
            "redeliver notifications"
        )
    last = _latest_deliveries(notification).get(channel)
    if last is None or last.status != DeliveryStatus.FAILED:
        raise Invalid(
            {"channel": "Only a delivery that has failed for good can be "
             "tried again"}
        )
    _schedule(notification.pk, channel, last.attempt + 1,
              last.attempt + 1, None)  # fmt: skip
    _audit(access, "notification.redeliver", notification, channel=channel)
    return notification


@transaction.atomic
def incident_learn(
    *,
    access: Access,
    incident: Incident,
    root_cause: str,
    root_cause_detail: str = "",
    lessons: str = "",
    share_lessons: bool = False,
) -> Incident:
    """The post-incident review: why it happened and what was learned,
    and whether the lessons may be shared across government. Allowed on a
    closed incident too: reviews often end after the incident does."""
    incident = (
        Incident.objects.select_for_update()
        .select_related("organisation")
        .get(pk=incident.pk)
    )
    if not can_handle(access=access, organisation=incident.organisation):
        raise Forbidden(
            "Only a Data Guardian, the SIRO or the central team can "
            "record what was learned"
        )
    errors: dict[str, str] = {}
    if root_cause not in RootCause.values:
        errors["root_cause"] = "Choose the root cause"
    elif root_cause == RootCause.OTHER and not root_cause_detail.strip():
        errors["root_cause_detail"] = "Describe the root cause"
    if len(root_cause_detail) > 2000:
        errors["root_cause_detail"] = (
            "Root cause must be 2,000 characters or fewer"
        )
    if len(lessons) > 5000:
        errors["lessons"] = "Lessons must be 5,000 characters or fewer"
    if share_lessons and not lessons.strip():
        errors["lessons"] = "Enter the lessons to share"
    if errors:
        raise Invalid(errors)
    incident.root_cause = root_cause
    incident.root_cause_detail = root_cause_detail.strip()
    incident.lessons = lessons.strip()
    incident.share_lessons = share_lessons
    incident.learned_at = timezone.now()
    incident.save()
    _audit(
        access,
        "incident.learn",
        incident,
        root_cause=root_cause,
        share_lessons=share_lessons,
    )
    return incident


@transaction.atomic
def incident_close(*, access: Access, incident: Incident) -> Incident:
    """Close an incident once it is graded (and notified, if notifiable);
    it stays in the breach register."""
    incident = _locked(incident, access)
    if not incident.is_graded:
        raise Invalid({"status": "Grade the incident before closing it"})
    if incident.notifiable and not incident.notifications.filter(
        recipient=Recipient.ICO
    ).exists():
        raise Invalid({"status": "Notify the ICO before closing it"})
    incident.status = Status.CLOSED
    incident.save(update_fields=["status", "updated_at"])
    _audit(access, "incident.close", incident)
    return incident
