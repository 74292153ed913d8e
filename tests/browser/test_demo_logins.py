"""Each demo role signs in with the documented password (and code where
the role needs one) and lands on its home page."""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP

from steward import demo
from tests.browser.conftest import Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONE_PER_ROLE = ["central", "auditor.ico", "siro.hmrc", "iao.hmrc",
                "guardian.hmrc", "staff.hmrc"]


def test_every_demo_role_signs_in_and_lands_home(visitor: Visitor) -> None:
    demo.load()
    page = visitor.page
    for local in ONE_PER_ROLE:
        page.context.clear_cookies()
        visitor.goto("/accounts/sign-in/")
        page.get_by_label("Email address").fill(
            f"{local}@{demo.DEMO_DOMAIN}")
        page.get_by_label("Password", exact=True).fill(demo.DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        if local.split(".")[0] in ("central", "auditor", "siro"):
            page.wait_for_url("**/accounts/two-factor/")
            page.get_by_label("Security code").fill(
                f"{TOTP(demo.DEMO_TOTP_KEY).token():06d}")
            page.get_by_role("button", name="Continue").click()
        page.wait_for_url(visitor.base_url + "/")
        visitor.check()
        assert page.get_by_role("heading", level=1).inner_text() == (
            "What needs your attention"), local
