"""Incidents: a loss or potential compromise of personal data, its
grading, the statutory clock and the notifications sent.

Import rule: this app depends on ``assets``, ``organisations``,
``accounts`` and ``audit`` only. Every read goes through ``selectors``,
every write through ``services``. The grading (``grading``) and the
deadline (``clock``) are plain functions, stored on every write so that
the register filters on them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    """What happened, as the guardian records it."""

    LOST_DEVICE = "lost_device", "Lost or stolen media, device or papers"
    WRONG_RECIPIENT = "wrong_recipient", "Sent to the wrong recipient"
    UNAUTHORISED_ACCESS = "unauthorised_access", "Unauthorised access"
    INSECURE_DISPOSAL = "insecure_disposal", "Insecure disposal"
    CYBER_ATTACK = "cyber_attack", "Cyber attack"
    LEFT_UNPROTECTED = "left_unprotected", "Data left unprotected"
    OTHER = "other", "Other"


class AnnualCategory(models.TextChoices):
    """The five categories of departmental annual accounts (policy.md
    §1.7: hblb.org.uk/page/53; Civil Service World, MoD 2023-24). The
    I-V numbering is recalled, not confirmed."""

    INSIDE = "inside", (
        "I. Loss of inadequately protected electronic equipment, devices "
        "or paper documents from secured Government premises"
    )
    OUTSIDE = "outside", (
        "II. Loss of inadequately protected electronic equipment, devices "
        "or paper documents from outside secured Government premises"
    )
    DISPOSAL = "disposal", (
        "III. Insecure disposal of inadequately protected electronic "
        "equipment, devices or paper documents"
    )
    DISCLOSURE = "disclosure", "IV. Unauthorised disclosure"
    OTHER = "other", "V. Other"


class Likelihood(models.IntegerChoices):
    """Rows of the NHS DSPT grid (policy.md §4.3; labels recalled,
    unconfirmed, so shown as Steward's defaults)."""

    NOT_OCCURRED = 1, "Not occurred"
    NOT_LIKELY = 2, "Not likely, or vulnerable groups with no adverse effect"
    LIKELY = 3, "Likely"
    HIGHLY_LIKELY = 4, "Highly likely"
    OCCURRED = 5, "Occurred"


class Severity(models.IntegerChoices):
    NONE = 1, "No adverse effect"
    MINOR = 2, "Minor"
    ADVERSE = 3, "Adverse"
    SERIOUS = 4, "Serious"
    CATASTROPHIC = 5, "Catastrophic"


class Status(models.TextChoices):
    REPORTED = "reported", "Reported"
    GRADED = "graded", "Graded"
    NOTIFIED = "notified", "Notified"
    CLOSED = "closed", "Closed"


class RootCause(models.TextChoices):
    """Why it happened, as the post-incident review finds it (Steward's
    list, after the causes departments report most often; CAF D2.a asks
    that root causes be found)."""

    PROCEDURE_NOT_FOLLOWED = "procedure_not_followed", (
        "A procedure existed but was not followed"
    )
    NO_PROCEDURE = "no_procedure", "No adequate procedure"
    HUMAN_ERROR = "human_error", "Human error (a slip or mistake)"
    UNENCRYPTED = "unencrypted", "Data or device not encrypted"
    TRAINING = "training", "Lack of training or awareness"
    ACCESS_CONTROL = "access_control", "Access wider than needed"
    TECHNICAL = "technical", "Technical or system failure"
    THIRD_PARTY = "third_party", "Supplier or other third party"
    MALICIOUS = "malicious", "Theft or other deliberate act"
    OTHER = "other", "Other"


class Incident(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    # What the reporter gives (a few fields).
    summary = models.CharField(max_length=200)
    description = models.TextField()
    occurred_at = models.DateTimeField(null=True, blank=True)
    aware_at = models.DateTimeField(
        help_text="When the organisation became aware: the clock starts."
    )
    data_involved = models.CharField(max_length=500, blank=True)
    people_estimate = models.PositiveBigIntegerField(null=True, blank=True)
    assets = models.ManyToManyField(
        "assets.Asset", blank=True, related_name="incidents"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    reported_at = models.DateTimeField()
    # The statutory deadline: aware_at + 72 hours (``clock``).
    deadline = models.DateTimeField(editable=False)
    # What the guardian completes.
    kind = models.CharField(max_length=30, choices=Kind.choices, blank=True)
    on_premises = models.BooleanField(
        null=True, help_text="Lost from inside secured Government premises."
    )
    special_category = models.BooleanField(default=False)
    vulnerable = models.BooleanField(
        default=False, help_text="Children or other vulnerable groups."
    )
    financial = models.BooleanField(default=False)
    individuals = models.PositiveBigIntegerField(null=True, blank=True)
    records = models.PositiveBigIntegerField(null=True, blank=True)
    encrypted = models.BooleanField(
        default=False,
        help_text="Protected so that it is unintelligible to others.",
    )
    containment = models.TextField(blank=True)
    consequences = models.TextField(blank=True)
    annual_category = models.CharField(
        max_length=20, choices=AnnualCategory.choices, blank=True
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # The grading (``grading.grade``) and any override.
    likelihood = models.PositiveSmallIntegerField(
        choices=Likelihood.choices, null=True, blank=True
    )
    severity = models.PositiveSmallIntegerField(
        choices=Severity.choices, null=True, blank=True
    )
    notifiable = models.BooleanField(null=True)
    tell_subjects = models.BooleanField(null=True)
    reasons = models.JSONField(default=list)
    graded_at = models.DateTimeField(null=True, blank=True)
    # The first grading, for the check 'graded within N days' (a later
    # re-grade or override moves ``graded_at`` only).
    first_graded_at = models.DateTimeField(null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    overridden = models.BooleanField(default=False)
    override_reason = models.CharField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.REPORTED
    )
    # What was learned (the post-incident review).
    root_cause = models.CharField(
        max_length=30, choices=RootCause.choices, blank=True
    )
    root_cause_detail = models.TextField(blank=True)
    lessons = models.TextField(blank=True)
    share_lessons = models.BooleanField(
        default=False,
        help_text="Lessons the central team may share across government.",
    )
    learned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-aware_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "aware_at"]),
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["annual_category", "aware_at"]),
            models.Index(fields=["notifiable", "aware_at"]),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def reference(self) -> str:
        return f"INC-{self.pk:05d}"

    @property
    def is_graded(self) -> bool:
        return self.notifiable is not None


class Recipient(models.TextChoices):
    ICO = "ico", "Information Commissioner's Office"
    CABINET_OFFICE = "cabinet_office", "Cabinet Office"


class Phase(models.TextChoices):
    """UK GDPR Art 33(4): information may be given in phases."""

    INITIAL = "initial", "Initial"
    FOLLOW_UP = "follow_up", "Follow-up"
    FINAL = "final", "Final"


class Notification(models.Model):
    """One notification sent (or to be sent) about an incident; its
    content is fixed when it is made and never changed."""

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="notifications"
    )
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    phase = models.CharField(max_length=10, choices=Phase.choices)
    made_at = models.DateTimeField()
    actor_id = models.CharField(max_length=60)
    late = models.BooleanField(default=False)
    delay_reason = models.TextField(blank=True)
    content = models.JSONField(default=dict)
    emailed_to = models.CharField(max_length=254, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "made_at"])]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} to {self.get_recipient_display()}"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    WEBHOOK = "webhook", "Signed webhook"


class DeliveryStatus(models.TextChoices):
    DELIVERED = "delivered", "Delivered"
    RETRYING = "retrying", "Failed, will retry"
    FAILED = "failed", "Failed, no more retries"


class Delivery(models.Model):
    """One attempt to deliver a notification by one channel: the
    delivery log. Rows are only ever added."""

    notification = models.ForeignKey(
        Notification, on_delete=models.PROTECT, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    # The address or the URL without its query string (no secrets).
    destination = models.CharField(max_length=500)
    attempt = models.PositiveSmallIntegerField()
    attempted_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    # The HTTP status or the SMTP server's reply, or the error's type.
    response = models.CharField(max_length=300)
    next_retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel", "attempt"],
                name="delivery_attempt_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} attempt {self.attempt}"
