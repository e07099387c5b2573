"""The OpenAPI 3.1 description of /api/v1, kept next to the routes it describes."""

from __future__ import annotations

from functools import cache

ERROR = {"$ref": "#/components/responses/Error"}
PAGE_PARAMETERS = [
    {"name": "cursor", "in": "query", "schema": {"type": "string"},
     "description": "From the previous page's Link header."},
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                 "maximum": 200, "default": 50}},
]
SINCE = {"name": "since", "in": "query", "schema": {"type": "string", "pattern": "^[0-9]+$"},
         "description": "Only events newer than this event id."}
PROJECT_ID = {"name": "project_id", "in": "path", "required": True,
              "schema": {"type": "integer"}}
MESSAGE_ID = {"name": "message_id", "in": "path", "required": True,
              "schema": {"type": "integer"}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def ok(schema: dict, listing: bool = False) -> dict:
    body = {"type": "array", "items": schema} if listing else schema
    response = {"description": "OK", "content": {"application/json": {"schema": body}}}
    if listing:
        response["headers"] = {"Link": {"schema": {"type": "string"},
                                        "description": 'The next page, rel="next".'}}
    return response


def operation(summary: str, schema: dict, *, listing: bool = False,
              parameters: list | None = None) -> dict:
    return {"get": {
        "summary": summary, "parameters": (parameters or []) + (PAGE_PARAMETERS if listing else []),
        "responses": {"200": ok(schema, listing), "400": ERROR, "401": ERROR, "404": ERROR,
                      "429": ERROR},
    }}


def write(summary: str, response: dict, body: dict | None = None, *, status: str = "201",
          parameters: list | None = None) -> dict:
    operation_ = {
        "summary": summary, "parameters": parameters or [],
        "responses": {status: {**ok(response), "description": "Done"}, "400": ERROR,
                      "401": ERROR, "403": ERROR, "404": ERROR, "409": ERROR, "422": ERROR,
                      "429": ERROR},
    }
    if body is not None:
        operation_["requestBody"] = {"required": True,
                                     "content": {"application/json": {"schema": body}}}
    return {"post": operation_}


def both(*operations: dict) -> dict:
    merged: dict = {}
    for item in operations:
        merged.update(item)
    return merged


def id_parameter(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def body(required: list[str], **properties: dict) -> dict:
    return {"type": "object", "required": required, "properties": properties}


TEXT, FLAG, ID = {"type": "string"}, {"type": "boolean"}, {"type": ["integer", "null"]}
DATE = {"type": "string", "format": "date"}
LIST_ID, TODO_ID = id_parameter("list_id"), id_parameter("todo_id")
MILESTONE_ID = id_parameter("milestone_id")

NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
PERSON = {"type": ["object", "null"], "properties": {"id": {"type": "integer"},
                                                     "name": {"type": "string"}}}
SCHEMAS = {
    "Me": {"type": "object", "required": ["id", "name", "email", "feeds"], "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"},
        "locale": {"type": ["string", "null"]}, "timezone": {"type": "string"},
        "is_admin": {"type": "boolean"},
        "feeds": {"type": "object", "properties": {"atom": {"type": "string"},
                                                   "rss": {"type": "string"},
                                                   "calendar": {"type": "string"}}}}},
    "Project": {"type": "object", "required": ["id", "name", "archived"], "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"},
        "description": {"type": "string"}, "archived": {"type": "boolean"},
        "archived_at": NULLABLE_TIME, "created_at": {"type": "string", "format": "date-time"},
        "role": {"type": ["string", "null"], "enum": ["owner", "member", "client", None]},
        "app_url": {"type": "string"}}},
    "Event": {"type": "object", "required": ["id", "action", "summary", "created_at"],
              "properties": {
        "id": {"type": "integer"}, "project_id": {"type": "integer"},
        "action": {"type": "string"},
        "target": {"type": "object", "properties": {"type": {"type": "string"},
                                                    "id": {"type": "integer"}}},
        "subject": {"type": "object", "properties": {"type": {"type": "string"},
                                                     "id": {"type": "integer"}}},
        "summary": {"type": "string"}, "private": {"type": "boolean"}, "creator": PERSON,
        "created_at": {"type": "string", "format": "date-time"},
        "app_url": {"type": "string"}}},
    "Message": {"type": "object", "required": ["id", "title", "body"], "properties": {
        "id": {"type": "integer"}, "project_id": {"type": "integer"},
        "title": {"type": "string"}, "body": {"type": "string"},
        "body_html": {"type": "string"}, "private": {"type": "boolean"}, "author": PERSON,
        "comments_count": {"type": "integer"},
        "created_at": {"type": "string", "format": "date-time"}, "edited_at": NULLABLE_TIME}},
    "Comment": {"type": "object", "required": ["id", "body"], "properties": {
        "id": {"type": "integer"}, "body": {"type": "string"}, "body_html": {"type": "string"},
        "author": PERSON, "created_at": {"type": "string", "format": "date-time"},
        "edited_at": NULLABLE_TIME}},
    "Person": {"type": "object", "required": ["id", "name", "role"], "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"},
        "role": {"type": "string", "enum": ["owner", "member", "client"]}}},
    "TodoList": {"type": "object", "required": ["id", "name"], "properties": {
        "id": {"type": "integer"}, "project_id": {"type": "integer"},
        "name": {"type": "string"}, "description": {"type": "string"},
        "milestone_id": {"type": ["integer", "null"]}, "private": {"type": "boolean"},
        "position": {"type": "integer"}, "clients_can_complete": {"type": "boolean"}}},
    "Todo": {"type": "object", "required": ["id", "text", "completed"], "properties": {
        "id": {"type": "integer"}, "list_id": {"type": "integer"}, "text": {"type": "string"},
        "notes": {"type": "string"}, "assignee_id": {"type": ["integer", "null"]},
        "due_on": {"type": ["string", "null"]}, "position": {"type": "integer"},
        "completed": {"type": "boolean"}, "completed_at": NULLABLE_TIME,
        "completed_by_id": {"type": ["integer", "null"]}}},
    "Milestone": {"type": "object", "required": ["id", "title", "due_on"], "properties": {
        "id": {"type": "integer"}, "project_id": {"type": "integer"},
        "title": {"type": "string"}, "due_on": {"type": "string", "format": "date"},
        "responsible_id": {"type": ["integer", "null"]}, "notes": {"type": "string"},
        "completed": {"type": "boolean"}, "completed_at": NULLABLE_TIME}},
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}},
}


