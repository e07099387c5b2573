"""Without a mouse, and on a phone: the main journey by keyboard alone, and screenshots of the
main pages at 360 and 1280 px in English and French."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import BACKENDS, PASSWORD
from workspace.extensions import db

SCREENSHOTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"
FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {text: (element.innerText || element.value || element.getAttribute('aria-label') || '')
                  .trim(),
          name: element.getAttribute('name'), tag: element.tagName.toLowerCase(),
          outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px'};
}"""


def tab_to(page, wanted, limit: int = 80) -> dict:  # type: ignore[no-untyped-def]
    """Press Tab until the focused element is `wanted`; each stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            assert focused["outline"], f"no visible focus on {focused}"
            return focused
    raise AssertionError("the keyboard never reached the element")


def press_and_load(page, key: str = "Enter") -> None:  # type: ignore[no-untyped-def]
    """Press a key that follows a link or sends a form, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def named(name: str):  # type: ignore[no-untyped-def]
    return lambda focused: focused["name"] == name


def labelled(text: str):  # type: ignore[no-untyped-def]
    return lambda focused: focused["text"] == text


@pytest.mark.parametrize("database_url", BACKENDS[:1], indirect=True)
def test_the_main_journey_by_keyboard_alone(person, project_to_check):
    project = project_to_check["project"]
    page = person().page
    page.goto("/login")
    tab_to(page, labelled("Skip to content"))
    tab_to(page, named("email"))
    page.keyboard.type("ana@example.org")
    tab_to(page, named("password"))
    page.keyboard.type(PASSWORD)
    press_and_load(page)
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()

    tab_to(page, labelled("Launch"))
    press_and_load(page)
    expect(page.get_by_role("heading", name="Launch", exact=True)).to_be_visible()
    tab_to(page, labelled("Messages"))
    press_and_load(page)
    tab_to(page, labelled("New message"))
    press_and_load(page)
    tab_to(page, named("title"))
    page.keyboard.type("Typed without a mouse")
    tab_to(page, named("body"))
    page.keyboard.type("Every step by keyboard.")
    tab_to(page, labelled("Post the message"))
    press_and_load(page)
    expect(page.get_by_role("heading", name="Typed without a mouse")).to_be_visible()

    page.goto(f"/projects/{project.id}/todolists")
    tab_to(page, labelled("Mark “Write copy” as done"))
    press_and_load(page, "Space")
    expect(page.get_by_role("status").first).to_contain_text("Done: Write copy")
    tab_to(page, labelled("Sign out"))
    press_and_load(page)
    expect(page.locator("input[name=email]")).to_be_visible()


@pytest.mark.parametrize("database_url", BACKENDS[:1], indirect=True)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_screenshots_of_the_main_pages_are_kept(browser, live_server, project_to_check, language):
    """At 360 and 1280 px, in each language (`make screenshots` copies them into docs/).
    That no page scrolls sideways is tests/browser/test_layout.py's to check."""
    ana = project_to_check["people"]["owner"]
    ana.locale = language
    db.session.commit()
    context = browser.new_context(base_url=live_server, locale=language)
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = f"/projects/{project_to_check['project'].id}"
    shots = {"overview": base, "message": f"{base}/messages/{project_to_check['message']['id']}",
             "todos": f"{base}/todolists", "files": f"{base}/files"}
    try:
        sign_in(page, ana.email)
        for width, height in ((360, 740), (1280, 800)):
            page.set_viewport_size({"width": width, "height": height})
            for name, url in shots.items():
                page.goto(url)
                path = SCREENSHOTS / f"{name}-{language}-{width}.png"
                page.screenshot(path=path, full_page=True)
                assert path.stat().st_size > 5_000
    finally:
        context.close()
