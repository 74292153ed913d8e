"""The API: keys, errors that say what is wrong, and the OpenAPI
document."""

from __future__ import annotations

import pytest
from django.test import Client

from steward.audit.models import AuditEvent
from steward.organisations.access import access_for_user
from steward.organisations.models import ApiKey, Role
from steward.organisations.services import apikey_revoke
from tests.world import World, signed_in_client


def _key_client(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.mark.django_db
def test_api_key_reaches_its_organisation(world: World) -> None:
    response = _key_client(world.a.api_secret).get("/api/v1/organisations")
    assert response.status_code == 200
    codes = [o["code"] for o in response.json()["items"]]
    assert codes == ["alpha", "alpha-agency"]
    key = ApiKey.objects.get(pk=world.a.api_key.pk)
    assert key.last_used_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "Bearer stw_nothere_abc",
        "Bearer not-a-key",
        "Basic abc",
        "Bearer ",
    ],
)
def test_a_wrong_api_key_is_refused(world: World, header: str) -> None:
    response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/organisations")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.django_db
def test_a_revoked_key_stops_working(world: World) -> None:
    client = _key_client(world.a.api_secret)
    assert client.get("/api/v1/me").status_code == 200
    apikey_revoke(
        access=access_for_user(world.a.people[Role.SIRO]), key=world.a.api_key
    )
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_the_key_secret_is_not_stored(world: World) -> None:
    stored = ApiKey.objects.filter(pk=world.a.api_key.pk).values()[0]
    assert world.a.api_secret not in str(stored)


@pytest.mark.django_db
def test_bad_input_gets_field_errors_and_changes_nothing(world: World) -> None:
    client = signed_in_client(world.a.people[Role.SIRO])
    before = AuditEvent.objects.count()
    response = client.post(
        "/api/v1/organisations/alpha/roles",
        {"email": "not an email", "role": "staff"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"]["email"].startswith(
        "Enter an email address in the correct format"
    )
    response = client.post(
        "/api/v1/organisations/alpha/roles",
        {"email": "x@example.org", "role": "emperor"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_unknown_organisation_is_404(world: World) -> None:
    client = signed_in_client(world.central)
    response = client.get("/api/v1/organisations/no-such-org")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such organisation"}


@pytest.mark.django_db
def test_siro_appointment_is_recorded(world: World) -> None:
    client = signed_in_client(world.central)
    url = "/api/v1/organisations/alpha/siro"
    response = client.post(
        url,
        {"email": "iao@alpha.example", "reason": "Handover"},
        content_type="application/json",
    )
    assert response.status_code == 201
    history = client.get(url).json()
    assert [h["reason"] for h in history] == ["Handover", ""]
    assert history[0]["ended_at"] is None
    assert history[1]["ended_at"] is not None
    assert AuditEvent.objects.filter(action="siro.appoint").count() == 3


def test_openapi_document_describes_the_api(client: Client) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "Steward API"
    assert "/api/v1/organisations/{code}/roles" in doc["paths"]
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["offset=99999999999999999999", "limit=100000", "limit=0", "offset=-1"],
)
def test_pages_are_bounded(world: World, query: str) -> None:
    """Found by schemathesis: a huge offset once overflowed SQLite."""
    client = signed_in_client(world.central)
    response = client.get(f"/api/v1/organisations?{query}")
    assert response.status_code == 422
