"""An IAO registers an asset in a real browser, their SIRO sees it in the
overview of the department's subtree, and a person in another department
gets 'Page not found' at its address. axe-core checks every page."""

from __future__ import annotations

import pytest

from steward.assets.models import Asset, ImportJob, JobPhase, JobState
from tests import world as world_module
from tests.assets.test_import import _csv, _row
from tests.browser.conftest import Visitor
from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):  # type: ignore[no-untyped-def]
    return world_module.build()


def test_iao_registers_siro_sees_outsider_does_not(
    world, visitor: Visitor
) -> None:  # type: ignore[no-untyped-def]
    page = visitor.page
    sign_in(visitor, "iao@alpha.example")
    page.get_by_role("link", name="Assets").first.click()
    visitor.check()
    page.get_by_role("link", name="Register an asset").click()
    visitor.check()
    # A first try with nothing filled in: the errors are summarised.
    page.get_by_role("button", name="Register asset").click()
    page.wait_for_selector(".govuk-error-summary")
    visitor.check()
    assert "Enter the asset" in page.content()
    page.get_by_label("Reference").fill("ALPHA-BEN-1")
    page.get_by_label("Name", exact=True).fill("Benefit claims ledger")
    page.get_by_label("Public task").check()
    page.get_by_label("Benefit claimants").check()
    page.get_by_label("National Insurance number").check()
    page.get_by_label("Number of people").fill("1000")
    page.get_by_label("Number of records").fill("1000")
    page.get_by_label("Encrypted at rest").check()
    page.get_by_label("System holding it").fill("Claims DB")
    page.get_by_label("Retention period").fill("6 years")
    page.get_by_role("button", name="Register asset").click()
    page.wait_for_selector("h1:has-text('Benefit claims ledger')")
    visitor.check()
    assert "Protected personal data" in page.content()
    asset = Asset.objects.get(reference="ALPHA-BEN-1")
    assert asset.is_ppd
    # Their own assets and review list, and the import's first step.
    visitor.goto("/assets/mine/")
    assert "Benefit claims ledger" in page.content()
    visitor.goto("/assets/import/")
    page.get_by_role("button", name="Upload and continue").click()
    page.wait_for_selector(".govuk-error-summary")
    visitor.check()
    assert "Choose a CSV or XLSX file" in page.content()
    # A one-row register: matched, checked, then imported in the
    # background, its page showing the outcome.
    page.get_by_label("Register file (CSV or XLSX)").set_input_files(
        files=[
            {
                "name": "register.csv",
                "mimeType": "text/csv",
                "buffer": _csv([_row("ALPHA-IMP-1")]),
            }
        ]
    )
    page.get_by_role("button", name="Upload and continue").click()
    page.wait_for_selector("h1:has-text('Match the columns')")
    visitor.check()
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 1 assets").click()
    page.wait_for_selector("text=1 assets imported")
    visitor.check()
    assert Asset.objects.filter(reference="ALPHA-IMP-1").exists()
    # A job still running: its progress, for axe too.
    running = ImportJob.objects.get()
    running.pk = None
    running.state, running.phase = JobState.RUNNING, JobPhase.CHECKING
    running.done, running.total = 10, 40
    running.save()
    visitor.goto(f"/assets/import/jobs/{running.pk}/")
    assert "Checking each row: 10 of 40 rows" in page.content()

    page.context.clear_cookies()
    sign_in(visitor, "siro@alpha.example", totp=True)
    visitor.goto("/assets/overview/")
    overview = page.locator("main").inner_text()
    assert f"{world_module.MARKER} Revenue and everything under it" in (
        overview
    )
    # Two assets: the one registered and the one imported.
    page.get_by_role("link", name="2", exact=True).first.click()
    visitor.check()
    assert "Benefit claims ledger" in page.content()

    page.context.clear_cookies()
    sign_in(visitor, "iao@beta.example")
    visitor.goto(f"/assets/{asset.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Page not found"
    )
    assert "Benefit claims ledger" not in page.content()
