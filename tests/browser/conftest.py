"""Real Chromium (Debian's package) driven by Playwright, against the app served on loopback."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("WORKSPACE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not shutil.which(CHROMIUM):
        skip_or_fail(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except Exception as error:
            skip_or_fail(f"Chromium did not start: {error}")
        yield chromium
        chromium.close()


class Person:
    """One person's own browser context, collecting console errors as the pages run."""

    def __init__(self, browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
        self.context = browser.new_context(base_url=base_url)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))


@pytest.fixture
def person(browser, live_server):  # type: ignore[no-untyped-def]
    """Call `person()` for each person in the story; each gets a separate browser context."""
    people: list[Person] = []

    def new_person() -> Person:
        people.append(Person(browser, live_server))
        return people[-1]

    yield new_person
    for someone in people:
        someone.context.close()
