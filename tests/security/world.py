"""Two projects, A and B, with one of everything each, and people in every role of A (and a
stranger): the ground the security walk stands on. Everything in B carries SECRET_B, so that
a page that leaks B to someone of A is caught wherever it happens."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from flask import Flask
from werkzeug.routing import Rule

from tests.conftest import Client, Factory, signed_in_client
from workspace.api.tokens import create_token
from workspace.auth.models import User
from workspace.extensions import db
from workspace.messages.models import Message
from workspace.projects.models import Membership, Project, Role
from workspace.projects.operations import invite

SECRET_B = "SECRETB"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
       b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")
ROLES_OF_A = ("owner", "member", "client", "stranger")
ENDING = re.compile(r"delete|remove|archive|revoke|logout|cancel|role|/people/<int:user_id>")


@dataclass
class World:
    people: dict[str, User]
    secrets: dict[str, str]  # API token of each person
    a: dict[str, object] = field(default_factory=dict)  # route values in project A
    b: dict[str, object] = field(default_factory=dict)  # …and in project B


def build_world(make: Factory, client: Client) -> World:
    people = {name: make.user(name.title()) for name in (*ROLES_OF_A, "owner_b", "member_b")}
    secrets = {name: create_token(user, "walk")[1] for name, user in people.items()}
    project_a = make.project("Alpha", owner=people["owner"], members=(people["member"],),
                             clients=(people["client"],))
    project_b = make.project(f"Beta {SECRET_B}", owner=people["owner_b"],
                             members=(people["member_b"],))
    world = World(people, secrets)
    world.a = fill(client, project_a, people["owner"], people["member"], secrets["owner"], "")
    world.b = fill(client, project_b, people["owner_b"], people["member_b"], secrets["owner_b"],
                   SECRET_B)
    return world


def fill(client: Client, project: Project, owner: User, member: User, secret: str,
         mark: str) -> dict[str, object]:
    """One item of each kind in `project`, through the API; returns the routes' values."""

    def made(path: str, **body: object) -> dict:
        response = client.post(f"/api/v1/projects/{project.id}{path}", csrf=False,
                               headers={"Authorization": f"Bearer {secret}"}, **body)
        assert response.status_code == 201, response.text
        return response.get_json()

    message = made("/messages", json={"title": f"Plan {mark}", "body": f"Draft {mark}"})
    comment = made(f"/messages/{message['id']}/comments", json={"body": f"Agreed {mark}"})
    todo_list = made("/todolists", json={"name": f"Tasks {mark}"})
    todo = made(f"/todolists/{todo_list['id']}/todos", json={"text": f"Call {mark}"})
    milestone = made("/milestones", json={"title": f"Launch {mark}", "due_on": "2031-02-01"})
    event = made("/schedule/events", json={"title": f"Meeting {mark}", "starts_on": "2031-01-06",
                                  "starts_time": "09:00", "timezone": "UTC",
                                  "repeat": "weekly", "place": f"Room {mark}"})
    [upload] = made("/files", data={"files": (io.BytesIO(PNG), f"dot{mark}.png")},
                    content_type="multipart/form-data")
    document = made("/documents", json={"title": f"Brief {mark}", "body": f"Text {mark}"})
    folder = made("/folders", json={"name": f"Folder {mark}"})
    # Saved from the project, shared with its team only (projects.access.sees_template).
    template = made("/templates", json={"name": f"Template {mark}", "lists": True,
                                        "message_ids": [message["id"]]})
    invitation, token = invite(project, f"guest{mark.lower()}@example.org", Role.CLIENT,
                               by=owner)
    db.session.commit()
    membership = db.session.scalars(db.select(Membership).filter_by(
        project_id=project.id, user_id=member.id)).one()
    return {
        "project_id": project.id, "message_id": message["id"], "comment_id": comment["id"],
        "list_id": todo_list["id"], "todo_id": todo["id"], "milestone_id": milestone["id"],
        "file_id": upload["id"], "document_id": document["id"], "folder_id": folder["id"],
        "item_id": db.session.get(Message, message["id"]).item_id,  # its `items` row
        "event_id": event["id"], "key": "20310113T090000Z",
        "number": 1, "membership_id": membership.id,
        "invitation_id": invitation.id, "user_id": member.id, "token": token,
        "token_id": owner_token_id(owner), "filename": "style.css",
        "template_id": template["id"],
    }


def signed_in(app: Flask, world: World, name: str) -> Client:
    """A browser signed in as the world's person `name`."""
    return signed_in_client(app, world.people[name])


def owner_token_id(owner: User) -> int:
    from workspace.api.models import ApiToken

    return db.session.scalars(db.select(ApiToken.id).filter_by(user_id=owner.id)).one()


def path_of(rule: Rule, values: dict[str, object]) -> str:
    """The rule's path with every placeholder filled (the first choice of an `any`)."""

    def value(match: re.Match[str]) -> str:
        converter, arguments, name = match.groups()
        if converter == "any":
            return arguments.split(",")[0].strip()
        return str(values[name])

    return PLACEHOLDER.sub(value, rule.rule)


def routes(app: Flask) -> list[tuple[Rule, str]]:
    """Every (rule, method) the app answers, but the automatic HEAD and OPTIONS; those that
    end things (deleting, archiving, removing someone…) last, so that the others meet the
    world whole."""
    return sorted(((rule, method) for rule in app.url_map.iter_rules()
                   for method in sorted(rule.methods - {"HEAD", "OPTIONS"})),
                  key=lambda pair: (ends_things(*pair), pair[0].rule, pair[1]))


def ends_things(rule: Rule, method: str) -> bool:
    return method != "GET" and bool(ENDING.search(rule.rule))


def is_api(rule: Rule) -> bool:
    return rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi"


# A body that gets past validation wherever it is read, so that a refusal comes from access.
PLAUSIBLE = {"title": "Walk", "body": "Walk", "name": "Walk", "text": "Walk", "notes": "Walk",
             "description": "Walk", "email": "walker@example.org", "role": "member",
             "due_on": "2031-01-01", "position": 0, "list_id": 1}


def send(client: Client, rule: Rule, method: str, path: str, secret: str | None,
         **extra: object):  # type: ignore[no-untyped-def]
    """A request as a browser (forms, cookie) or as a script (JSON, Bearer token) would."""
    if is_api(rule):
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        if method in {"GET", "DELETE"}:
            return client.open(path, method=method, headers=headers, **extra)
        extra.setdefault("json", PLAUSIBLE)
        return client.open(path, method=method, headers=headers, **extra)
    if method == "GET":
        return client.get(path, **extra)
    extra.setdefault("data", dict(PLAUSIBLE))
    return client.open(path, method=method, **extra) if method != "POST" else client.post(
        path, **extra)
