"""The demo government loads once, through the services, with a login for
every role."""

from __future__ import annotations

import pytest
from django.test import Client

from steward import demo
from steward.audit.models import AuditEvent
from steward.organisations.models import Kind, Organisation, Role


@pytest.mark.django_db
def test_demo_builds_the_seed_government() -> None:
    logins = demo.load()
    departments = set(
        Organisation.objects.filter(kind=Kind.DEPARTMENT).values_list(
            "code", flat=True
        )
    )
    assert departments == {code for code, _ in demo.DEPARTMENTS}
    assert len(departments) == 19
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == set(Kind.values)
    assert {login.role for login in logins} == set(Role.values)
    # Every department has a current SIRO, and the trail shows it.
    for code in departments:
        org = Organisation.objects.get(code=code)
        assert org.siro_appointments.filter(ended_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="siro.appoint").count() == 19
    assert all(
        e.actor_id == "system:demo-loader" for e in AuditEvent.objects.all()
    )


@pytest.mark.django_db
def test_demo_refuses_a_database_with_data() -> None:
    demo.load()
    with pytest.raises(RuntimeError, match="already holds organisations"):
        demo.load()


@pytest.mark.django_db
def test_demo_logins_work_with_the_documented_secrets() -> None:
    from django_otp.oath import TOTP

    demo.load()
    client = Client()
    client.post(
        "/accounts/sign-in/",
        {
            "username": f"siro.hmrc@{demo.DEMO_DOMAIN}",
            "password": demo.DEMO_PASSWORD,
        },
    )
    token = f"{TOTP(demo.DEMO_TOTP_KEY).token():06d}"
    response = client.post("/accounts/two-factor/", {"token": token})
    assert response.status_code == 302
    assert "HM Revenue and Customs" in client.get("/").content.decode()