@cache
def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Workspace API", "version": "1",
                 "description": "Every call acts as the token's owner and sees what they see."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"token": []}],
        "paths": {
            "/me": operation("The token's owner, with their feed URLs", ref("Me")),
            "/projects": operation("Projects I can see", ref("Project"), listing=True),
            "/projects/{project_id}": operation("One project", ref("Project"),
                                                parameters=[PROJECT_ID]),
            "/projects/{project_id}/events": operation(
                "The project's activity stream, newest first", ref("Event"), listing=True,
                parameters=[PROJECT_ID, SINCE]),
            "/events": operation("Activity across my projects, newest first", ref("Event"),
                                 listing=True, parameters=[SINCE]),
            "/projects/{project_id}/people": operation(
                "People of the project and their roles", {"type": "array",
                                                          "items": ref("Person")},
                parameters=[PROJECT_ID]),
            "/projects/{project_id}/messages": both(
                operation("Messages of the project, newest first", ref("Message"),
                          listing=True, parameters=[PROJECT_ID]),
                write("Post a message", ref("Message"), body(
                    ["title", "body"], title=TEXT, body=TEXT, private=FLAG,
                    notify={"type": "array", "items": {"type": "integer"}}),
                    parameters=[PROJECT_ID])),
            "/projects/{project_id}/messages/{message_id}": operation(
                "One message", ref("Message"), parameters=[PROJECT_ID, MESSAGE_ID]),
            "/projects/{project_id}/messages/{message_id}/comments": both(
                operation("Comments on the message, oldest first",
                          {"type": "array", "items": ref("Comment")},
                          parameters=[PROJECT_ID, MESSAGE_ID]),
                write("Comment on the message", ref("Comment"), body(["body"], body=TEXT),
                      parameters=[PROJECT_ID, MESSAGE_ID])),
            "/projects/{project_id}/todolists": both(
                operation("To-do lists", ref("TodoList"), listing=True,
                          parameters=[PROJECT_ID]),
                write("Create a to-do list", ref("TodoList"), body(
                    ["name"], name=TEXT, description=TEXT, milestone_id=ID, private=FLAG,
                    clients_can_complete=FLAG), parameters=[PROJECT_ID])),
            "/projects/{project_id}/todolists/{list_id}/todos": both(
                operation("To-dos of a list", ref("Todo"), listing=True,
                          parameters=[PROJECT_ID, LIST_ID]),
                write("Add a to-do", ref("Todo"), body(
                    ["text"], text=TEXT, notes=TEXT, assignee_id=ID, due_on=DATE),
                    parameters=[PROJECT_ID, LIST_ID])),
            "/projects/{project_id}/todos/{todo_id}/complete": write(
                "Check a to-do off", ref("Todo"), status="200",
                parameters=[PROJECT_ID, TODO_ID]),
            "/projects/{project_id}/todos/{todo_id}/reopen": write(
                "Reopen a to-do", ref("Todo"), status="200", parameters=[PROJECT_ID, TODO_ID]),
            "/projects/{project_id}/milestones": both(
                operation("Milestones", ref("Milestone"), listing=True,
                          parameters=[PROJECT_ID]),
                write("Add a milestone", ref("Milestone"), body(
                    ["title", "due_on"], title=TEXT, due_on=DATE, responsible_id=ID,
                    notes=TEXT), parameters=[PROJECT_ID])),
            "/projects/{project_id}/milestones/{milestone_id}/complete": write(
                "Mark a milestone completed", ref("Milestone"), status="200",
                parameters=[PROJECT_ID, MILESTONE_ID]),
        },
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
            "responses": {"Error": {"description": "An error", "content": {
                "application/json": {"schema": ref("Error")}}}},
        },
    }
