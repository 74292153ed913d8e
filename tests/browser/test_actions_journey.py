"""A Data Guardian raises an action in a real browser, its owner (an IAO)
marks it done, and the history shows who changed what. axe-core checks
every page."""

from __future__ import annotations

import pytest

from steward.actions.models import Action, ActionStatus
from tests import world as world_module
from tests.browser.conftest import Visitor
from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):  # type: ignore[no-untyped-def]
    return world_module.build()


def test_guardian_raises_owner_closes(world, visitor: Visitor) -> None:  # type: ignore[no-untyped-def]
    page = visitor.page
    sign_in(visitor, "guardian@alpha.example")
    page.get_by_role("link", name="Actions").first.click()
    visitor.check()
    assert "No actions match these filters." in page.content()
    page.get_by_role("link", name="Raise an action").click()
    visitor.check()
    page.get_by_label("Which organisation is the action for?").select_option(
        world.a.org.code
    )
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    page.get_by_role("button", name="Raise action").click()
    page.wait_for_selector(".govuk-error-summary")
    visitor.check()
    assert "Enter what needs to be done" in page.content()
    page.get_by_label("What needs to be done").fill("Encrypt every laptop")
    page.get_by_label("Owner").select_option(
        label=world.a.people["iao"].full_name
    )
    page.get_by_label("Due date").fill("31/3/2031")
    page.get_by_role("button", name="Raise action").click()
    page.wait_for_selector("h1:has-text('Encrypt every laptop')")
    visitor.check()
    action = Action.objects.get()

    page.context.clear_cookies()
    sign_in(visitor, "iao@alpha.example")
    visitor.goto(f"/actions/{action.pk}/")
    page.get_by_role("radio", name="Done").check()
    page.get_by_label("Note").fill("All 40 laptops encrypted")
    page.get_by_role("button", name="Save update").click()
    page.wait_for_selector(".govuk-notification-banner")
    visitor.check()
    assert "All 40 laptops encrypted" in page.content()
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert visitor.problems == []
