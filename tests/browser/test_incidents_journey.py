"""A member of staff reports a lost laptop in a real browser, the Data
Guardian completes and grades it as notifiable, notifies the ICO (the
delivery log shows it delivered), records the root cause and a lesson to
share and raises an action; the regulator sees the notification and
nothing else of the department; the central team sees the incident and
the lesson in the cross-government themes. axe-core checks every page;
the themes page is saved as a screenshot (``STEWARD_SCREENSHOTS``)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from steward.incidents.models import Incident
from tests import world as world_module
from tests.browser.conftest import Visitor
from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):  # type: ignore[no-untyped-def]
    return world_module.build()


def test_staff_report_guardian_grades_regulator_sees(
    world, visitor: Visitor
) -> None:  # type: ignore[no-untyped-def]
    page = visitor.page
    sign_in(visitor, "staff@alpha.example")
    page.get_by_role("link", name="Incidents").first.click()
    visitor.check()
    page.get_by_role("link", name="Report an incident").click()
    visitor.check()
    page.get_by_role("button", name="Report incident").click()
    page.wait_for_selector(".govuk-error-summary")
    visitor.check()
    assert "Enter what happened in a few words" in page.content()
    page.get_by_label("What happened, in a few words").fill(
        "Laptop lost on a train"
    )
    page.get_by_label("Tell us more").fill("Left on the 18:05 to Leeds.")
    page.get_by_label("Date you found out").fill("2/3/2026")
    page.get_by_label("Time you found out (UK time)").fill("09:15")
    page.get_by_label("Roughly how many people").fill("120")
    page.get_by_role("button", name="Report incident").click()
    page.wait_for_selector("h1:has-text('Laptop lost on a train')")
    visitor.check()
    assert "72-hour clock" in page.content()
    incident = Incident.objects.get()

    page.context.clear_cookies()
    sign_in(visitor, "guardian@alpha.example")
    visitor.goto(f"/incidents/{incident.pk}/")
    page.get_by_role("link", name="Complete the record").click()
    visitor.check()
    page.get_by_label("Lost or stolen media, device or papers").check()
    page.get_by_role("radio", name="No").check()
    page.get_by_label("Special-category data").check()
    page.get_by_label("Number of records").fill("120")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("h1:has-text('Laptop lost on a train')")
    page.get_by_role("link", name="Grade", exact=True).click()
    visitor.check()
    page.get_by_label("Likely", exact=True).check()
    page.get_by_label("Minor", exact=True).check()
    page.get_by_role("button", name="Grade").click()
    page.wait_for_selector("h1:has-text('Laptop lost on a train')")
    visitor.check()
    assert "Notify the ICO within 72 hours" in page.content()
    page.get_by_role("link", name="Notify", exact=True).click()
    visitor.check()
    page.get_by_label("Information Commissioner's Office").check()
    page.get_by_label("Initial").check()
    page.get_by_role("button", name="Make and send notification").click()
    page.wait_for_selector(".govuk-error-summary")
    visitor.check()
    assert "enter the reasons for the delay" in page.content()
    page.get_by_label("Information Commissioner's Office").check()
    page.get_by_label("Initial").check()
    page.get_by_label("Reasons for delay").fill("Reported to us late")
    page.get_by_role("button", name="Make and send notification").click()
    page.wait_for_selector("h1:has-text('Laptop lost on a train')")
    visitor.check()
    visitor.goto("/incidents/notifications/")
    page.get_by_role("link", name="Initial notification").click()
    visitor.check()
    log = page.locator("table", has_text="Delivery log").inner_text()
    assert "Email" in log and "Delivered" in log
    visitor.goto(f"/incidents/{incident.pk}/")
    page.get_by_role(
        "link", name="Record the root cause and lessons"
    ).click()
    visitor.check()
    page.get_by_label("Data or device not encrypted").check()
    page.get_by_label("Lessons learned").fill(
        "Encrypt every laptop before it leaves the building"
    )
    page.get_by_label("Share these lessons across government").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("h1:has-text('Laptop lost on a train')")
    visitor.check()
    page.get_by_role("link", name="Raise an action on this incident").click()
    visitor.check()
    page.get_by_label("What needs to be done").fill(
        "Encrypt the remaining laptops"
    )
    page.get_by_label("Owner").select_option(
        label=f"{world_module.MARKER} Iao"
    )
    due = dt.date.today() + dt.timedelta(days=30)
    page.get_by_label("Due date").fill(due.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Raise action").click()
    page.wait_for_selector("h1:has-text('Laptop lost on a train')")
    visitor.check()
    assert "Encrypt the remaining laptops" in page.content()
    visitor.goto("/incidents/")
    assert "Laptop lost on a train" in page.content()

    page.context.clear_cookies()
    sign_in(visitor, "auditor@ico.example", totp=True)
    page.get_by_role("link", name="Notifications").first.click()
    visitor.check()
    page.get_by_role("link", name="Initial notification").click()
    visitor.check()
    text = page.locator("main").inner_text()
    assert "Laptop lost on a train" in text
    assert "Reported to us late" in text
    assert "Left on the 18:05" not in text
    visitor.goto(f"/incidents/{incident.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() != (
        "Laptop lost on a train"
    )

    page.context.clear_cookies()
    sign_in(visitor, "central@gov.example", totp=True)
    visitor.goto("/incidents/")
    page.get_by_role("link", name="Themes").click()
    page.wait_for_selector("h1:has-text('Incident themes')")
    visitor.check()
    page.get_by_label("Period").select_option(label="All time")
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector("h1:has-text('Incident themes')")
    visitor.check()
    main = page.locator("main")
    assert main.locator("svg[role=img]").count() == 7
    page.get_by_text("Show the figures as a table").nth(1).click()
    departments = main.locator("table", has_text="Department").first
    assert f"{world_module.MARKER} Revenue" in departments.inner_text()
    notify = page.locator("svg", has_text="48 to 72 hours")
    assert notify.count() == 1
    assert "Encrypt every laptop before it leaves the building" in (
        main.inner_text()
    )
    shots = Path(os.environ.get("STEWARD_SCREENSHOTS", "var/screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "incident-themes.png"), full_page=True)
