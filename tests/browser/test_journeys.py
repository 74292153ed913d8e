"""People sign in and find their way as a person would, in a real browser;
every page they see passes axe-core with no serious or critical issue."""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import world as world_module
from tests.browser.conftest import Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):  # type: ignore[no-untyped-def]
    return world_module.build()


def sign_in(v: Visitor, email: str, totp: bool = False) -> None:
    v.goto("/accounts/sign-in/")
    v.page.get_by_label("Email address").fill(email)
    v.page.get_by_label("Password", exact=True).fill(world_module.PASSWORD)
    v.page.get_by_role("button", name="Sign in").click()
    if totp:
        v.page.wait_for_url("**/accounts/two-factor/")
        v.check()
        v.page.get_by_label("Security code").fill(
            f"{TOTP(world_module.TOTP_KEY).token():06d}"
        )
        v.page.get_by_role("button", name="Continue").click()
    v.page.wait_for_url(v.base_url + "/")
    v.check()


def test_staff_finds_their_department(world, visitor: Visitor) -> None:  # type: ignore[no-untyped-def]
    sign_in(visitor, "staff@alpha.example")
    page = visitor.page
    assert page.get_by_role("heading", level=1).inner_text() == (
        "What needs your attention"
    )
    page.get_by_role("link", name="Organisations").first.click()
    visitor.check()
    page.get_by_role(
        "link", name=f"{world_module.MARKER} Revenue", exact=True
    ).click()
    visitor.check()
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"{world_module.MARKER} Revenue"
    )
    page.get_by_role("link", name="Audit trail").click()
    visitor.check()
    assert "Audit trail" in page.title()
    # Staff cannot give roles: the page says so plainly.
    visitor.goto("/organisations/alpha/people/add/")
    assert "You cannot do this" in page.content()


def test_wrong_password_shows_an_error_summary(
    world, visitor: Visitor
) -> None:  # type: ignore[no-untyped-def]
    visitor.goto("/accounts/sign-in/")
    page = visitor.page
    page.get_by_label("Email address").fill("staff@alpha.example")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector(".govuk-error-summary")
    visitor.check()
    assert page.title().startswith("Error:")
    visitor.goto("/accounts/password-reset/")
    page.get_by_label("Email address").fill("staff@alpha.example")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url("**/sent/")
    visitor.check()


def test_siro_signs_in_with_a_code_and_gives_a_role(
    world, visitor: Visitor
) -> None:  # type: ignore[no-untyped-def]
    sign_in(visitor, "siro@beta.example", totp=True)
    page = visitor.page
    visitor.goto("/organisations/beta/")
    page.get_by_role("link", name="Give someone a role").click()
    visitor.check()
    page.get_by_role("button", name="Give role").click()
    page.wait_for_selector(".govuk-error-summary")
    visitor.check()
    assert "Choose a role" in page.content()
    page.get_by_label("Email address").fill("new.iao@beta.example")
    page.get_by_label("Full name").fill("Newly Appointed")
    page.get_by_label("Information Asset Owner").check()
    page.get_by_role("button", name="Give role").click()
    page.wait_for_url("**/organisations/beta/")
    visitor.check()
    assert "Newly Appointed" in page.content()
    page.get_by_role("link", name="API keys for agents and scripts").click()
    visitor.check()
    page.get_by_label("What is the key for?").fill("Share scanner")
    page.get_by_role("button", name="Create key").click()
    page.wait_for_selector(".govuk-panel")
    visitor.check()
    assert "stw_" in page.locator(".govuk-panel").inner_text()


def test_regulator_sees_only_their_own_home(world, visitor: Visitor) -> None:  # type: ignore[no-untyped-def]
    sign_in(visitor, "auditor@ico.example", totp=True)
    page = visitor.page
    assert "No notifications have been addressed to the ICO" in (
        page.content()
    )
    nav = page.locator(".govuk-service-navigation").inner_text()
    assert "Organisations" not in nav
    visitor.goto("/organisations/alpha/")
    assert "You cannot do this" in page.content()


def test_new_siro_sets_up_two_factor(world, visitor: Visitor) -> None:  # type: ignore[no-untyped-def]
    TOTPDevice.objects.filter(user__email="siro@alpha.example").delete()
    visitor.goto("/accounts/sign-in/")
    page = visitor.page
    page.get_by_label("Email address").fill("siro@alpha.example")
    page.get_by_label("Password", exact=True).fill(world_module.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/two-factor/set-up/")
    visitor.check()
    device = TOTPDevice.objects.get(user__email="siro@alpha.example")
    page.get_by_label("Security code").fill(
        f"{TOTP(device.bin_key).token():06d}"
    )
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(visitor.base_url + "/")
    visitor.check()
