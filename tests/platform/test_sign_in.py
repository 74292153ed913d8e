"""Signing in: password, lock-out, two-factor for the roles that need it,
password reset by email, and the security headers on every page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from steward.organisations.models import Role
from tests.world import PASSWORD, TOTP_KEY, World

LOGIN = "/accounts/sign-in/"


def _sign_in(client: Client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": email, "password": password})


@pytest.mark.django_db
def test_staff_sign_in_with_password_and_land_home(world: World) -> None:
    client = Client()
    response = _sign_in(client, "staff@alpha.example")
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "What needs your attention" in home.content.decode()


@pytest.mark.django_db
def test_wrong_password_says_what_is_wrong_and_signs_no_one_in(
    world: World,
) -> None:
    client = Client()
    response = _sign_in(client, "staff@alpha.example", "wrong password")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in (
        response.content.decode()
    )
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_malformed_email_is_reported_against_the_field(world: World) -> None:
    response = _sign_in(Client(), "not-an-email")
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter an email address in the correct format" in body
    assert 'href="#id_username"' in body


@pytest.mark.django_db
def test_five_failures_lock_the_account(world: World) -> None:
    """After five wrong passwords even the right one is refused."""
    client = Client()
    for _ in range(5):
        _sign_in(client, "staff@alpha.example", "wrong password")
    response = _sign_in(client, "staff@alpha.example")
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert client.get("/").status_code == 302
    # Another account is not affected.
    assert _sign_in(Client(), "iao@alpha.example").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["siro", "central", "auditor"])
def test_two_factor_is_required_for_siro_central_and_auditor(
    world: World, who: str
) -> None:
    user = world.a.people[Role.SIRO] if who == "siro" else getattr(world, who)
    client = Client()
    assert _sign_in(client, user.email).status_code == 302
    # Every page sends them to the code page until they enter a code.
    for path in ("/", "/organisations/", "/audit/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:two_factor")
    # The API refuses the half-signed-in session too.
    assert client.get("/api/v1/me").status_code == 401
    wrong = client.post(reverse("accounts:two_factor"), {"token": "000000"})
    assert "The security code is not right" in wrong.content.decode()
    # django-otp slows guessing after a failure; a person would wait.
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)
    token = f"{TOTP(TOTP_KEY).token():06d}"
    response = client.post(reverse("accounts:two_factor"), {"token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


@pytest.mark.django_db
def test_staff_need_no_second_factor(world: World) -> None:
    client = Client()
    _sign_in(client, "guardian@alpha.example")
    assert client.get("/organisations/").status_code == 200


@pytest.mark.django_db
def test_a_new_siro_sets_up_an_authenticator(world: World) -> None:
    siro = world.b.people[Role.SIRO]
    TOTPDevice.objects.filter(user=siro).delete()
    client = Client()
    _sign_in(client, siro.email)
    response = client.get(reverse("accounts:two_factor"))
    assert response["Location"] == reverse("accounts:two_factor_setup")
    page = client.get(reverse("accounts:two_factor_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=siro, confirmed=False)
    token = f"{TOTP(device.bin_key).token():06d}"
    response = client.post(
        reverse("accounts:two_factor_setup"), {"token": token}
    )
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=siro, confirmed=True).count() == 1
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_password_reset_by_email(world: World) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:reset"), {"email": "staff@alpha.example"}
    )
    assert response["Location"] == reverse("accounts:reset_sent")
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body)
    assert link is not None
    page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in page.content.decode()
    new = "a brand new long passphrase"
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
    )
    assert response["Location"] == reverse("accounts:reset_done")
    assert _sign_in(Client(), "staff@alpha.example", new).status_code == 302


@pytest.mark.django_db
def test_reset_for_an_unknown_address_sends_nothing(world: World) -> None:
    response = Client().post(
        reverse("accounts:reset"), {"email": "nobody@example.org"}
    )
    assert response["Location"] == reverse("accounts:reset_sent")
    assert mail.outbox == []


@pytest.mark.django_db
def test_security_headers(world: World) -> None:
    response = Client().get(LOGIN)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    # No inline script anywhere on the page.
    assert (
        re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())
        is None
    )


@pytest.mark.django_db
def test_hsts_only_over_tls(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    assert "Strict-Transport-Security" not in Client().get(LOGIN)
    response = Client().get(LOGIN, secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.django_db
def test_csrf_is_enforced(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        LOGIN, {"username": "staff@alpha.example", "password": PASSWORD}
    )
    assert response.status_code == 403


def test_production_settings_hash_passwords_with_argon2() -> None:
    import steward.settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert production.SESSION_COOKIE_AGE == 30 * 60
