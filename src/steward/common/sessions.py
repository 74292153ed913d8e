"""Idle sign-out without a database write on every page.

Sessions end after ``SESSION_COOKIE_AGE`` of inactivity. Saving the
session on every request would keep that exact, at the cost of a write
transaction per page view (on SQLite, one writer at a time). Instead the
session is saved when it was last touched more than ``TOUCH_EVERY`` ago,
so an idle session ends between ``SESSION_COOKIE_AGE - TOUCH_EVERY`` and
``SESSION_COOKIE_AGE`` after the last request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

TOUCH_EVERY = 60  # seconds
_KEY = "_steward_touched"


class SlidingSessionMiddleware:
    """Put right after Django's SessionMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(timezone.now().timestamp())
        if now - int(session.get(_KEY, 0)) >= TOUCH_EVERY:
            session[_KEY] = now  # marks it modified: saved, expiry renewed
        return response
