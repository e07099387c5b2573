"""Writing through the API: the pages' forms validate, the pages' operations act."""

import pytest

from workspace.api.tokens import create_token
from workspace.extensions import db
from workspace.messages.models import Message
from workspace.todos.models import Todo
from workspace.types import utcnow


@pytest.fixture
def api(make):
    ana, bo, cy, eve = make.user("Ana"), make.user("Bo"), make.user("Cy"), make.user("Eve")
    project = make.project("Launch", owner=ana, members=(bo,), clients=(cy,))
    make.project("Other", owner=eve)
    tokens = {role: create_token(user, "t")[1]
              for role, user in (("owner", ana), ("member", bo), ("client", cy),
                                 ("stranger", eve))}
    return project, tokens, {"ana": ana, "bo": bo, "cy": cy}


def call(client, method, url, token, body=None):
    return client.open(f"/api/v1{url}", method=method, json=body,
                       headers={"Authorization": f"Bearer {token}"})


def test_a_member_posts_a_message_and_a_client_comments(api, client):
    project, tokens, people = api
    response = call(client, "POST", f"/projects/{project.id}/messages", tokens["member"],
                    {"title": "Plan", "body": "**Go**", "notify": [people["cy"].id]})
    assert response.status_code == 201 and "<strong>Go</strong>" in response.json["body_html"]
    message_id = response.json["id"]
    comment = call(client, "POST", f"/projects/{project.id}/messages/{message_id}/comments",
                   tokens["client"], {"body": "Thanks"})
    assert comment.status_code == 201 and comment.json["author"]["name"] == "Cy"
    listed = call(client, "GET", f"/projects/{project.id}/messages/{message_id}/comments",
                  tokens["owner"])
    assert [c["body"] for c in listed.json] == ["Thanks"]


def test_validation_errors_name_the_fields(api, client):
    project, tokens, _ = api
    response = call(client, "POST", f"/projects/{project.id}/messages", tokens["owner"],
                    {"title": "", "body": "x" * 10})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"title": "Give the message a title."}
    bad_date = call(client, "POST", f"/projects/{project.id}/milestones", tokens["owner"],
                    {"title": "Beta", "due_on": "2026-13-45"})
    assert bad_date.status_code == 422 and "due_on" in bad_date.json["error"]["fields"]
    not_json = client.post(f"/api/v1/projects/{project.id}/messages", data="title=x",
                           headers={"Authorization": f"Bearer {tokens['owner']}"})
    assert not_json.status_code == 400 and not_json.json["error"]["code"] == "bad_request"
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0


@pytest.mark.parametrize("role, status", [
    ("owner", 201), ("member", 201), ("client", 403), ("stranger", 404),
])
def test_planning_follows_the_role(api, client, role, status):
    project, tokens, _people = api
    response = call(client, "POST", f"/projects/{project.id}/todolists", tokens[role],
                    {"name": "Launch week"})
    assert response.status_code == status
    if status != 201:
        assert response.json["error"]["code"] in ("forbidden", "not_found")


def test_todos_are_added_assigned_and_checked_off(api, client):
    project, tokens, people = api
    todo_list = call(client, "POST", f"/projects/{project.id}/todolists", tokens["owner"],
                     {"name": "Launch week"}).json
    created = call(client, "POST", f"/projects/{project.id}/todolists/{todo_list['id']}/todos",
                   tokens["owner"], {"text": "Print", "assignee_id": people["bo"].id,
                                     "due_on": "2030-01-02"})
    assert created.status_code == 201, created.json
    assert (created.json["assignee_id"], created.json["due_on"]) == (people["bo"].id,
                                                                    "2030-01-02")
    outsider = call(client, "POST", f"/projects/{project.id}/todolists/{todo_list['id']}/todos",
                    tokens["owner"], {"text": "X", "assignee_id": 999})
    assert outsider.status_code == 422 and "assignee_id" in outsider.json["error"]["fields"]
    done = call(client, "POST", f"/projects/{project.id}/todos/{created.json['id']}/complete",
                tokens["member"])
    assert done.json["completed"] is True
    assert call(client, "POST", f"/projects/{project.id}/todos/{created.json['id']}/reopen",
                tokens["client"]).status_code == 403
    listed = call(client, "GET", f"/projects/{project.id}/todolists/{todo_list['id']}/todos",
                  tokens["client"]).json
    assert [t["text"] for t in listed] == ["Print"]


def test_milestones_are_added_and_completed(api, client):
    project, tokens, _ = api
    created = call(client, "POST", f"/projects/{project.id}/milestones", tokens["member"],
                   {"title": "Beta", "due_on": "2030-03-01"})
    assert created.status_code == 201
    done = call(client, "POST",
                f"/projects/{project.id}/milestones/{created.json['id']}/complete",
                tokens["owner"])
    assert done.json["completed"] is True
    listed = call(client, "GET", f"/projects/{project.id}/milestones", tokens["client"]).json
    assert [m["title"] for m in listed] == ["Beta"]
    people = call(client, "GET", f"/projects/{project.id}/people", tokens["client"]).json
    assert {p["role"] for p in people} == {"owner", "member", "client"}


def test_an_archived_project_is_read_only_through_the_api(api, client):
    project, tokens, _ = api
    project.archived_at = utcnow()
    db.session.commit()
    response = call(client, "POST", f"/projects/{project.id}/todolists", tokens["owner"],
                    {"name": "Late list"})
    assert response.status_code == 403 and "archived" in response.json["error"]["message"]
    assert call(client, "GET", f"/projects/{project.id}/todolists", tokens["client"]).json == []
    assert db.session.scalar(db.select(db.func.count()).select_from(Todo)) == 0
