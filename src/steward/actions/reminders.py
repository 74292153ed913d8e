"""Reminders to the owners of actions that are due soon or overdue.

One email per owner listing their actions, at most once a week per
action. A reminder changes no record anyone relies on (only the date it
was sent, so that it is not sent again), so it is not an audited write.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from steward.actions.models import OPEN_STATUSES, Action

DUE_SOON = dt.timedelta(days=7)
EVERY = dt.timedelta(days=7)


def send_reminders(today: dt.date | None = None) -> int:
    """Email each owner their actions due within a week or overdue;
    return how many actions were reminded."""
    today = today or timezone.localdate()
    due = (
        Action.objects.filter(
            status__in=OPEN_STATUSES,
            due__lte=today + DUE_SOON,
            owner__is_active=True,
        )
        .filter(
            Q(reminded_on__isnull=True) | Q(reminded_on__lte=today - EVERY)
        )
        .select_related("owner", "organisation")
        .order_by("owner_id", "due", "pk")
    )
    by_owner: dict[int, list[Action]] = defaultdict(list)
    for action in due:
        by_owner[action.owner_id].append(action)
    for actions in by_owner.values():
        owner = actions[0].owner
        lines = [
            f"- ACT-{a.pk} {a.title} ({a.organisation.name}): "
            + ("overdue since " if a.due < today else "due ")
            + a.due.strftime("%-d %B %Y")
            + f"\n  {settings.STEWARD_BASE_URL}/actions/{a.pk}/"
            for a in actions
        ]
        send_mail(
            subject=f"Steward: {len(actions)} action(s) due or overdue",
            message="You own these actions:\n\n" + "\n".join(lines) + "\n",
            from_email=None,
            recipient_list=[owner.email],
        )
        Action.objects.filter(pk__in=[a.pk for a in actions]).update(
            reminded_on=today
        )
    return sum(len(a) for a in by_owner.values())
