"""Action plans: who will do what by when, wherever the need arose.

An action comes from a source elsewhere in Steward (an assessment's
finding, an incident, a regulator's spot check), named by ``source_kind``
and ``source_id``; ``steward.actions.sources`` turns those into a label
and a link. Import rule: this app depends on ``organisations``,
``accounts`` and ``audit`` only; the apps that raise actions depend on it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def london_today() -> dt.date:
    return timezone.localdate()


class Action(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="actions",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="actions_owned",
    )
    due = models.DateField()
    status = models.CharField(
        max_length=20,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
    )
    source_kind = models.CharField(max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions_created",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # The last day a reminder went to the owner, so one goes at most daily.
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        indexes = [
            models.Index(
                fields=["organisation", "status", "due"],
                name="actions_org_status_due",
            ),
            models.Index(
                fields=["source_kind", "source_id"], name="actions_source"
            ),
            models.Index(fields=["owner", "status"], name="actions_owner"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due < london_today()

    @property
    def closed_late(self) -> bool:
        """Done after its due date (London calendar)."""
        return (
            self.status == ActionStatus.DONE
            and self.closed_at is not None
            and timezone.localtime(self.closed_at).date() > self.due
        )


class ActionUpdate(models.Model):
    """One change to an action: the history shown on its page."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="updates"
    )
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by_label = models.CharField(max_length=200)
    # {"field": [before, after]} for status, due and owner (owner by name).
    changes = models.JSONField(default=dict)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def lines(self) -> list[str]:
        """The changes in words: 'Status: Open → Done'."""
        labels = dict(ActionStatus.choices)
        out = []
        for name, (before, after) in sorted(self.changes.items()):
            if name == "status":
                before, after = (
                    labels.get(before, before),
                    labels.get(after, after),
                )
            out.append(f"{name.capitalize()}: {before} → {after}")
        return out
