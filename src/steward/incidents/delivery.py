"""Sending a notification to its recipient: by email over SMTP and by a
signed webhook. These functions only send and report what happened; the
delivery log, the retries and the audit are in ``services``.

Webhook signature (for receivers): the body is the exact bytes sent
(JSON, UTF-8). The request carries

- ``X-Steward-Timestamp``: Unix seconds when the attempt was made;
- ``X-Steward-Signature``: ``v1=`` and the lower-case hex HMAC-SHA256,
  keyed with the recipient's secret, of ``{timestamp}.`` followed by the
  body's bytes;
- ``X-Steward-Delivery``: the notification's id, the same on every
  retry, so that a receiver can ignore a repeat.

A receiver recomputes the HMAC, compares in constant time and refuses a
timestamp more than five minutes from its own clock (``verify``), so a
captured request cannot be replayed later. The timestamp is inside the
signed text, so it cannot be changed without breaking the signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.mail import EmailMessage

from steward.incidents import notices
from steward.incidents.models import Notification, Phase

SIGNATURE_HEADER = "X-Steward-Signature"
TIMESTAMP_HEADER = "X-Steward-Timestamp"
DELIVERY_HEADER = "X-Steward-Delivery"
# How far a receiver lets a timestamp stray from its own clock.
TOLERANCE = dt.timedelta(minutes=5)
_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@dataclass(frozen=True)
class Outcome:
    """What one attempt gave: delivered or not, and the server's answer
    (an HTTP status, an SMTP reply or the type of the error; never the
    message, which may quote the content)."""

    delivered: bool
    response: str


def recipient_settings(recipient: str) -> dict[str, str]:
    return dict(settings.STEWARD_INCIDENT_RECIPIENTS[recipient])


def channels_for(recipient: str) -> list[str]:
    """Email always; the webhook when a URL is configured."""
    found = ["email"]
    if recipient_settings(recipient)["webhook_url"]:
        found.append("webhook")
    return found


def destination(recipient: str, channel: str) -> str:
    """Where a channel goes, fit to show and store: the address, or the
    webhook URL without its query string or any user information."""
    conf = recipient_settings(recipient)
    if channel == "email":
        return conf["email"]
    parts = urlsplit(conf["webhook_url"])
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


# Email


def subject(notification: Notification) -> str:
    incident = notification.incident
    return (
        f"{Phase(notification.phase).label} personal data breach "
        f"notification: {incident.organisation.name} {incident.reference}"
    )


def email_message(notification: Notification) -> EmailMessage:
    return EmailMessage(
        subject=subject(notification),
        body=notices.as_text(notification.content),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient_settings(notification.recipient)["email"]],
        headers={DELIVERY_HEADER: str(notification.pk)},
    )


def _smtp(message: EmailMessage) -> str:
    """Send over SMTP and return the server's reply to the message (a
    ``smtplib`` error otherwise). Django's backend hides that reply; the
    delivery log keeps it."""
    context = ssl.create_default_context()
    timeout = settings.EMAIL_TIMEOUT
    server: smtplib.SMTP
    if settings.EMAIL_USE_SSL:
        server = smtplib.SMTP_SSL(
            settings.EMAIL_HOST,
            settings.EMAIL_PORT,
            timeout=timeout,
            context=context,
        )
    else:
        server = smtplib.SMTP(
            settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=timeout
        )
    with server:
        if settings.EMAIL_USE_TLS:
            server.starttls(context=context)
        if settings.EMAIL_HOST_USER:
            server.login(
                settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD
            )
        server.ehlo_or_helo_if_needed()
        sender = message.from_email
        code, reply = server.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        for address in message.recipients():
            code, reply = server.rcpt(address)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({address: (code, reply)})
        code, reply = server.data(message.message().as_bytes(linesep="\r\n"))
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
        return f"{code} {reply.decode(errors='replace')}"


def _smtp_error(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(exc.recipients.values()))
        return f"{code} {reply.decode(errors='replace')}"
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        if isinstance(text, bytes):
            text = text.decode(errors="replace")
        return f"{exc.smtp_code} {text}"
    return type(exc).__name__


def send_email(notification: Notification) -> Outcome:
    """Email the notification. Over SMTP when the SMTP backend is
    configured (the server's reply is kept); through Django's configured
    backend otherwise (a file in ``var/mail/`` on a development
    machine)."""
    message = email_message(notification)
    try:
        if settings.EMAIL_BACKEND == _SMTP_BACKEND:
            reply = _smtp(message)
        else:
            message.send()
            reply = "Accepted by " + settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    except (smtplib.SMTPException, OSError) as exc:
        return Outcome(False, _smtp_error(exc)[:300])
    return Outcome(True, reply[:300])


# Webhook


def webhook_body(notification: Notification) -> bytes:
    """The JSON sent: the notification's fixed content and what it is,
    nothing more."""
    incident = notification.incident
    return json.dumps(
        {
            "id": notification.pk,
            "type": "personal_data_breach.notification",
            "recipient": notification.recipient,
            "phase": notification.phase,
            "organisation": incident.organisation.code,
            "reference": incident.reference,
            "made_at": notification.made_at.isoformat(),
            "late": notification.late,
            "content": notification.content,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    )
    return "v1=" + mac.hexdigest()


def verify(
    *,
    secret: str,
    body: bytes,
    timestamp: str,
    signature_header: str,
    now: dt.datetime,
    tolerance: dt.timedelta = TOLERANCE,
) -> bool:
    """A receiver's check: the signature matches and the timestamp is
    within ``tolerance`` of ``now``."""
    try:
        sent = dt.datetime.fromtimestamp(int(timestamp), dt.UTC)
    except (ValueError, OverflowError):
        return False
    if abs(now - sent) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return hmac.compare_digest(expected, signature_header)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is a failed delivery: following it would resend the
    signed body somewhere that was not configured (or drop it as a
    GET)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def send_webhook(
    notification: Notification, *, now: dt.datetime, attempt: int
) -> Outcome:
    conf = recipient_settings(notification.recipient)
    body = webhook_body(notification)
    timestamp = str(int(now.timestamp()))
    request = urllib.request.Request(
        conf["webhook_url"],
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Steward",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(
                conf["webhook_secret"], timestamp, body
            ),
            DELIVERY_HEADER: str(notification.pk),
            "X-Steward-Attempt": str(attempt),
        },
    )
    try:
        with _OPENER.open(
            request, timeout=settings.STEWARD_WEBHOOK_TIMEOUT
        ) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        return Outcome(False, f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError) as exc:
        reason: Any = getattr(exc, "reason", exc)
        if not isinstance(reason, BaseException):
            reason = exc
        return Outcome(False, type(reason).__name__)
    return Outcome(200 <= status < 300, f"HTTP {status}")
