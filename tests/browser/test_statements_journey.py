"""In a real browser: a Data Guardian records a procedure with its
document and changes it (the history shows both); drafts the year's
Statement of Internal Control and edits it; the SIRO, signed in with
their authenticator code, signs it and it becomes read-only. axe-core
checks every page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from steward.controls.periods import year_of
from steward.controls.statement_models import Statement, StatementStatus
from tests import world as world_module
from tests.browser.conftest import Visitor
from tests.browser.test_journeys import sign_in
from tests.controls.factories import load_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    built = world_module.build()
    load_catalogue()
    return built


def test_procedure_then_statement_signed(  # type: ignore[no-untyped-def]
    world, visitor: Visitor, tmp_path
) -> None:
    page = visitor.page
    code = world.a.org.code
    sign_in(visitor, "guardian@alpha.example")
    visitor.goto(f"/standards/procedures/{code}/")
    visitor.check()
    page.get_by_role("button", name="Record a procedure").click()
    visitor.check()
    page.get_by_role("button", name="Record procedure").click()
    page.wait_for_selector(".govuk-error-summary")
    visitor.check()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the procedure's title" in summary
    assert "Enter the date of the next review" in summary
    page.get_by_label("Title").fill("Removable media")
    page.get_by_label("Version").fill("1.0")
    page.get_by_label("Owner").select_option(
        label=world.a.people["guardian"].full_name
    )
    page.get_by_label("Next review").fill("31/3/2031")
    page.get_by_role(
        "checkbox", name="Encrypt removable media in transit", exact=False
    ).check()
    policy = tmp_path / "media.pdf"
    policy.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_label("Document (optional)", exact=True).set_input_files(
        str(policy)
    )
    page.get_by_role("button", name="Record procedure").click()
    page.wait_for_selector("h1:has-text('Removable media')")
    visitor.check()
    assert "media.pdf" in page.content()
    page.get_by_role("link", name="Change").click()
    visitor.check()
    page.get_by_label("Version").fill("1.1")
    page.get_by_label("Reason for the change (optional)").fill("Tapes added")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_selector(".govuk-notification-banner")
    visitor.check()
    content = page.content()
    assert "Version: 1.0 → 1.1" in content
    assert "Tapes added" in content

    visitor.goto("/standards/statements/")
    visitor.check()
    page.get_by_role("button", name="Draft a statement").click()
    visitor.check()
    page.get_by_label("Organisation").select_option(code)
    page.get_by_role("button", name="Draft statement").click()
    page.wait_for_selector("h1:has-text('Statement of Internal Control')")
    visitor.check()
    assert "has not yet assessed its handling of information" in (
        page.content()
    )
    page.get_by_role("link", name="Edit").click()
    visitor.check()
    text = page.get_by_label("Statement").input_value()
    page.get_by_label("Statement").fill(text + "\n\nReviewed by the board.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_selector(".govuk-notification-banner")
    visitor.check()
    statement = Statement.objects.get()
    assert statement.period == year_of(timezone.localdate()).code

    page.context.clear_cookies()
    sign_in(visitor, "siro@alpha.example", totp=True)
    visitor.goto(f"/standards/statements/{statement.pk}/")
    page.get_by_role("link", name="Sign the statement").click()
    visitor.check()
    page.get_by_role("button", name="Sign statement").click()
    page.wait_for_selector(".govuk-error-summary")
    visitor.check()
    page.get_by_label("I have read this statement").check()
    page.get_by_role("button", name="Sign statement").click()
    page.wait_for_selector("#signature")
    visitor.check()
    assert "It can no longer be changed" in page.content()
    assert page.get_by_role("link", name="Edit").count() == 0
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SIGNED
    assert statement.signed_by == world.a.people["siro"]
    assert "Reviewed by the board." in statement.text
    assert visitor.problems == []
