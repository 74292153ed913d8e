"""Writes about a person's own sign-in: setting up two-factor."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from steward.accounts.models import User
from steward.audit.services import audit_record


def totp_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device a person is setting up (made once)."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    return device


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm the device if the token matches; record it."""
    if device.user_id != user.pk or not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor_id=f"user:{user.pk}",
        action="totp.enrol",
        obj=device,
        organisation_id=None,
    )
    return True
