"""Idle sessions end after 30 minutes; activity keeps them going, with at
most one session write a minute."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from steward.organisations.models import Role
from tests.world import PASSWORD, World

pytestmark = pytest.mark.django_db


class _Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def tick(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@contextmanager
def frozen(start: str) -> Iterator[_Clock]:
    """Django's clock (sessions, expiry, our middleware) under test's hand."""
    clock = _Clock(dt.datetime.fromisoformat(start).replace(tzinfo=dt.UTC))
    with mock.patch("django.utils.timezone.now", lambda: clock.now):
        yield clock


def _sign_in(world: World) -> Client:
    client = Client()
    response = client.post(
        "/accounts/sign-in/",
        {"username": world.a.people[Role.STAFF].email, "password": PASSWORD},
    )
    assert response.status_code == 302
    return client


def _expiry(client: Client):  # type: ignore[no-untyped-def]
    key = client.cookies["sessionid"].value
    return Session.objects.get(session_key=key).expire_date


def test_activity_slides_the_expiry_but_not_on_every_request(
    world: World,
) -> None:
    with frozen("2026-03-01 09:00:00") as clock:
        client = _sign_in(world)
        first = _expiry(client)
        clock.tick(20)
        assert client.get("/").status_code == 200
        assert _expiry(client) == first  # touched under a minute ago
        clock.tick(60)
        assert client.get("/").status_code == 200
        assert (_expiry(client) - first).total_seconds() == 80


def test_an_idle_session_ends(world: World) -> None:
    with frozen("2026-03-01 09:00:00") as clock:
        client = _sign_in(world)
        clock.tick(25 * 60)
        assert client.get("/").status_code == 200
        clock.tick(29 * 60)
        assert client.get("/").status_code == 200
        clock.tick(31 * 60)
        response = client.get("/")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/sign-in/")
