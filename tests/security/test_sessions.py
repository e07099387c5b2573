"""Signing in and out: no redirection to another site from any `next=`, and a session that
someone planted or copied before the sign-in is worth nothing after it."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import PASSWORD

from .world import PLAUSIBLE, World, build_world, is_api, path_of, routes, send, signed_in

EVIL_NEXT = ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)",
             "/\t/evil.example", "\\\\evil.example", "http:evil.example", "///evil.example",
             "https:/evil.example", " //evil.example", "/%2F/evil.example", "%2F%2Fevil.example"]


@pytest.fixture
def world(make, client) -> World:
    return build_world(make, client)


def off_site(location: str) -> bool:
    """Would a browser leave the site (or run script) following this Location?"""
    if "\\" in location or any(ord(char) < 33 for char in location):
        return True
    target = urlsplit(urljoin("http://workspace.test/login", location))
    return target.scheme not in ("http", "https") or target.netloc != "workspace.test"


def login(client, email: str, query: dict | None = None):  # type: ignore[no-untyped-def]
    return client.post("/login", query_string=query or {},
                       data={"email": email, "password": PASSWORD})


def test_no_route_redirects_to_another_site_through_next(app, world):
    """Every route, signed in and not, with every form of `next` that has fooled someone, in
    the query and in the form."""
    visitors = {"anonymous": app.test_client(), "owner": signed_in(app, world, "owner")}
    wrong = []
    for who, client in visitors.items():
        for rule, method in routes(app):
            if is_api(rule):
                continue
            for target in EVIL_NEXT:
                path = path_of(rule, world.a)
                form = {"data": {**PLAUSIBLE, "next": target}} if method == "POST" else {}
                response = send(client, rule, method, path, None, query_string={"next": target},
                                **form)
                location = response.headers.get("Location")
                if location and off_site(location):
                    wrong.append((who, method, rule.rule, target, location))
    email = world.people["client"].email
    for target in EVIL_NEXT:
        response = login(app.test_client(), email, {"next": target})
        assert response.status_code == 302
        if off_site(response.headers["Location"]):
            wrong.append(("login", target, response.headers["Location"]))
    assert wrong == []


def session_cookie(client) -> str | None:  # type: ignore[no-untyped-def]
    cookie = client.get_cookie("session", domain="workspace.test")
    return cookie.value if cookie else None


def test_signing_in_gives_a_new_session_and_the_old_one_stays_anonymous(app, world):
    browser = app.test_client()
    browser.get("/login")
    browser.csrf_token()  # the session exists before the sign-in, as a planted one would
    before = session_cookie(browser)
    assert before
    assert login(browser, world.people["member"].email).status_code == 302
    after = session_cookie(browser)
    assert after and after != before
    planted = app.test_client()
    planted.set_cookie("session", before, domain="workspace.test")
    assert planted.get("/settings/profile").status_code == 302  # to the sign-in page
    assert browser.get("/settings/profile").status_code == 200


def test_a_session_copied_before_signing_out_is_worthless_afterwards(app, world):
    browser = app.test_client()
    login(browser, world.people["member"].email)
    copied = session_cookie(browser)
    assert browser.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied, domain="workspace.test")
    assert thief.get("/settings/profile").status_code == 302


def test_signing_in_renews_the_csrf_token_so_a_planted_one_forges_nothing(app, world):
    """Whoever planted the session before the sign-in also holds a valid form token for it;
    after the sign-in that token must not work."""
    browser = app.test_client()
    browser.get("/login")
    planted_token = browser.csrf_token()
    assert login(browser, world.people["member"].email).status_code == 302
    forged = browser.post("/settings/profile", csrf=False, data={
        "csrf_token": planted_token, "name": "Forged", "timezone": "UTC", "locale": ""})
    assert forged.status_code == 400
    assert world.people["member"].name != "Forged"
    renewed = browser.post("/settings/profile", data={
        "name": "Renewed", "timezone": "UTC", "locale": ""})
    assert renewed.status_code == 302
