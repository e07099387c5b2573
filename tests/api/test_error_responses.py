"""The API answers every failure under /api/v1/ as JSON, with its own handlers, and the pages
answer theirs as HTML: unknown paths and methods, refusals, oversized bodies, a full disk."""

from __future__ import annotations

import errno

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound, RequestEntityTooLarge

from workspace.api.tokens import create_token
from workspace.projects.operations import LastOwner


@pytest.fixture
def world(make):
    ana = make.user("Ana")
    project = make.project("Launch", owner=ana)
    return ana, project, create_token(ana, "script")[1]


def answer(response) -> tuple[int, str, object]:
    """What a caller sees: the status, the type, and the JSON body (or whether it is a page)."""
    body = response.json if response.is_json else "error-page" in response.text
    return response.status_code, response.mimetype, body


def error(status: int, code: str, message: str) -> tuple[int, str, object]:
    return status, "application/json", {"error": {"code": code, "message": message}}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("authorized", [True, False])
def test_an_unknown_path_or_method_is_answered_as_json(world, client, authorized):
    headers = bearer(world[2]) if authorized else {}
    not_found = error(404, "not_found", NotFound.description)
    for method, path in (("GET", "/api/v1/nothing"), ("POST", "/api/v1/nothing/here"),
                         ("OPTIONS", "/api/v1/nothing"), ("GET", "/api/v1/projects/x"),
                         ("GET", "/api/v1/projects/"), ("GET", "/api/v1/projects/1" + "0" * 30)):
        assert answer(client.open(path, method=method, headers=headers)) == not_found, path
    not_allowed = error(405, "method_not_allowed", MethodNotAllowed.description)
    for method in ("DELETE", "PUT", "FOO"):
        assert answer(client.open("/api/v1/projects", method=method, headers=headers)) == (
            not_allowed), method


def test_pages_and_the_bare_prefix_answer_as_pages(world, client):
    assert answer(client.get("/api/v1")) == (404, "text/html", True)
    assert answer(client.get("/nothing")) == (404, "text/html", True)
    assert answer(client.delete("/login")) == (405, "text/html", True)


def test_a_body_declared_too_large_is_refused_as_json(world, client, app):
    app.config["MAX_CONTENT_LENGTH"] = 16
    too_large = error(413, "too_large", RequestEntityTooLarge.description)
    for path in ("/api/v1/projects", "/api/v1/nothing"):
        response = client.post(path, headers=bearer(world[2]), data=b"x" * 32)
        assert answer(response) == too_large, path
    response = client.post("/projects/new", data=b"x" * 32, csrf=False)
    assert answer(response) == (413, "text/html", True)


def test_a_refusal_is_answered_as_json_in_the_api_and_as_a_page_elsewhere(world, client, app,
                                                                         client_for):
    ana, project, token = world

    def refuse(**values: object) -> None:
        raise LastOwner()

    app.view_functions["api.me"] = refuse
    assert answer(client.get("/api/v1/me", headers=bearer(token))) == error(
        400, "refused", str(LastOwner.message))
    app.view_functions["projects.overview"] = refuse
    page = client_for(ana).get(f"/projects/{project.id}")
    assert answer(page) == (400, "text/html", True) and str(LastOwner.message) in page.text


def test_a_full_disk_is_said_plainly_and_anything_else_is_a_server_error(world, client, app,
                                                                        client_for):
    ana, project, token = world
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def full(**values: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def broken(**values: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    app.view_functions["api.me"] = full
    assert answer(client.get("/api/v1/me", headers=bearer(token)))[:2] == (
        507, "application/json")
    assert client.get("/api/v1/me", headers=bearer(token)).json["error"]["code"] == (
        "insufficient_storage")
    app.view_functions["projects.overview"] = full
    assert answer(client_for(ana).get(f"/projects/{project.id}")) == (507, "text/html", True)
    # An unexpected failure is the site's error page, in the API as everywhere.
    app.view_functions["api.me"] = broken
    assert answer(client.get("/api/v1/me", headers=bearer(token))) == (500, "text/html", True)
