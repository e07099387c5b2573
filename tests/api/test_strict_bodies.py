"""A write takes only the fields its OpenAPI body lists, each of its JSON type: a script that
thinks it made something private, or sent "no" for false, hears so at once (422 naming it)."""

from __future__ import annotations

import io

import pytest

from tests.api import test_routes
from tests.api.test_routes import OWNER, ROUTES, Upload, call
from workspace.api.openapi import document
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.milestones.models import Milestone

world = test_routes.world  # the same project, people and items as the route table
WRITES = [(method, path, body) for method, path, body, _ in ROUTES if method != "GET"]


def with_surprise(body: dict | Upload | None) -> dict:
    """The route's own good body plus a field no route takes."""
    if isinstance(body, Upload):
        request = body.request()
        request["data"]["surprise"] = "1"
        return request
    return {"json": {**(body or {}), "surprise": 1}}


@pytest.mark.parametrize("method, path, body", WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_every_write_refuses_a_field_it_does_not_take(world, client, method, path, body):
    response = call(client, method, path.format(**world.ids), world.tokens[OWNER],
                    **with_surprise(body))
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == ["surprise"]
    assert error["fields"]["surprise"].startswith("Unknown field")


def test_a_private_milestone_is_refused_not_made_public(world, client):
    response = call(client, "POST", "/projects/{p}/milestones".format(**world.ids),
                    world.tokens[OWNER], {"title": "Secret", "due_on": "2031-01-01",
                                          "private": True})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "private": "Unknown field: this call takes title, due_on, responsible_id, notes."}
    assert db.session.scalar(db.select(Milestone).filter_by(title="Secret")) is None


@pytest.mark.parametrize("value", [0, 1, "0", "no", "true", "", None, [True]])
@pytest.mark.parametrize("path, body, flag", [
    ("/projects/{p}/messages", {"title": "T", "body": "b"}, "private"),
    ("/projects/{p}/messages/{message}", {}, "private"),
    ("/projects/{p}/todolists", {"name": "L"}, "private"),
    ("/projects/{p}/todolists/{list}", {}, "clients_can_complete"),
])
def test_a_boolean_is_true_or_false_and_nothing_else(world, client, path, body, flag, value):
    method = "POST" if path.endswith("s") else "PATCH"
    response = call(client, method, path.format(**world.ids), world.tokens[OWNER],
                    {**body, flag: value})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {flag: "Give true or false."}


def test_other_fields_keep_to_their_documented_types(world, client):
    url = "/projects/{p}/todolists/{list}/todos".format(**world.ids)
    response = call(client, "POST", url, world.tokens[OWNER],
                    {"text": ["a", "b"], "assignee_id": "3", "due_on": 20310101})
    assert response.json["error"]["fields"] == {
        "text": "Give a string.", "assignee_id": "Give a whole number or null.",
        "due_on": "Give a string or null."}


def test_true_and_false_still_mark_and_unmark(world, client):
    url = "/projects/{p}/messages/{message}".format(**world.ids)
    marked = call(client, "PATCH", url, world.tokens[OWNER], {"private": True})
    assert marked.status_code == 200 and marked.json["private"] is True
    unmarked = call(client, "PATCH", url, world.tokens[OWNER], {"private": False})
    assert unmarked.status_code == 200 and unmarked.json["private"] is False


@pytest.mark.parametrize("value, status", [("true", 201), ("false", 201), ("y", 201),
                                           ("no", 422), ("0", 422), ("on", 422)])
def test_an_upload_is_private_only_by_true_or_false(world, client, value, status):
    response = call(client, "POST", "/projects/{p}/files".format(**world.ids),
                    world.tokens[OWNER], content_type="multipart/form-data",
                    data={"files": (io.BytesIO(b"data"), "m.txt"), "private": value})
    assert response.status_code == status
    if status == 422:
        assert response.json["error"]["fields"] == {"private": 'Give "true" or "false".'}
        assert db.session.scalar(db.select(ProjectFile).filter_by(name="m.txt")) is None
    else:
        assert response.json[0]["private"] is (value in ("true", "y"))


def test_the_document_closes_every_request_body():
    bodies = [content["schema"] for item in document()["paths"].values()
              for operation in item.values() if "requestBody" in operation
              for content in operation["requestBody"]["content"].values()]
    assert bodies and all(b["additionalProperties"] is False for b in bodies)
    flags = [schema for b in bodies for schema in b["properties"].values()
             if schema.get("type") == "boolean"]
    assert flags and all("never" in f["description"] or "multipart" in f["description"]
                         for f in flags)


def test_a_list_says_what_it_holds(world, client):
    response = call(client, "POST", "/projects/{p}/messages".format(**world.ids),
                    world.tokens[OWNER], {"title": "T", "body": "b", "notify": ["Bo"]})
    assert response.json["error"]["fields"] == {"notify": "Give a list of whole numbers."}


def test_an_outsider_hears_404_before_anything_about_the_body(world, client):
    for method, path, body in WRITES:
        if path.startswith("/projects/{p}"):
            response = call(client, method, path.format(**world.ids), world.tokens["stranger"],
                            **with_surprise(body))
            assert response.status_code == 404, (method, path)


def test_text_with_a_nul_character_is_refused_not_a_server_error(world, client):
    response = call(client, "POST", "/projects/{p}/messages/{message}/comments".format(
        **world.ids), world.tokens[OWNER], {"body": "before\x00after"})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "body": "Text cannot contain the NUL character (\\u0000)."}
