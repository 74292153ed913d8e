"""A Data Guardian runs an assessment in a real browser and answers a
manual requirement with an uploaded file; the SIRO signs it off (with
two-factor); the central team sees the department in the cross-government
view. axe-core checks every page."""

from __future__ import annotations

import pytest

from steward.controls.models import AnswerSource, Assessment, Evidence
from steward.controls.services import answer_record
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests import world as world_module
from tests.assets.factories import make_asset
from tests.browser.conftest import Visitor
from tests.browser.test_journeys import sign_in
from tests.controls.factories import load_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n% Quarterly information risk review, board minute\n"


@pytest.fixture
def world(transactional_db):  # type: ignore[no-untyped-def]
    w = world_module.build()
    load_catalogue()
    make_asset(w.a, reference="OK-1")
    make_asset(w.a, reference="BAD-1", encrypted_at_rest=False)
    return w


def test_guardian_runs_siro_signs_central_compares(
    world, visitor: Visitor, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    page = visitor.page
    sign_in(visitor, "guardian@alpha.example")
    page.get_by_role("link", name="Assessments").first.click()
    visitor.check()
    assert "There are no assessments yet" in page.content()
    page.get_by_role("link", name="Start an assessment").click()
    visitor.check()
    page.get_by_label("Period").fill("2008-09 Q9")
    page.get_by_role("button", name="Start assessment").click()
    page.wait_for_selector(".govuk-error-summary")
    visitor.check()
    assert "Enter a financial year like 2008-09" in page.content()
    page.get_by_label("Organisation").select_option(
        label=f"{world_module.MARKER} Revenue"
    )
    page.get_by_label("Period").fill("2008-09")
    page.get_by_role("button", name="Start assessment").click()
    page.wait_for_selector("h1:has-text('Data Handling Procedures')")
    visitor.check()
    text = page.locator("main").inner_text()
    assert "Automated check" in text
    assert "1 of 2 protected personal data assets are not encrypted" in text
    assessment = Assessment.objects.get()

    # Answer a requirement no check evidences, with a file.
    page.get_by_role("link", name="answered by people").click()
    visitor.check()
    page.get_by_role(
        "link", name="I.3 Quarterly information risk assessment", exact=True
    ).click()
    visitor.check()
    page.get_by_label("Partly met", exact=True).check()
    page.get_by_label("How it is met, or why not").fill(
        "Reviewed each quarter; the agency has not yet reported."
    )
    upload = tmp_path / "q3-risk-review.pdf"
    upload.write_bytes(PDF)
    page.get_by_label("Upload a file (optional)").set_input_files(str(upload))
    page.get_by_label("Date of the evidence (optional)").fill("3/11/2008")
    page.get_by_role("button", name="Save answer").click()
    page.wait_for_selector("h1:has-text('Data Handling Procedures')")
    visitor.check()
    assert "I.3 is answered" in page.content()
    evidence = Evidence.objects.get(kind="file")
    assert evidence.filename == "q3-risk-review.pdf"
    assert evidence.size == len(PDF)
    page.get_by_role(
        "link", name="I.3 Quarterly information risk assessment", exact=True
    ).click()
    visitor.check()
    assert "q3-risk-review.pdf" in page.content()
    assert "Finding and action plan" in page.content()

    # The rest of the manual requirements are answered (by the service).
    iao = access_for_user(world.a.people[Role.IAO])
    for answer in assessment.answers.filter(
        source=AnswerSource.MANUAL, result=""
    ):
        answer_record(access=iao, answer=answer, result="met", note="In place")

    page.context.clear_cookies()
    sign_in(visitor, "siro@alpha.example", totp=True)
    visitor.goto(f"/assessments/{assessment.pk}/")
    page.get_by_role("link", name="Sign off").click()
    visitor.check()
    page.get_by_role("button", name="Sign off").click()
    page.wait_for_selector(".govuk-error-summary")
    visitor.check()
    assert "Confirm that you agree before signing off" in page.content()
    page.get_by_label("I have read the answers").check()
    page.get_by_role("button", name="Sign off").click()
    page.wait_for_selector("h1:has-text('Data Handling Procedures')")
    visitor.check()
    assert "It is now read-only" in page.content()
    assessment.refresh_from_db()
    assert assessment.is_signed_off
    page.get_by_role("link", name="Trend across periods").click()
    visitor.check()
    assert "Score by period" in page.content()

    page.context.clear_cookies()
    sign_in(visitor, "central@gov.example", totp=True)
    page.get_by_role("link", name="Assessments").first.click()
    visitor.check()
    page.get_by_role("link", name="Across government").click()
    visitor.check()
    table = page.locator("table").first.inner_text()
    assert f"{world_module.MARKER} Revenue" in table
    assert "Bravo Pensions" in table and "Not assessed" in table
    row = page.locator("tr", has_text=f"{world_module.MARKER} Revenue")
    assert "Yes" in row.first.inner_text()
