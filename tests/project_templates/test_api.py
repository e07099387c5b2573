"""The templates' API resources; templates never appear among a project's items."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.api.test_routes import call
from workspace import models
from workspace.api.tokens import create_token
from workspace.extensions import db
from workspace.projects.models import Role

from .helpers import counts, source_project


def test_save_list_export_import_create_and_delete(make, client):
    source = source_project(make)
    token = create_token(source.owner, "script")[1]
    project = source.project
    saved = call(client, "POST", f"/projects/{project.id}/templates", token, {
        "name": "Agency launch", "lists": True, "milestones": True, "people": True,
        "message_ids": list(source.message_ids)})
    assert saved.status_code == 201, saved.json
    template = saved.json
    assert (template["kind"], template["todo_count"], template["source_project_id"]) == (
        "project", 3, project.id)
    listed = call(client, "GET", "/templates", token)
    assert [t["name"] for t in listed.json] == ["Agency launch"]

    document = call(client, "GET", f"/templates/{template['id']}/export", token).json
    assert document["workspace_template"] == 1 and document["messages"][0]["title"] == "Welcome"
    imported = call(client, "POST", "/templates", token, document)
    assert imported.status_code == 201 and imported.json["source_project_id"] is None

    made = call(client, "POST", f"/templates/{imported.json['id']}/projects", token, {
        "name": "From the API", "anchor_date": "2027-06-30", "anchor": "end",
        "skip_weekends": True, "people": {"r2": source.designer.id}})
    assert made.status_code == 201, made.json
    launch = db.session.scalar(select(models.Milestone).where(
        models.Milestone.project_id == made.json["id"], models.Milestone.title == "Launch"))
    assert launch.due_on.isoformat() == "2027-06-30" and launch.responsible_id == source.designer.id

    design = db.session.scalar(select(models.TodoList).where(models.TodoList.name == "Design"))
    list_template = call(client, "POST", f"/projects/{project.id}/todolists/{design.id}/template",
                         token, {"name": "Sprint", "people": True}).json
    added = call(client, "POST", f"/projects/{made.json['id']}/templates/"
                 f"{list_template['id']}/todolists", token,
                 {"anchor_date": "2027-07-05", "people": {"r1": source.designer.id}})
    assert added.status_code == 201 and added.json["name"] == "Design"

    assert call(client, "DELETE", f"/templates/{template['id']}", token).status_code == 204
    assert call(client, "GET", f"/templates/{template['id']}", token).status_code == 404


def test_bad_files_and_bodies_are_refused_with_what_is_wrong(make, client):
    source = source_project(make)
    token = create_token(source.owner, "script")[1]
    before = counts()
    wrong_version = call(client, "POST", "/templates", token,
                         {"workspace_template": 2, "kind": "project", "name": "X"})
    assert wrong_version.status_code == 400
    assert "this installation reads version 1" in wrong_version.json["error"]["message"]
    unknown = call(client, "POST", "/templates", token,
                   {"workspace_template": 1, "kind": "project", "name": "X", "extra": 1})
    assert unknown.status_code == 422 and "extra" in unknown.json["error"]["fields"]
    huge = client.post("/api/v1/templates", data=b"{" + b" " * (11 * 1024 * 1024) + b"}",
                       content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})
    assert huge.status_code == 413
    assert counts() == before


def test_who_sees_which_template(make, client):
    source = source_project(make)
    owner = create_token(source.owner, "script")[1]
    member = create_token(source.designer, "script")[1]
    guest = make.user("Guest")
    make.join(source.project, guest, Role.CLIENT)
    client_token = create_token(guest, "script")[1]
    elsewhere = make.user("Elsewhere")
    make.project("Beta", owner=elsewhere)
    stranger = create_token(elsewhere, "script")[1]
    template = call(client, "POST", f"/projects/{source.project.id}/templates", owner,
                    {"name": "Kept"}).json
    assert call(client, "POST", f"/projects/{source.project.id}/templates", member,
                {"name": "Mine"}).status_code == 403
    assert call(client, "GET", f"/templates/{template['id']}", member).status_code == 200
    for token in (client_token, stranger):
        assert call(client, "GET", f"/templates/{template['id']}", token).status_code == 404
        assert call(client, "POST", f"/templates/{template['id']}/projects", token, {
            "name": "Stolen", "anchor_date": "2027-01-04"}).status_code == 404
    assert call(client, "GET", "/templates", stranger).json == []


def test_templates_are_no_projects_items(make, client):
    """A template's words are in no item list, event or search of the API."""
    source = source_project(make)
    token = create_token(source.owner, "script")[1]
    call(client, "POST", f"/projects/{source.project.id}/templates", token,
         {"name": "Zanzibar blueprint", "description": "Zanzibar"})
    pages = [call(client, "GET", url, token) for url in (
        "/events", f"/projects/{source.project.id}/events",
        f"/projects/{source.project.id}/todolists", f"/projects/{source.project.id}/messages",
        f"/projects/{source.project.id}/milestones", f"/projects/{source.project.id}/documents",
        "/projects")]
    assert all(page.status_code == 200 for page in pages)
    assert not any("Zanzibar" in json.dumps(page.json) for page in pages)


def test_roles_are_named_and_comments_kept_when_saving(make, client):
    source = source_project(make)
    token = create_token(source.owner, "script")[1]
    project = source.project
    saved = call(client, "POST", f"/projects/{project.id}/templates", token, {
        "name": "Named", "people": True, "comments": True, "milestones": True,
        "role_labels": {str(source.designer.id): "  Designer "}})
    assert saved.status_code == 201, saved.json
    document = call(client, "GET", f"/templates/{saved.json['id']}/export", token).json
    assert document["roles"] == [
        {"key": "r1", "label": "Olga Owner", "project_role": "owner"},
        {"key": "r2", "label": "Designer", "project_role": "member"}]
    assert document["milestones"][0]["comments"] == [
        {"body": "Book the room", "author": "r1", "day": 0}]

    design = db.session.scalar(select(models.TodoList).where(models.TodoList.name == "Design"))
    listed = call(client, "POST", f"/projects/{project.id}/todolists/{design.id}/template",
                  token, {"name": "Sprint", "people": True,
                          "role_labels": {str(source.designer.id): "Illustrator"}})
    assert listed.status_code == 201, listed.json
    document = call(client, "GET", f"/templates/{listed.json['id']}/export", token).json
    assert {"key": "r1", "label": "Illustrator", "project_role": "member"} in document["roles"]
    assert document["lists"][0]["todos"][0]["comments"] == []  # not asked


def test_bad_role_names_are_refused_naming_the_field(make, client):
    source = source_project(make)
    token = create_token(source.owner, "script")[1]
    stranger = make.user("Stranger")
    url = f"/projects/{source.project.id}/templates"
    before = counts()
    for labels, says in (
            ({str(stranger.id): "Spy"}, f"{stranger.id} is the id of no person"),
            ({str(source.designer.id): "x" * 121}, "at most 120 characters"),
            ({str(source.designer.id): 3}, "Give"),
            (["Designer"], "Give")):
        answer = call(client, "POST", url, token, {"name": "Bad", "people": True,
                                                    "role_labels": labels})
        assert answer.status_code == 422, labels
        assert says in answer.json["error"]["fields"]["role_labels"], answer.json
    assert counts() == before
