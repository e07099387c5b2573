"""An automated pass over every route of the app (its `url_map`): access across projects for
every role, posts without a CSRF token, oversized and malformed requests, and the security
headers. A new route is walked automatically when it takes ids; one that takes none must be
named below, so that someone decides what it may show."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import Client
from workspace import DatabaseId
from workspace.extensions import db

from .world import (
    PLAUSIBLE,
    ROLES_OF_A,
    SECRET_B,
    World,
    build_world,
    is_api,
    path_of,
    routes,
    send,
    signed_in,
)

# Routes that take no id: what they show is the person's own (checked by the leak test).
OWN_ROUTES = {
    "/", "/activity", "/assignments", "/notifications", "/notifications/read",
    "/feed.<any(atom, rss):kind>", "/milestones.ics", "/admin/outbox", "/projects/new",
    "/settings/feeds", "/settings/feeds/token", "/settings/notifications",
    "/settings/notifications/delivery", "/settings/notifications/snooze", "/api/v1/me/delivery",
    "/settings/password", "/settings/profile", "/settings/tokens", "/login", "/logout",
    "/settings/sessions", "/settings/sessions/revoke-others",
    "/language", "/api/v1/me", "/api/v1/projects", "/api/v1/events", "/search", "/schedule",
    "/settings/reminders",
    # the templates the person sees (their saves and their teams' projects' ones)
    "/templates", "/templates/import", "/api/v1/templates",
    "/admin/people", "/api/v1/people",  # site administrators only (404 / 403 to others)
}
# Routes that need no account at all, and why that is right.
PUBLIC_ROUTES = {
    "/health": "says only ok or unavailable, for monitors",
    "/static/<path:filename>": "stylesheets, scripts and icons",
    "/setup": "the first account only; 404 once anyone exists",
    "/signup": "404 unless the administrator opens sign-ups",
    "/invitations/<token>": "the secret token in the link is the credential",
    "/stop-following/<token>": "the signed token in an emailed link is the credential; it "
                               "only stops its person following its item, and shows nothing",
    "/password/forgot": "asks for a reset link; the same answer whatever the address",
    "/password/forgot/sent": "a fixed text",
    "/password/reset/<token>": "the secret token in the emailed link is the credential",
    "/login/link": "asks for a sign-in link; the same answer whatever the address",
    "/login/link/sent": "a fixed text",
    "/login/link/<token>": "the secret token in the emailed link is the credential",
    "/api/docs": "the API's description, no data",
    "/api/v1/openapi.json": "the API's description, no data",
}
CHANGES = {"POST", "PATCH", "PUT", "DELETE"}
# Forms posted without a CSRF token on purpose, and why that is right.
CSRF_EXEMPT = {
    "/stop-following/<token>": "RFC 8058: a mail app posts the one-click unsubscribe without "
                               "a session; the signed single-purpose token is the credential",
}


@pytest.fixture
def world(make, client) -> World:
    return build_world(make, client)


def takes_ids(rule) -> bool:  # type: ignore[no-untyped-def]
    return bool(rule.arguments - {"kind", "change"})


def everything() -> dict[str, list[tuple]]:
    """Every row of every table: what a refused request must leave exactly as it was."""
    db.session.expire_all()
    return {table.name: sorted(map(tuple, db.session.execute(select(table))), key=repr)
            for table in db.metadata.sorted_tables}


def test_every_route_is_walked_or_named(app):
    every_rule = {rule.rule for rule, _ in routes(app)}
    without_ids = {rule.rule for rule, _ in routes(app) if not takes_ids(rule)}
    assert without_ids - set(PUBLIC_ROUTES) == OWN_ROUTES
    assert set(PUBLIC_ROUTES) <= every_rule


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_nobody_of_project_a_reaches_anything_of_project_b(app, world, role):
    """With B's ids, every route answers 403 or 404 to A's people (and to a stranger), by
    page or by API, for reading and for writing, and nothing of B changes."""
    client, before, wrong = signed_in(app, world, role), everything(), []
    for rule, method in routes(app):
        if not takes_ids(rule) or rule.rule in PUBLIC_ROUTES:
            continue
        path = path_of(rule, world.b)
        response = send(client, rule, method, path, world.secrets[role])
        if response.status_code not in (403, 404):
            wrong.append((method, path, response.status_code))
        if SECRET_B.encode() in response.data:
            wrong.append((method, path, "shows B"))
    assert wrong == []
    assert_unchanged_but_for_the_callers_token(before, everything())


def assert_unchanged_but_for_the_callers_token(before: dict, after: dict) -> None:
    """The API records the day a token was last used: that one write is expected."""
    changed = [table for table in before if before[table] != after[table]]
    assert changed in ([], ["api_tokens"]), changed


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_no_page_of_project_a_or_of_the_person_shows_anything_of_b(app, world, role):
    client, leaks = signed_in(app, world, role), []
    for rule, method in routes(app):
        if method != "GET" or rule.rule.startswith("/static/"):
            continue
        path = path_of(rule, world.a)
        response = send(client, rule, method, path, world.secrets[role])
        assert response.status_code < 500, (path, response.status_code)
        if SECRET_B.encode() in response.data:
            leaks.append(path)
    assert leaks == []


def test_every_form_post_without_a_csrf_token_is_refused(app, world):
    """Signed in as the owner of A, on A's own ids, where the post would otherwise work."""
    client, before, wrong = signed_in(app, world, "owner"), everything(), []
    for rule, method in routes(app):
        if method in CHANGES and not is_api(rule) and rule.rule not in CSRF_EXEMPT:
            path = path_of(rule, world.a)
            response = send(client, rule, method, path, None, csrf=False)
            if response.status_code != 400 or b"sent from another site" not in response.data:
                wrong.append((method, path, response.status_code))
    assert wrong == []
    assert everything() == before


