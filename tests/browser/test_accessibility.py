"""Every page through axe-core in Chromium: no violation above "minor" (so none serious or
critical, and headings in order), for an owner and a client, in English and in French, in the
light and the dark theme."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.conftest import long_word_pages, sign_in
from tests.conftest import BACKENDS, skip_or_fail
from workspace.extensions import db

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
REPORTED = {"moderate", "serious", "critical"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        skip_or_fail(f"axe-core is not installed at {AXE} (make test runs npm ci)")
    return AXE.read_text()


def violations(page, axe_source: str) -> list[dict]:  # type: ignore[no-untyped-def]
    page.evaluate(axe_source)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in REPORTED
    ]


COMBINATIONS = [("owner", "en", "light"), ("owner", "fr", "dark"), ("client", "en", "dark"),
                ("client", "fr", "light")]


@pytest.mark.parametrize("database_url", BACKENDS[:1], indirect=True)
@pytest.mark.parametrize("role, language, theme", COMBINATIONS)
def test_every_page_passes_axe(browser, live_server, project_with_long_words, axe_source, role,
                               language, theme):
    """With the long words, private marks and state marks that the layout tests use."""
    user = project_with_long_words["people"][role]
    user.locale = language
    db.session.commit()
    context = browser.new_context(base_url=live_server, bypass_csp=True, color_scheme=theme,
                                  locale=language)
    page = context.new_page()
    found = {}
    try:
        for url in ("/login", "/no/such/page"):
            page.goto(url)
            found[f"{url} (signed out)"] = violations(page, axe_source)
        sign_in(page, user.email)
        for url in long_word_pages(project_with_long_words, role):
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            found[url] = violations(page, axe_source)
    finally:
        context.close()
    assert {url: v for url, v in found.items() if v} == {}, json.dumps(found, indent=1)


@pytest.mark.parametrize("database_url", BACKENDS[:1], indirect=True)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_setup_page_and_a_form_with_errors_pass_axe(browser, live_server, axe_source,
                                                         language):
    context = browser.new_context(base_url=live_server, bypass_csp=True, locale=language)
    page = context.new_page()
    try:
        page.goto("/")
        assert page.locator("form input[name=email]").count() == 1
        assert violations(page, axe_source) == []
        page.locator("main form button[type=submit]").click()
        assert page.locator("[aria-invalid=true]").count() >= 1
        assert violations(page, axe_source) == []
    finally:
        context.close()


@pytest.mark.parametrize("database_url", BACKENDS[:1], indirect=True)
def test_the_check_itself_catches_a_violation(browser, live_server, axe_source):
    """Were axe not running, every page above would pass: show that it sees a fault."""
    context = browser.new_context(base_url=live_server, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto("/login")
        page.evaluate("() => document.querySelector('main').insertAdjacentHTML("
                      "'beforeend', '<input type=text><button></button>')")
        assert {v["rule"] for v in violations(page, axe_source)} >= {"label", "button-name"}
    finally:
        context.close()
