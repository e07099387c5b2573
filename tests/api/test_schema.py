"""Schemathesis generates requests from /api/v1/openapi.json and sends them to the live app:
no server error, and no response that contradicts the document."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.test_routes import Upload, call
from tests.conftest import BACKENDS
from workspace.api.openapi import document
from workspace.api.tokens import create_token

schema = schemathesis.openapi.from_dict(document())
# Thousands of generated requests: on one database, the production one when it is there.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def real_ids(make, client) -> tuple[str, dict[str, int]]:
    """An owner's token and the ids of real items, so that generated requests reach them."""
    ana, bo, cy = make.user("Ana"), make.user("Bo"), make.user("Cy")
    project = make.project("Launch", owner=ana, members=(bo,), clients=(cy,))
    token = create_token(ana, "fuzz")[1]

    def made(url: str, body: dict) -> dict:
        response = call(client, "POST", f"/projects/{project.id}{url}", token, body)
        assert response.status_code == 201, response.json
        return response.json

    ids = {"project_id": project.id, "user_id": cy.id, "number": 1}
    ids["message_id"] = made("/messages", {"title": "Plan", "body": "Draft"})["id"]
    ids["list_id"] = made("/todolists", {"name": "Launch tasks"})["id"]
    ids["todo_id"] = made(f"/todolists/{ids['list_id']}/todos", {"text": "Book"})["id"]
    ids["milestone_id"] = made("/milestones", {"title": "Go", "due_on": "2031-02-01"})["id"]
    ids["document_id"] = made("/documents", {"title": "Brief", "body": "Draft"})["id"]
    ids["folder_id"] = made("/folders", {"name": "Specs"})["id"]
    ids["event_id"] = made("/schedule/events", {
        "title": "Sync", "starts_on": "2031-01-06", "starts_time": "09:00", "timezone": "UTC",
        "repeat": "weekly"})["id"]
    ids["key"] = "20310113T090000Z"  # its second date
    upload = call(client, "POST", f"/projects/{project.id}/files", token,
                  **Upload("a.txt").request())
    ids["file_id"] = upload.json[0]["id"]
    return token, ids


@schema.parametrize()
@pytest.mark.parametrize("database_url", [BACKENDS[-1]], indirect=True)
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_openapi_document(case, live_server, real_ids):
    token, ids = real_ids
    if case.path_parameters:
        case.path_parameters = {name: ids.get(name, value)
                                for name, value in case.path_parameters.items()}
    case.call_and_validate(base_url=f"{live_server}/api/v1", checks=CHECKS,
                           headers={"Authorization": f"Bearer {token}"})