def test_the_api_takes_no_session_cookie_for_a_token(app, world):
    """A page of another site could make a signed-in browser post to the API: without a
    token, the API answers 401 and does nothing."""
    client, before, wrong = signed_in(app, world, "owner"), everything(), []
    for rule, method in routes(app):
        if is_api(rule):
            response = send(client, rule, method, path_of(rule, world.a), None)
            if response.status_code != 401:
                wrong.append((method, rule.rule, response.status_code))
    assert wrong == []
    assert everything() == before


def test_every_oversized_body_is_refused_with_413(app, world):
    """Even where the body is not read (archiving by API took a 100 KB body and acted)."""
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    client, before, wrong = signed_in(app, world, "owner"), everything(), []
    big = "x" * (100 * 1024)
    for rule, method in routes(app):
        if method not in CHANGES:
            continue
        path = path_of(rule, world.a)
        body = {"json": {**PLAUSIBLE, "body": big}} if is_api(rule) else {
            "data": {**PLAUSIBLE, "body": big}}
        response = send(client, rule, method, path, world.secrets["owner"], **body)
        if response.status_code != 413:
            wrong.append((method, path, response.status_code))
    assert wrong == []
    assert_unchanged_but_for_the_callers_token(before, everything())


GARBAGE_QUERY = ("?page=99999999999999999999999&sort=%FF%FE&order=%00&kind=..%2F&since=-1"
                 "&cursor=%25%25%25&limit=99999999999999999999&month=99999-99&token=%FF"
                 "&next=%2F%2Fevil.example&q=%00")


def malformed_requests(client: Client, rule, method: str, path: str, secret: str):  # type: ignore[no-untyped-def]
    """The same route asked in broken ways: huge ids, garbage queries, bodies that are not
    UTF-8 or not JSON, JSON of the wrong shapes."""
    huge = path_of(rule, dict.fromkeys(rule.arguments, 10**30))
    yield send(client, rule, method, huge, secret)
    if method == "GET":
        yield send(client, rule, method, path + GARBAGE_QUERY, secret)
    elif is_api(rule):
        yield send(client, rule, method, path, secret, json=None, data=b"{not json",
                   content_type="application/json")
        yield send(client, rule, method, path, secret, json={
            key: [{"nested": 10**30}] for key in PLAUSIBLE})
    else:
        raw = f"csrf_token={client.csrf_token()}&".encode() + b"&".join(
            key.encode() + b"=%FF%FE\xff\xfe" for key in PLAUSIBLE)
        yield send(client, rule, method, path, secret, data=raw,
                   content_type="application/x-www-form-urlencoded")


def test_no_malformed_request_causes_a_server_error(app, world):
    # With a mail server (never reached: emails only queue), the link routes run in full.
    app.config["WORKSPACE_SMTP_HOST"] = "127.0.0.1"
    client, errors = signed_in(app, world, "owner"), []
    for rule, method in routes(app):
        for response in malformed_requests(client, rule, method, path_of(rule, world.a),
                                           world.secrets["owner"]):
            if response.status_code >= 500:
                errors.append((method, rule.rule, response.status_code))
    assert errors == []


def test_an_id_too_large_for_the_database_is_not_found_whatever_the_method(app, world):
    """Not 405: werkzeug would answer that if the id failed to match the asked method's rule
    while another method's rule on the same path remained."""
    client, wrong = signed_in(app, world, "owner"), []
    for rule, method in routes(app):
        if any(isinstance(rule._converters[name], DatabaseId) for name in rule.arguments):
            huge = path_of(rule, {name: 2**31 if isinstance(rule._converters[name], DatabaseId)
                                  else world.a.get(name) for name in rule.arguments})
            status = send(client, rule, method, huge, world.secrets["owner"]).status_code
            if status != 404:
                wrong.append((method, rule.rule, status))
    assert wrong == []


def header_problems(response) -> list[str]:  # type: ignore[no-untyped-def]
    policy = dict((part.strip() + " ").split(" ", 1) for part in
                  response.headers.get("Content-Security-Policy", "").split(";") if part.strip())
    problems = []
    if "frame-ancestors" not in policy:
        problems.append("no frame-ancestors")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if response.mimetype == "text/html":
        script = policy.get("script-src", policy.get("default-src", ""))
        if not script or "'unsafe-inline'" in script or "'unsafe-eval'" in script:
            problems.append(f"script-src {script!r}")
        if not response.headers.get("Referrer-Policy"):
            problems.append("no Referrer-Policy")
    return problems


@pytest.mark.parametrize("role", ["owner", "stranger"])
def test_every_response_carries_the_security_headers(app, world, role):
    """Pages, errors, feeds, downloads and API answers alike."""
    client, wrong = signed_in(app, world, role), []
    for rule, method in routes(app):
        if method == "GET":
            path = path_of(rule, world.a)
            response = send(client, rule, method, path, world.secrets[role])
            if problems := header_problems(response):
                wrong.append((path, response.status_code, problems))
    assert wrong == []
