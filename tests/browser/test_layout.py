"""Layout in real Chromium with the worst data a person can type: 200-character words in
every title, name, file name, comment and excerpt. No page scrolls sideways at 360 px (in
English and French) nor at 1280 px, and no element sticks out of the window."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LONG_WORD, long_word_pages, sign_in
from tests.conftest import BACKENDS
from workspace.extensions import db

# Elements whose right edge passes the window; a scroll box (overflow auto) may hold wider
# content, so what sits inside one is not counted.
STICKING_OUT = """(width) => {
  const inScrollBox = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(node).overflowX)) return true;
    }
    return false;
  };
  const out = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= width + 0.5) continue;
    if (element.closest('.visually-hidden, .skip-link') || inScrollBox(element)) continue;
    out.push(`${element.tagName.toLowerCase()}.${element.className} ${Math.round(box.right)}px`);
  }
  return {page: document.documentElement.scrollWidth, elements: out.slice(0, 5)};
}"""


def too_wide(page, urls: list[str], width: int) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 800})
    found = {}
    for url in urls:
        page.goto(url)
        measured = page.evaluate(STICKING_OUT, width)
        if measured["page"] > width or measured["elements"]:
            found[url] = measured
    return found


@pytest.mark.parametrize("database_url", BACKENDS[:1], indirect=True)
@pytest.mark.parametrize("role, language", [("owner", "en"), ("owner", "fr"), ("client", "fr")])
def test_long_words_wrap_on_a_phone_and_a_desktop(browser, live_server, project_with_long_words,
                                                  role, language):
    user = project_with_long_words["people"][role]
    user.locale = language
    db.session.commit()
    context = browser.new_context(base_url=live_server, locale=language)
    page = context.new_page()
    try:
        sign_in(page, user.email)
        urls = long_word_pages(project_with_long_words, role)
        found = {f"{width} px {url}": measured for width in (360, 1280)
                 for url, measured in too_wide(page, urls, width).items()}
    finally:
        context.close()
    assert found == {}, json.dumps(found, indent=1)


# Each checkbox sits inside its label, and the first line of the label's words starts just
# right of the box, on the box's line: no layout can show a box beside another name.
PAIRING = """() => [...document.querySelectorAll('main input[type=checkbox]')].map((box) => {
  const label = box.closest('label');
  if (!label) return {name: box.name, value: box.value, wrapped: false};
  const words = document.createRange();
  words.selectNodeContents(label.querySelector('.choice-text') || label);
  const line = words.getClientRects()[0], own = box.getBoundingClientRect();
  const middle = (line.top + line.bottom) / 2;
  return {name: box.name, value: box.value, wrapped: true, text: label.innerText.trim(),
          beside: line.left >= own.right && line.left - own.right < 24
                  && middle >= own.top - 4 && middle <= own.bottom + 4};
})"""


@pytest.mark.parametrize("database_url", BACKENDS[:1], indirect=True)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_checkbox_and_its_name_are_one_unit(browser, live_server, project_with_long_words,
                                                 make, language):
    seed = project_with_long_words
    ana = seed["people"]["owner"]
    ana.locale = language
    for name in ("Brochure", "Trade fair", LONG_WORD[:120]):
        make.project(name, owner=ana)
    db.session.commit()
    context = browser.new_context(base_url=live_server, locale=language)
    page = context.new_page()
    pages = {f"/projects/{seed['project'].id}/messages/new": 4, "/settings/notifications": 5}
    try:
        sign_in(page, ana.email)
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            for url, expected in pages.items():
                page.goto(url)
                boxes = page.evaluate(PAIRING)
                assert len(boxes) >= expected, (url, boxes)
                assert [b for b in boxes if not (b["wrapped"] and b["beside"])] == [], (
                    width, url)
                if url.endswith("/new"):  # the client's box carries the client's name
                    assert any(b["text"].startswith("Cy") and "client" in b["text"]
                               for b in boxes), boxes
    finally:
        context.close()


TOP = "(selector) => Math.round(document.querySelector(selector).getBoundingClientRect().top)"


@pytest.mark.parametrize("database_url", BACKENDS[:1], indirect=True)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_phone_shows_what_is_due_and_what_changed_before_forms(browser, live_server,
                                                                  project_to_check, language):
    seed = project_to_check
    ana = seed["people"]["owner"]
    ana.locale = language
    db.session.commit()
    base = f"/projects/{seed['project'].id}"
    context = browser.new_context(base_url=live_server, locale=language,
                                  viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        sign_in(page, ana.email)
        page.goto(base)
        tops = [page.evaluate(TOP, f"#{name}-heading")
                for name in ("milestones", "todos", "activity", "people")]
        assert tops == sorted(tops) and tops[1] < 740, tops  # due first, on the first screen

        page.goto(f"{base}/search?q=launch")
        assert page.evaluate(TOP, ".search-result") < 740
        assert page.locator("details.search-more").get_attribute("open") is None
        page.goto(f"{base}/search?q=launch&type=message")
        expect(page.locator("details.search-more select[name=type]")).to_be_visible()

        page.goto(f"{base}/files")
        assert page.evaluate(TOP, "table.files") < 740
        upload = page.locator("details.upload-panel")
        expect(upload.locator("input[type=file]")).to_be_hidden()
        for width in (360, 1280):  # the list is above the upload form at every width
            page.set_viewport_size({"width": width, "height": 800})
            assert page.evaluate(TOP, "table.files") < page.evaluate(TOP, "details.upload-panel")
        page.locator("details.upload-panel summary").click()
        expect(upload.locator("input[type=file]")).to_be_visible()
    finally:
        context.close()


# The lines a link's own words (its text, not its hidden label or mark) take.
ONE_LINE = """(element) => { const words = document.createRange();
  const text = [...element.childNodes].filter(node => node.nodeType === Node.TEXT_NODE
                                                      && node.textContent.trim()).pop();
  words.selectNodeContents(text); return words.getClientRects().length; }"""


@pytest.mark.parametrize("database_url", BACKENDS[:1], indirect=True)
def test_the_calendar_is_a_list_of_days_on_a_phone(browser, live_server, project_to_check):
    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        sign_in(page, "ana@example.org")
        page.goto(f"/projects/{project_to_check['project'].id}/milestones/calendar?month=2031-01")
        expect(page.locator("table.calendar")).to_be_hidden()
        days = page.locator(".calendar-list")
        expect(days.locator("time.day")).to_have_text(["Monday, January 20, 2031"])
        beta = days.get_by_role("link", name="Beta")
        expect(beta).to_be_visible()
        assert beta.evaluate(ONE_LINE) == 1  # not cut mid-word
        page.set_viewport_size({"width": 1280, "height": 800})
        expect(page.locator("table.calendar").get_by_role("link", name="Beta")).to_be_visible()
        expect(days).to_be_hidden()
    finally:
        context.close()


STYLE = """(element) => { const style = getComputedStyle(element);
  return {width: element.getBoundingClientRect().width, border: style.borderTopWidth,
          radius: style.borderTopLeftRadius, padding: style.paddingLeft}; }"""


@pytest.mark.parametrize("database_url", BACKENDS[:1], indirect=True)
def test_due_date_inputs_look_like_the_other_fields(browser, live_server, project_to_check):
    base = f"/projects/{project_to_check['project'].id}"
    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        sign_in(page, "ana@example.org")
        for url in (f"{base}/milestones/new", f"{base}/todolists/{project_to_check['list']['id']}"):
            page.goto(url)
            if "todolists" in url:  # the add form is folded under each list
                page.locator("details.add-todo summary").first.click()
            due = page.locator("main input[type=date]:visible").first.evaluate(STYLE)
            text = page.locator("main input[type=text]:visible").first.evaluate(STYLE)
            assert due["width"] >= 160, (url, due)
            assert {k: due[k] for k in ("border", "radius", "padding")} == {
                k: text[k] for k in ("border", "radius", "padding")}, url
    finally:
        context.close()
