"""Every API route, for every kind of caller: what each may do, and nothing more.

Each role walks the whole table against a fresh project, in order (archiving and removing
someone come last, since they change what follows)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from workspace.api.tokens import create_token, revoke_token

ROLES = OWNER, MEMBER, CLIENT, STRANGER = "owner", "member", "client", "stranger"


@dataclass
class Upload:
    """A multipart body, made afresh for each request (a stream is read only once)."""

    name: str
    field: str = "files"

    def request(self) -> dict:
        return {"data": {self.field: (io.BytesIO(b"quarterly figures\n"), self.name)},
                "content_type": "multipart/form-data"}


# (method, path, body, expected status for owner, member, client, stranger)
ROUTES = [
    ("GET", "/me", None, (200, 200, 200, 200)),
    ("GET", "/projects", None, (200, 200, 200, 200)),
    # A client-only account may not create projects (WORKSPACE_PROJECT_CREATORS=members).
    ("POST", "/projects", {"name": "Side project"}, (201, 201, 403, 201)),
    ("GET", "/people", None, (403, 403, 403, 403)),  # site administrators only
    ("GET", "/events", None, (200, 200, 200, 200)),
    ("GET", "/projects/{p}", None, (200, 200, 200, 404)),
    ("PATCH", "/projects/{p}", {"description": "New words"}, (200, 403, 403, 404)),
    ("GET", "/projects/{p}/events", None, (200, 200, 200, 404)),
    ("GET", "/projects/{p}/people", None, (200, 200, 200, 404)),
    ("POST", "/projects/{p}/people", {"email": "newcomer@example.org", "role": "member"},
     (202, 403, 403, 404)),
    ("PATCH", "/projects/{p}/people/{client}", {"role": "client"}, (200, 403, 403, 404)),
    ("GET", "/projects/{p}/messages", None, (200, 200, 200, 404)),
    ("POST", "/projects/{p}/messages", {"title": "Hello", "body": "Hi"}, (201, 201, 201, 404)),
    ("GET", "/projects/{p}/messages/{message}", None, (200, 200, 200, 404)),
    ("PATCH", "/projects/{p}/messages/{message}", {"body": "Edited"}, (200, 200, 403, 404)),
    ("GET", "/projects/{p}/messages/{message}/comments", None, (200, 200, 200, 404)),
    ("POST", "/projects/{p}/messages/{message}/comments", {"body": "Agreed"},
     (201, 201, 201, 404)),
    ("GET", "/projects/{p}/todolists", None, (200, 200, 200, 404)),
    ("POST", "/projects/{p}/todolists", {"name": "Later"}, (201, 201, 403, 404)),
    ("GET", "/projects/{p}/todolists/{list}", None, (200, 200, 200, 404)),
    ("PATCH", "/projects/{p}/todolists/{list}", {"name": "Soon"}, (200, 200, 403, 404)),
    ("POST", "/projects/{p}/todolists/{list}/move", {"position": 0}, (200, 200, 403, 404)),
    ("GET", "/projects/{p}/todolists/{list}/todos", None, (200, 200, 200, 404)),
    ("POST", "/projects/{p}/todolists/{list}/todos", {"text": "Call"}, (201, 201, 403, 404)),
    ("GET", "/projects/{p}/todos/{todo}", None, (200, 200, 200, 404)),
    ("PATCH", "/projects/{p}/todos/{todo}", {"notes": "Before noon"}, (200, 200, 403, 404)),
    ("POST", "/projects/{p}/todos/{todo}/complete", None, (200, 200, 403, 404)),
    ("POST", "/projects/{p}/todos/{todo}/reopen", None, (200, 200, 403, 404)),
    ("POST", "/projects/{p}/todos/{todo}/move", {"position": 0}, (200, 200, 403, 404)),
    ("GET", "/projects/{p}/milestones", None, (200, 200, 200, 404)),
    ("POST", "/projects/{p}/milestones", {"title": "Beta", "due_on": "2031-01-15"},
     (201, 201, 403, 404)),
    ("GET", "/projects/{p}/milestones/{milestone}", None, (200, 200, 200, 404)),
    ("PATCH", "/projects/{p}/milestones/{milestone}", {"notes": "On track"},
     (200, 200, 403, 404)),
    ("POST", "/projects/{p}/milestones/{milestone}/complete", None, (200, 200, 403, 404)),
    ("POST", "/projects/{p}/milestones/{milestone}/reopen", None, (200, 200, 403, 404)),
    ("GET", "/projects/{p}/files", None, (200, 200, 200, 404)),
    ("POST", "/projects/{p}/files", Upload("notes.txt"), (201, 201, 201, 404)),
    ("GET", "/projects/{p}/files/{file}", None, (200, 200, 200, 404)),
    ("GET", "/projects/{p}/files/{file}/versions", None, (200, 200, 200, 404)),
    ("POST", "/projects/{p}/files/{file}/versions", Upload("v2.txt", "file"),
     (201, 201, 403, 404)),
    ("GET", "/projects/{p}/files/{file}/download", None, (200, 200, 200, 404)),
    ("GET", "/projects/{p}/files/{file}/versions/1/download", None, (200, 200, 200, 404)),
    ("POST", "/projects/{p}/archive", None, (200, 403, 403, 404)),
    ("POST", "/projects/{p}/unarchive", None, (200, 403, 403, 404)),
    ("DELETE", "/projects/{p}/people/{client}", None, (204, 403, 403, 404)),
]


@dataclass
class World:
    ids: dict[str, int]
    tokens: dict[str, str]


@pytest.fixture
def world(make, client) -> World:
    ana, bo, cy, eve = make.user("Ana"), make.user("Bo"), make.user("Cy"), make.user("Eve")
    project = make.project("Launch", owner=ana, members=(bo,), clients=(cy,))
    make.project("Other", owner=eve)
    tokens = {role: create_token(user, "script")[1]
              for role, user in ((OWNER, ana), (MEMBER, bo), (CLIENT, cy), (STRANGER, eve))}
    revoked, tokens["revoked"] = create_token(cy, "old")
    revoke_token(revoked)

    def made(url: str, body: dict, token: str = tokens[MEMBER]) -> int:
        response = call(client, "POST", f"/projects/{project.id}{url}", token, body)
        assert response.status_code == 201, response.json
        return response.json["id"]

    ids = {"p": project.id, "client": cy.id}
    ids["message"] = made("/messages", {"title": "Plan", "body": "Draft"})
    ids["list"] = made("/todolists", {"name": "Launch tasks"})
    ids["todo"] = made(f"/todolists/{ids['list']}/todos", {"text": "Book the room"})
    ids["milestone"] = made("/milestones", {"title": "Launch", "due_on": "2031-02-01"})
    files = call(client, "POST", f"/projects/{project.id}/files", tokens[MEMBER],
                 **Upload("a.txt").request())
    ids["file"] = files.json[0]["id"]
    return World(ids, tokens)


def call(client, method: str, url: str, token: str | None, body=None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        kwargs["json"] = body
    return client.open(f"/api/v1{url}", method=method, headers=headers, **kwargs)


def request_args(body: dict | Upload | None) -> tuple[dict | None, dict]:
    return (None, body.request()) if isinstance(body, Upload) else (body, {})


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_what_its_role_allows_and_no_more(world, client, role):
    column = ROLES.index(role)
    wrong = []
    for method, path, body, statuses in ROUTES:
        json_body, extra = request_args(body)
        response = call(client, method, path.format(**world.ids), world.tokens[role],
                        json_body, **extra)
        if response.status_code != statuses[column]:
            wrong.append((method, path, response.status_code, statuses[column],
                          response.get_data(as_text=True)[:200]))
        if response.status_code >= 400:
            assert set(response.json["error"]) >= {"code", "message"}
    assert wrong == []


@pytest.mark.parametrize("token", [None, "revoked"])
def test_without_a_valid_token_every_route_answers_401(world, client, token):
    for method, path, body, _statuses in ROUTES:
        json_body, extra = request_args(body)
        response = call(client, method, path.format(**world.ids),
                        world.tokens.get(token) if token else None, json_body, **extra)
        assert response.status_code == 401, (method, path)
        assert response.json["error"]["code"] in {"unauthorized", "invalid_token"}
