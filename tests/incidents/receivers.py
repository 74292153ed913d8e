"""Real local receivers for notification delivery tests: an SMTP server
(aiosmtpd) and an HTTP webhook receiver (``http.server`` in a thread)
that checks signatures on its own, without Steward's code."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.server
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    """What the SMTP server received; ``replies`` scripts its answers to
    DATA, one per message, then 250."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)

    async def handle_DATA(  # noqa: N802
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        if self.replies:
            return self.replies.pop(0)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(
            message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[arg-type]
        )
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(
    login: tuple[str, str] | None = None,
) -> Iterator[tuple[Mailbox, int]]:
    """A local SMTP server; with ``login``, one that demands that user
    name and password (AUTH over a plain link, for the test only)."""
    from aiosmtpd.smtp import AuthResult, LoginPassword

    box = Mailbox()
    port = free_port()
    extra: dict[str, Any] = {}
    if login is not None:

        def check(server: Any, session: Any, envelope: Any,
                  mechanism: str, data: Any) -> AuthResult:  # fmt: skip
            ok = (
                isinstance(data, LoginPassword)
                and (
                    data.login.decode(),
                    data.password.decode(),
                )
                == login
            )
            return AuthResult(success=ok)

        extra = {
            "authenticator": check,
            "auth_required": True,
            "auth_require_tls": False,
        }
    controller = Controller(box, hostname="127.0.0.1", port=port, **extra)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@dataclass
class Hook:
    secret: str
    # Status codes to answer with, one per request, then 204.
    script: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)


def _signed_ok(hook: Hook, headers: Any, body: bytes) -> bool:
    """The receiver's own check: HMAC-SHA256 over '{timestamp}.' and
    the body, and a timestamp within five minutes of now."""
    timestamp = headers.get("X-Steward-Timestamp", "")
    given = headers.get("X-Steward-Signature", "")
    try:
        sent = dt.datetime.fromtimestamp(int(timestamp), dt.UTC)
    except ValueError:
        return False
    if abs(dt.datetime.now(dt.UTC) - sent) > dt.timedelta(minutes=5):
        return False
    mac = hmac.new(
        hook.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest("v1=" + mac, given)


@contextmanager
def webhook_receiver(hook: Hook) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            verified = _signed_ok(hook, self.headers, body)
            hook.received.append(
                {
                    "body": body,
                    "headers": dict(self.headers),
                    "verified": verified,
                }
            )
            status = hook.script.pop(0) if hook.script else 204
            if not verified:
                status = 401
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/steward/notifications"
    finally:
        server.shutdown()
        server.server_close()
