"""The accessibility check itself finds a known problem."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Visitor

pytestmark = pytest.mark.browser


def test_axe_reports_a_serious_violation(browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    v = Visitor(page, "")
    page.set_content(
        '<html lang="en"><body><main><img src="x.png">'
        '<input type="text"></main></body></html>'
    )
    v.check()
    page.close()
    assert any("image-alt" in p for p in v.problems)
    assert any("label" in p for p in v.problems)
