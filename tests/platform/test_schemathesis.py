"""Schemathesis drives every API operation from the OpenAPI document, as
the central team and as a department's API key, and finds no server
error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from steward.wsgi import application
from tests.world import World, signed_in_client

# The document is served without a database, so it loads at collection.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():  # type: ignore[no-untyped-def]
    """Calls go straight to the WSGI app, not through Django's test
    client, so stop Django closing the test's database connection at the
    end of each request, as the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def auth(world: World) -> list[dict[str, dict[str, str]]]:
    """The central team's session (which sees everything) and department
    A's API key."""
    central = signed_in_client(world.central)
    return [
        {"headers": {"Authorization": f"Bearer {world.a.api_secret}"}},
        {"cookies": {"sessionid": central.cookies["sessionid"].value}},
    ]


@schema.parametrize()
@settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck)
)
@pytest.mark.django_db
def test_api_never_fails_with_a_server_error(case, auth) -> None:  # type: ignore[no-untyped-def]
    for credentials in auth:
        response = case.call(**credentials)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} -> {response.status_code}"
        )
