"""Playwright driving Debian's chromium against a live Steward, with
axe-core checking every page a test visits."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

# Playwright's sync API runs an event loop in this thread; the ORM calls
# that build test data are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags from the machine's notes: no sandbox as root, and no background
# connections to a network this machine does not have.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=FLAGS, headless=True
        )
        yield browser
        browser.close()


class Visitor:
    """A page that runs axe-core after every navigation and collects what
    it finds, with any Content Security Policy violation."""

    def __init__(self, page, base_url: str) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        self.visited: list[str] = []
        page.on("console", self._console)

    def _console(self, message) -> None:  # type: ignore[no-untyped-def]
        if "Content Security Policy" in message.text:
            self.problems.append(f"CSP: {message.text}")

    def check(self) -> None:
        """Run axe-core on the page once it has loaded. A click may have
        started a navigation that lands while axe runs (the document it
        was reading is then gone): then wait for the new page and run
        again."""
        for attempt in range(3):
            self.page.wait_for_load_state("load")
            try:
                self.page.evaluate(AXE.read_text())
                result = self.page.evaluate(
                    "async () => await axe.run(document, {resultTypes: "
                    "['violations']})"
                )
                break
            except PlaywrightError:
                if attempt == 2:
                    raise
        url = self.page.url
        self.visited.append(url)
        for v in result["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in v["nodes"]][:3]
                self.problems.append(
                    f"{url}: {v['id']} ({v['impact']}) {targets}"
                )

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check()


@pytest.fixture
def visitor(browser, live_server) -> Iterator[Visitor]:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    v = Visitor(page, live_server.url)
    yield v
    context.close()
    assert v.problems == [], "\n".join(v.problems)
