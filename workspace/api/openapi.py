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


def ok(schema: dict, listing: bool = False, description: str = "OK") -> dict:
    body = {"type": "array", "items": schema} if listing else schema
    response = {"description": description, "content": {"application/json": {"schema": body}}}
    if listing:
        response["headers"] = {"Link": {"schema": {"type": "string"},
                                        "description": 'The next page, rel="next".'}}
    return response


READ_ERRORS = {status: ERROR for status in ("400", "401", "404", "429")}
WRITE_ERRORS = {status: ERROR for status in ("400", "401", "403", "404", "409", "413", "422",
                                             "429")}


def get(summary: str, schema: dict, *, listing: bool = False,
        parameters: list | None = None) -> dict:
    return {"get": {
        "summary": summary, "parameters": (parameters or []) + (PAGE_PARAMETERS if listing else []),
        "responses": {"200": ok(schema, listing), **READ_ERRORS},
    }}


def polled(operation_: dict) -> dict:
    """A GET with validators (ETag, Last-Modified): a conditional request may get a 304."""
    operation_["get"]["responses"]["304"] = {"description": "Not modified"}
    return operation_


def change(method: str, summary: str, responses: dict, body: dict | None = None, *,
           parameters: list | None = None, media: str = "application/json") -> dict:
    operation_ = {"summary": summary, "parameters": parameters or [],
                  "responses": {**responses, **WRITE_ERRORS}}
    if body is not None:
        operation_["requestBody"] = {"required": True, "content": {media: {"schema": body}}}
    return {method: operation_}


def write(summary: str, response: dict, body: dict | None = None, *, status: str = "201",
          parameters: list | None = None) -> dict:
    """A POST that answers with the item it made or changed."""
    return change("post", summary, {status: ok(response, description="Done")}, body,
                  parameters=parameters)


def patch(summary: str, response: dict, body: dict, *, parameters: list) -> dict:
    """A PATCH: send only the fields that change."""
    return change("patch", summary, {"200": ok(response, description="Saved")}, body,
                  parameters=parameters)


def upload(summary: str, response: dict, body: dict, *, parameters: list) -> dict:
    operation_ = change("post", summary, {"201": ok(response, description="Uploaded")}, body,
                        parameters=parameters, media="multipart/form-data")
    operation_["post"]["responses"]["413"] = ERROR
    operation_["post"]["responses"]["507"] = ERROR  # the server's disk is full
    return operation_


def admins_only(path: dict) -> dict:
    """A read that answers 403 to anyone but a site administrator."""
    for operation_ in path.values():
        operation_["responses"]["403"] = ERROR
    return path


def both(*operations: dict) -> dict:
    merged: dict = {}
    for item in operations:
        merged.update(item)
    return merged


def id_parameter(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def body(required: list[str], **properties: dict) -> dict:
    """A request body: these fields and no other (an unknown one is a 422 naming it)."""
    return {"type": "object", "required": required, "properties": properties,
            "additionalProperties": False}


TEXT, ID = {"type": "string"}, {"type": ["integer", "null"]}
FLAG = {"type": "boolean", "description": 'true or false; never 0, "0", "no" or "true".'}
FORM_FLAG = {"type": "boolean", "description": '"true" or "false" in a multipart form.'}
DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
POSITION = {"type": "integer", "minimum": 0, "description": "0 is first."}
ROLE = {"type": "string", "enum": ["owner", "member", "client"]}
LIST_ID, TODO_ID = id_parameter("list_id"), id_parameter("todo_id")
MILESTONE_ID, FILE_ID = id_parameter("milestone_id"), id_parameter("file_id")
USER_ID, NUMBER = id_parameter("user_id"), id_parameter("number")
DOCUMENT_ID, FOLDER_ID = id_parameter("document_id"), id_parameter("folder_id")
BINARY = {"type": "string", "format": "binary"}
CONTENT = {"description": "The file's content", "content": {"*/*": {"schema": BINARY}}}

NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
PERSON = {"type": ["object", "null"], "properties": {"id": {"type": "integer"},
                                                     "name": {"type": "string"}}}
# In the answer to a write of a text that may @mention people (not when reading it back).
MENTIONS = {"type": "object", "description": "What the text's @mentions did (only in the "
            "answer to a write): the people linked and the mentions that notify nobody.",
            "properties": {
    "linked": {"type": "array", "items": PERSON, "description": "People who may see the "
               "item: linked, following it, and told unless an earlier version mentioned "
               "them."},
    "refused": {"type": "array", "items": {"type": "string"},
                "description": "People mentioned who may not see the item."},
    "unknown": {"type": "array", "items": {"type": "string"},
                "description": "Names nobody in the project has."},
    "yourself": {"type": "boolean"}, "capped": {"type": "integer"},
    "notices": {"type": "array", "items": {"type": "string"},
                "description": "The same, said in the person's language."}}}
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
        "summary": {"type": "string"}, "excerpt": {"type": "string"},
        "private": {"type": "boolean"}, "creator": PERSON,
        "created_at": {"type": "string", "format": "date-time"},
        "app_url": {"type": "string"}}},
    "Message": {"type": "object", "required": ["id", "title", "body"], "properties": {
        "id": {"type": "integer"}, "project_id": {"type": "integer"},
        "title": {"type": "string"}, "body": {"type": "string"},
        "body_html": {"type": "string"}, "private": {"type": "boolean"}, "author": PERSON,
        "comments_count": {"type": "integer"},
        "created_at": {"type": "string", "format": "date-time"}, "edited_at": NULLABLE_TIME,
        "mentions": MENTIONS}},
    "Comment": {"type": "object", "required": ["id", "body"], "properties": {
        "id": {"type": "integer"}, "body": {"type": "string"}, "body_html": {"type": "string"},
        "author": PERSON, "created_at": {"type": "string", "format": "date-time"},
        "edited_at": NULLABLE_TIME, "mentions": MENTIONS}},
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
        "repeat": {"type": ["string", "null"]}, "remind": {"type": ["string", "null"]},
        "completed": {"type": "boolean"}, "completed_at": NULLABLE_TIME,
        "completed_by_id": {"type": ["integer", "null"]}, "mentions": MENTIONS}},
    "Milestone": {"type": "object", "required": ["id", "title", "due_on"], "properties": {
        "id": {"type": "integer"}, "project_id": {"type": "integer"},
        "title": {"type": "string"}, "due_on": {"type": "string", "format": "date"},
        "responsible_id": {"type": ["integer", "null"]}, "notes": {"type": "string"},
        "completed": {"type": "boolean"}, "completed_at": NULLABLE_TIME}},
    "CalendarEvent": {"type": "object", "required": ["id", "title", "starts_at", "ends_at"],
                      "properties": {
        "id": {"type": "integer"}, "project_id": {"type": "integer"},
        "title": {"type": "string"}, "place": {"type": "string"}, "notes": {"type": "string"},
        "private": {"type": "boolean"}, "all_day": {"type": "boolean"},
        "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {"type": "string", "format": "date-time"}, "timezone": {"type": "string"},
        "rule": {"type": ["string", "null"], "description": "RFC 5545 RRULE value"},
        "attendee_ids": {"type": "array", "items": {"type": "integer"}},
        "remind": {"type": ["string", "null"]},
        "exceptions": {"type": "array", "items": {"type": "object", "properties": {
            "original_start": {"type": "string", "format": "date-time"},
            "cancelled": {"type": "boolean"},
            "starts_at": {"type": "string", "format": "date-time"},
            "ends_at": {"type": "string", "format": "date-time"},
            "title": {"type": "string"}, "place": {"type": "string"},
            "notes": {"type": ["string", "null"],
                      "description": "This date's own notes; null: the event's"}}}},
        "created_at": {"type": "string", "format": "date-time"}, "edited_at": NULLABLE_TIME}},
    "Occurrence": {"type": "object", "required": ["event_id", "starts_at", "ends_at"],
                   "properties": {
        "event_id": {"type": "integer"},
        "original_start": {"type": "string", "format": "date-time"},
        "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {"type": "string", "format": "date-time"}, "title": {"type": "string"},
        "place": {"type": "string"}, "notes": {"type": "string"},
        "all_day": {"type": "boolean"}, "changed": {"type": "boolean"}}},
    "File": {"type": "object", "required": ["id", "name", "size"], "properties": {
        "id": {"type": "integer"}, "project_id": {"type": "integer"},
        "name": {"type": "string"}, "description": {"type": "string"},
        "private": {"type": "boolean"}, "size": {"type": "integer"},
        "content_type": {"type": "string"}, "kind": {"type": "string"},
        "versions": {"type": "integer"}, "author": PERSON,
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "download_url": {"type": "string"}, "folder_id": ID}},
    "Version": {"type": "object", "required": ["number", "size", "sha256"], "properties": {
        "number": {"type": "integer"}, "original_name": {"type": "string"},
        "size": {"type": "integer"}, "content_type": {"type": "string"},
        "sha256": {"type": "string"}, "uploader": PERSON,
        "created_at": {"type": "string", "format": "date-time"},
        "download_url": {"type": "string"}}},
    "Document": {"type": "object", "required": ["id", "title", "body", "version"],
                 "properties": {
        "id": {"type": "integer"}, "project_id": {"type": "integer"},
        "title": {"type": "string"}, "body": {"type": "string"},
        "body_html": {"type": "string"}, "private": {"type": "boolean"},
        "version": {"type": "integer", "description": "The latest version's number."},
        "author": PERSON, "last_editor": PERSON, "comments_count": {"type": "integer"},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"}, "folder_id": ID,
        "mentions": MENTIONS}},
    "Folder": {"type": "object", "required": ["id", "name", "private"], "properties": {
        "id": {"type": "integer"}, "project_id": {"type": "integer"}, "parent_id": ID,
        "name": {"type": "string"}, "description": {"type": "string"},
        "private": {"type": "boolean", "description": "Its own mark, or its parent's."},
        "marked_private": {"type": "boolean"}, "author": PERSON,
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"}}},
    "FolderContents": {"type": "object", "required": ["total", "entries"], "properties": {
        "total": {"type": "integer"},
        "entries": {"type": "array", "items": {"type": "object", "properties": {
            "type": {"type": "string", "enum": ["folder", "document", "file"]},
            "id": {"type": "integer"}, "name": {"type": "string"},
            "private": {"type": "boolean"},
            "updated_at": {"type": "string", "format": "date-time"},
            "app_url": {"type": "string"}}}}}},
    "DocumentVersion": {"type": "object", "required": ["number", "note", "size"],
                        "properties": {
        "number": {"type": "integer"}, "note": {"type": "string"}, "size": {"type": "integer"},
        "author": PERSON, "created_at": {"type": "string", "format": "date-time"},
        "title": {"type": "string", "description": "Only for one version."},
        "body": {"type": "string", "description": "Only for one version."}}},
    "Diff": {"type": "object", "required": ["from", "to", "blocks"], "properties": {
        "from": {"type": "integer"}, "to": {"type": "integer"},
        "added_words": {"type": "integer"}, "removed_words": {"type": "integer"},
        "truncated": {"type": "boolean", "description": "The changes go on beyond the "
                                                         "blocks given (about 100,000 "
                                                         "characters)."},
        "title": {"type": "object", "properties": {"from": {"type": "string"},
                                                   "to": {"type": "string"}}},
        "blocks": {"type": "array", "items": {"type": "object", "properties": {
            "changed": {"type": "boolean"},
            "skipped_lines": {"type": "integer",
                              "description": "Unchanged lines left out between the two "
                                             "segments of an unchanged block."},
            "segments": {"type": "array", "items": {"type": "object", "properties": {
                "op": {"type": "string", "enum": ["equal", "delete", "insert"]},
                "text": {"type": "string"}}}}}}}}},
    "Account": {"type": "object", "required": ["id", "name", "email", "is_admin", "active"],
                "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"},
        "is_admin": {"type": "boolean"}, "active": {"type": "boolean"},
        "deactivated_at": NULLABLE_TIME, "last_signed_in_on": NULLABLE_DATE,
        "projects": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}, "role": ROLE}}}}},
    "Invited": {"type": "object", "required": ["invited"], "properties": {"invited": {
        "type": "object", "properties": {
            "email": {"type": "string"}, "role": {"type": "string"},
            "expires_at": {"type": "string", "format": "date-time"}}}}},
    "Template": {"type": "object", "required": ["id", "kind", "name"], "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["project", "todolist"]},
        "name": {"type": "string"}, "description": {"type": "string"},
        "todo_count": {"type": "integer"}, "source_project_id": {"type": ["integer", "null"]},
        "created_by": PERSON, "created_at": {"type": "string", "format": "date-time"},
        "app_url": {"type": "string"}}},
    "TemplateFile": {"type": "object", "required": ["workspace_template", "kind", "name"],
                     "description": "A template file, version 1 (docs/templates.md).",
                     "properties": {
        "workspace_template": {"type": "integer", "enum": [1]},
        "kind": {"type": "string", "enum": ["project", "todolist"]},
        "name": {"type": "string"}, "description": {"type": "string"},
        "settings": {"type": ["object", "null"]},
        **{part: {"type": "array", "items": {"type": "object"}}
           for part in ("roles", "milestones", "lists", "folders", "documents", "messages")}}},
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}},
}


PROJECT = [PROJECT_ID]
TEMPLATE_ID = id_parameter("template_id")
ANCHOR_DATE = {"type": "string", "format": "date",
               "description": "Where the template's first day falls (its last with "
                              "anchor=end)."}
PEOPLE = {"type": "object", "additionalProperties": {"type": ["integer", "null"]},
          "description": "Each role key of the template with a person's id, or null."}
DATES_FIELDS = {"anchor_date": ANCHOR_DATE, "skip_weekends": FLAG, "people": PEOPLE}
ROLE_LABELS = {"type": "object", "additionalProperties": {"type": "string", "maxLength": 120},
               "description": 'With people kept: what each person\'s role is called, by the '
                              'id of a person of the project ({"12": "Designer"}); the others '
                              "are named after themselves."}
KEEP_FIELDS = {"name": TEXT, "description": TEXT, "people": FLAG, "completed": FLAG,
               "comments": FLAG, "role_labels": ROLE_LABELS}
TEMPLATE_PATHS = {
    "/templates": both(
        get("The templates you see", ref("Template"), listing=True),
        write("Import a template file (the body is the file; at most 10 MB)", ref("Template"),
              {**SCHEMAS["TemplateFile"], "additionalProperties": False})),
    "/templates/{template_id}": both(
        get("One template", ref("Template"), parameters=[TEMPLATE_ID]),
        change("delete", "Delete a template (the person who saved it, or an administrator)",
               {"204": {"description": "Deleted"}}, parameters=[TEMPLATE_ID])),
    "/templates/{template_id}/export": get(
        "The template file, for another installation", ref("TemplateFile"),
        parameters=[TEMPLATE_ID]),
    "/templates/{template_id}/projects": write(
        "Create a project from a project template", ref("Project"),
        body(["name", "anchor_date"], name=TEXT, description=TEXT,
             anchor={"type": "string", "enum": ["start", "end"]}, **DATES_FIELDS),
        parameters=[TEMPLATE_ID]),
    "/projects/{project_id}/templates": write(
        "Save the project as a template (owners); each part kept only when true",
        ref("Template"), body(["name"], **KEEP_FIELDS, lists=FLAG, milestones=FLAG,
                              documents=FLAG, private=FLAG, settings=FLAG,
                              message_ids={"type": "array", "items": {"type": "integer"}}),
        parameters=PROJECT),
    "/projects/{project_id}/todolists/{list_id}/template": write(
        "Save a to-do list as a template (owners)", ref("Template"),
        body(["name"], **KEEP_FIELDS), parameters=[PROJECT_ID, LIST_ID]),
    "/projects/{project_id}/templates/{template_id}/todolists": write(
        "Add a to-do list template to the project", ref("TodoList"),
        body(["anchor_date"], **DATES_FIELDS),
        parameters=[PROJECT_ID, TEMPLATE_ID]),
}
PROJECT_FIELDS = {"name": TEXT, "description": TEXT}
MESSAGE_FIELDS = {"title": TEXT, "body": TEXT, "private": FLAG}
LIST_FIELDS = {"name": TEXT, "description": TEXT, "milestone_id": ID, "private": FLAG,
               "clients_can_complete": FLAG}
TODO_REPEATS = ["", "FREQ=DAILY", "FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2", "FREQ=MONTHLY",
                "FREQ=YEARLY"]
REMIND = {"type": "string", "enum": ["", "none", "0m", "15m", "1h", "0d", "1d", "2d", "7d"],
          "description": "When to remind: minutes or hours before a timed event, days before "
                         "(at 09:00 the person's time) a dated item; empty: the person's "
                         "default."}
TODO_FIELDS = {"text": TEXT, "notes": TEXT, "assignee_id": ID, "due_on": NULLABLE_DATE,
               "remind": REMIND,
               "repeat": {"type": "string", "enum": TODO_REPEATS, "description":
                          "Repeat every …: checking it off adds the next one (needs due_on)."}}
MILESTONE_FIELDS = {"title": TEXT, "due_on": DATE, "responsible_id": ID, "notes": TEXT}
EVENT_FIELDS = {
    "title": TEXT, "place": TEXT, "notes": TEXT, "private": FLAG, "all_day": FLAG,
    "starts_on": DATE, "starts_time": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"},
    "ends_on": NULLABLE_DATE,
    "ends_time": {"type": ["string", "null"], "pattern": "^[0-9]{2}:[0-9]{2}$"},
    "timezone": {"type": "string", "description": "An IANA name, such as Europe/Paris."},
    "repeat": {"type": "string", "enum": ["", "daily", "weekly", "monthly", "yearly"]},
    "interval": {"type": "integer", "minimum": 1, "maximum": 99},
    "weekdays": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 6}},
    "monthly_by": {"type": "string", "enum": ["date", "weekday"]},
    "ends": {"type": "string", "enum": ["never", "until", "count"]},
    "until": NULLABLE_DATE, "count": {"type": ["integer", "null"], "minimum": 1},
    "rule": {"type": "string", "description": "Any RRULE value instead of the choices above; "
             "more than 1,000 dates a year is refused."},
    "attendee_ids": {"type": "array", "items": {"type": "integer"}},
    "remind": REMIND,
}
EVENT_ID = id_parameter("event_id")
OCCURRENCE_KEY = {"name": "key", "in": "path", "required": True,
                  "schema": {"type": "string", "pattern": "^[0-9]{8}T[0-9]{6}Z$"},
                  "description": "The date's original start in UTC, as 20270104T080000Z."}
OCCURRENCE_SCOPE = {"name": "scope", "in": "query",
                    "schema": {"type": "string", "enum": ["this", "following"],
                               "default": "this"},
                    "description": "This date only, or this date and the following ones."}
DAY_QUERY = [{"name": name, "in": "query", "schema": {"type": "string", "format": "date"}}
             for name in ("from", "to")]
PEOPLE = {"type": "array", "items": ref("Person")}
DOCUMENT_FIELDS = {"title": TEXT, "body": TEXT, "private": FLAG,
                   "note": {"type": "string", "description": "What changed, in a few words."}}
DOCUMENT = [PROJECT_ID, DOCUMENT_ID]
FOLDER = [PROJECT_ID, FOLDER_ID]
FOLDER_FIELDS = {"name": TEXT, "description": TEXT, "private": FLAG}
INTO = {"type": ["integer", "null"], "description": "A folder's id; null: the top."}

FOLLOWERS = {"type": "array", "items": PERSON}


def followers_paths() -> dict[str, dict]:
    """The followers of each kind that takes comments."""
    from workspace.api.followers import FOLLOWED

    paths = {}
    for path, argument in FOLLOWED.values():
        parameters = [PROJECT_ID, id_parameter(argument)]
        done = {"200": ok(FOLLOWERS, description="Done")}
        paths[f"/projects/{{project_id}}/{path}/{{{argument}}}/followers"] = both(
            get("The people following the item (they hear of its comments)", FOLLOWERS,
                parameters=parameters),
            change("post", "Follow the item yourself", done, parameters=parameters),
            change("delete", "Stop following the item yourself", done, parameters=parameters))
    return paths


HOUR = {"type": ["integer", "null"], "minimum": 0, "maximum": 24}
DELIVERY_FIELDS = {
    "schedule": {"type": "string", "enum": ["at_once", "hourly", "daily"]},
    "recap_hour": {"type": "integer", "minimum": 0, "maximum": 23},
    "timezone": {"type": "string", "description": "An IANA name, such as Europe/Paris."},
    "work_days": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 7},
                  "description": "ISO weekdays (1 is Monday); empty: every day."},
    "work_start": HOUR, "work_end": HOUR,
    "snoozed_until": {"type": ["string", "null"],
                      "description": "A local time, YYYY-MM-DDTHH:MM, in the timezone."},
}
DELIVERY = {"type": "object", "required": list(DELIVERY_FIELDS),
            "properties": DELIVERY_FIELDS}
PATHS = {
    "/me": get("The token's owner, with their feed URLs", ref("Me")),
    "/me/delivery": both(
        get("When the token owner's notification emails leave", DELIVERY),
        patch("Change the delivery schedule (send only what changes)", DELIVERY,
              body([], **DELIVERY_FIELDS), parameters=[])),
    "/events": polled(get("Activity across my projects, newest first (answers If-None-Match "
                          "with 304 when nothing is new)", ref("Event"), listing=True,
                          parameters=[SINCE])),
    "/people": admins_only(get(
        "Every account, newest first (site administrators only)", ref("Account"), listing=True,
        parameters=[{"name": "q", "in": "query", "schema": {"type": "string"},
                     "description": "Only accounts whose name or email has this."}])),
    "/projects": both(
        get("Projects I can see", ref("Project"), listing=True),
        write("Create a project; I am its owner", ref("Project"),
              body(["name"], **PROJECT_FIELDS))),
    "/projects/{project_id}": both(
        get("One project", ref("Project"), parameters=PROJECT),
        patch("Rename or describe a project (owners)", ref("Project"),
              body([], **PROJECT_FIELDS), parameters=PROJECT)),
    "/projects/{project_id}/archive": write(
        "Archive a project: it becomes read-only (owners)", ref("Project"), status="200",
        parameters=PROJECT),
    "/projects/{project_id}/unarchive": write(
        "Bring an archived project back (owners)", ref("Project"), status="200",
        parameters=PROJECT),
    "/projects/{project_id}/events": get(
        "The project's activity stream, newest first", ref("Event"), listing=True,
        parameters=[PROJECT_ID, SINCE]),
    "/projects/{project_id}/people": both(
        get("People of the project and their roles", PEOPLE, parameters=PROJECT),
        change("post", "Add someone by email (owners): at once if they have an account, "
                       "else by an emailed invitation",
               {"201": ok(ref("Person"), description="Added"),
                "202": ok(ref("Invited"), description="Invited")},
               body(["email", "role"], email=TEXT, role=ROLE), parameters=PROJECT)),
    "/projects/{project_id}/people/{user_id}": both(
        patch("Change someone's role (owners)", ref("Person"), body(["role"], role=ROLE),
              parameters=[PROJECT_ID, USER_ID]),
        change("delete", "Remove someone from the project (owners)",
               {"204": {"description": "Removed"}}, parameters=[PROJECT_ID, USER_ID])),
    "/projects/{project_id}/messages": both(
        get("Messages of the project, newest first", ref("Message"), listing=True,
            parameters=PROJECT),
        write("Post a message", ref("Message"), body(
            ["title", "body"], **MESSAGE_FIELDS,
            notify={"type": "array", "items": {"type": "integer"}}), parameters=PROJECT)),
    "/projects/{project_id}/messages/{message_id}": both(
        get("One message", ref("Message"), parameters=[PROJECT_ID, MESSAGE_ID]),
        patch("Edit a message (its author, or an owner)", ref("Message"),
              body([], **MESSAGE_FIELDS), parameters=[PROJECT_ID, MESSAGE_ID])),
    "/projects/{project_id}/messages/{message_id}/comments": both(
        get("Comments on the message, oldest first", {"type": "array", "items": ref("Comment")},
            parameters=[PROJECT_ID, MESSAGE_ID]),
        write("Comment on the message", ref("Comment"), body(["body"], body=TEXT),
              parameters=[PROJECT_ID, MESSAGE_ID])),
    "/projects/{project_id}/todolists": both(
        get("To-do lists", ref("TodoList"), listing=True, parameters=PROJECT),
        write("Create a to-do list", ref("TodoList"), body(["name"], **LIST_FIELDS),
              parameters=PROJECT)),
    "/projects/{project_id}/todolists/{list_id}": both(
        get("One to-do list", ref("TodoList"), parameters=[PROJECT_ID, LIST_ID]),
        patch("Change a to-do list", ref("TodoList"), body([], **LIST_FIELDS),
              parameters=[PROJECT_ID, LIST_ID])),
    "/projects/{project_id}/todolists/{list_id}/move": write(
        "Reorder the lists: put this one at `position`", ref("TodoList"),
        body(["position"], position=POSITION), status="200", parameters=[PROJECT_ID, LIST_ID]),
    "/projects/{project_id}/todolists/{list_id}/todos": both(
        get("To-dos of a list", ref("Todo"), listing=True, parameters=[PROJECT_ID, LIST_ID]),
        write("Add a to-do", ref("Todo"), body(["text"], **TODO_FIELDS),
              parameters=[PROJECT_ID, LIST_ID])),
    "/projects/{project_id}/todos/{todo_id}": both(
        get("One to-do", ref("Todo"), parameters=[PROJECT_ID, TODO_ID]),
        patch("Change a to-do", ref("Todo"), body([], **TODO_FIELDS),
              parameters=[PROJECT_ID, TODO_ID])),
    "/projects/{project_id}/todos/{todo_id}/complete": write(
        "Check a to-do off", ref("Todo"), status="200", parameters=[PROJECT_ID, TODO_ID]),
    "/projects/{project_id}/todos/{todo_id}/reopen": write(
        "Reopen a to-do", ref("Todo"), status="200", parameters=[PROJECT_ID, TODO_ID]),
    "/projects/{project_id}/todos/{todo_id}/move": write(
        "Reorder a to-do in its list, or move it to another list (`list_id`), at `position` "
        "among the open to-dos", ref("Todo"),
        body(["position"], position=POSITION, list_id={"type": "integer"}), status="200",
        parameters=[PROJECT_ID, TODO_ID]),
    "/projects/{project_id}/milestones": both(
        get("Milestones", ref("Milestone"), listing=True, parameters=PROJECT),
        write("Add a milestone", ref("Milestone"), body(["title", "due_on"], **MILESTONE_FIELDS),
              parameters=PROJECT)),
    "/projects/{project_id}/milestones/{milestone_id}": both(
        get("One milestone", ref("Milestone"), parameters=[PROJECT_ID, MILESTONE_ID]),
        patch("Change a milestone", ref("Milestone"), body([], **MILESTONE_FIELDS),
              parameters=[PROJECT_ID, MILESTONE_ID])),
    "/projects/{project_id}/milestones/{milestone_id}/complete": write(
        "Mark a milestone completed", ref("Milestone"), status="200",
        parameters=[PROJECT_ID, MILESTONE_ID]),
    "/projects/{project_id}/milestones/{milestone_id}/reopen": write(
        "Reopen a milestone", ref("Milestone"), status="200",
        parameters=[PROJECT_ID, MILESTONE_ID]),
    "/projects/{project_id}/schedule/events": both(
        get("Calendar events, with their rules and exceptions", ref("CalendarEvent"),
            listing=True, parameters=PROJECT),
        write("Add an event", ref("CalendarEvent"),
              body(["title", "starts_on", "timezone"], **EVENT_FIELDS), parameters=PROJECT)),
    "/projects/{project_id}/schedule/events/{event_id}": both(
        get("One event", ref("CalendarEvent"), parameters=[PROJECT_ID, EVENT_ID]),
        patch("Change every date of an event (send what changes; `rule` replaces the "
              "repetition, an empty one ends it)", ref("CalendarEvent"),
              body([], **EVENT_FIELDS), parameters=[PROJECT_ID, EVENT_ID]),
        change("delete", "Delete an event with every date of it",
               {"204": {"description": "Deleted"}}, parameters=[PROJECT_ID, EVENT_ID])),
    "/projects/{project_id}/schedule/events/{event_id}/occurrences/{key}": patch(
        "Move or rename one date of a recurring event (`scope=this`: the answer is the event, "
        "with the date an exception; only the date's own fields: title, place, notes, all_day, "
        "days, times, timezone), or change it and the following ones (`scope=following`: the "
        "series ends before it and the answer is the new event that takes over from it, made of "
        "the event's values from that date with what the body changes, any field of an event)",
        ref("CalendarEvent"), body([], **EVENT_FIELDS),
        parameters=[PROJECT_ID, EVENT_ID, OCCURRENCE_KEY, OCCURRENCE_SCOPE]),
    "/projects/{project_id}/schedule/events/{event_id}/occurrences/{key}/cancel": write(
        "Cancel one date of a recurring event", ref("CalendarEvent"), status="200",
        parameters=[PROJECT_ID, EVENT_ID, OCCURRENCE_KEY]),
    "/projects/{project_id}/schedule/occurrences": get(
        "The dates of the events from `from` to `to` (days, UTC; at most a year), each rule "
        "expanded, exceptions applied", {"type": "array", "items": ref("Occurrence")},
        parameters=[PROJECT_ID, *DAY_QUERY]),
    "/projects/{project_id}/files": both(
        get("Files of the project, newest first", ref("File"), listing=True,
            parameters=PROJECT),
        upload("Upload files (one or more `files` parts)", {"type": "array", "items": ref("File")},
               body(["files"], files={"type": "array", "items": BINARY}, description=TEXT,
                    private=FORM_FLAG), parameters=PROJECT)),
    "/projects/{project_id}/files/{file_id}": get(
        "One file", ref("File"), parameters=[PROJECT_ID, FILE_ID]),
    "/projects/{project_id}/files/{file_id}/download": {"get": {
        "summary": "The latest version's content", "parameters": [PROJECT_ID, FILE_ID],
        "responses": {"200": CONTENT, "304": {"description": "Not modified"}, **READ_ERRORS}}},
    "/projects/{project_id}/files/{file_id}/versions": both(
        get("Versions of a file, newest first", {"type": "array", "items": ref("Version")},
            parameters=[PROJECT_ID, FILE_ID]),
        upload("Upload a new version (a `file` part)", ref("Version"),
               body(["file"], file=BINARY), parameters=[PROJECT_ID, FILE_ID])),
    "/projects/{project_id}/documents": both(
        get("Documents of the project, newest first", ref("Document"), listing=True,
            parameters=PROJECT),
        write("Write a document (its version 1)", ref("Document"),
              body(["title"], **DOCUMENT_FIELDS), parameters=PROJECT)),
    "/projects/{project_id}/documents/{document_id}": both(
        get("One document, its latest version", ref("Document"), parameters=DOCUMENT),
        patch("Save a new version, edited from `base_version`. When someone saved a newer "
              "one meanwhile, nothing is saved: 409 with code `outdated`, the "
              "`latest_version` and, when the two edits do not overlap, a `merged` text",
              ref("Document"), body(["base_version"], **DOCUMENT_FIELDS,
                                    base_version={"type": "integer"}),
              parameters=DOCUMENT)),
    "/projects/{project_id}/documents/{document_id}/versions": get(
        "Versions of a document, newest first (without their texts)",
        ref("DocumentVersion"), listing=True, parameters=DOCUMENT),
    "/projects/{project_id}/documents/{document_id}/versions/{number}": get(
        "One version, with its title and text", ref("DocumentVersion"),
        parameters=[*DOCUMENT, NUMBER]),
    "/projects/{project_id}/documents/{document_id}/versions/{number}/restore": write(
        "Restore a version: its text becomes a new version", ref("Document"), status="200",
        parameters=[*DOCUMENT, NUMBER]),
    "/projects/{project_id}/documents/{document_id}/diff": get(
        "What changed between two versions, word by word", ref("Diff"), parameters=[
            *DOCUMENT,
            {"name": "from", "in": "query", "schema": {"type": "integer", "minimum": 1},
             "description": "Default: the version before `to`."},
            {"name": "to", "in": "query", "schema": {"type": "integer", "minimum": 1},
             "description": "Default: the latest version."}]),
    "/projects/{project_id}/documents/{document_id}/move": write(
        "Move a document into a folder (`folder_id`) or to the top (null)", ref("Document"),
        body(["folder_id"], folder_id=INTO), status="200", parameters=DOCUMENT),
    "/projects/{project_id}/files/{file_id}/move": write(
        "Move a file of its own into a folder (`folder_id`) or to the top (null)", ref("File"),
        body(["folder_id"], folder_id=INTO), status="200", parameters=[PROJECT_ID, FILE_ID]),
    "/projects/{project_id}/folders": both(
        get("Folders of the project, newest first", ref("Folder"), listing=True,
            parameters=PROJECT),
        write("Make a folder, in `parent_id` (null or absent: at the top)", ref("Folder"),
              body(["name"], **FOLDER_FIELDS, parent_id=INTO), parameters=PROJECT)),
    "/projects/{project_id}/folders/{folder_id}": both(
        get("One folder", ref("Folder"), parameters=FOLDER),
        patch("Rename a folder or change its mark (what it holds follows)", ref("Folder"),
              body([], **FOLDER_FIELDS), parameters=FOLDER)),
    "/projects/{project_id}/folders/{folder_id}/contents": get(
        "What a folder holds, folders first, by name, 50 a page", ref("FolderContents"),
        parameters=[*FOLDER, {"name": "page", "in": "query",
                              "schema": {"type": "integer", "minimum": 1}}]),
    "/projects/{project_id}/folders/{folder_id}/move": write(
        "Move a folder into another (`parent_id`) or to the top (null); never into itself",
        ref("Folder"), body(["parent_id"], parent_id=INTO), status="200", parameters=FOLDER),
    "/projects/{project_id}/documents/{document_id}/comments": both(
        get("Comments on the document, oldest first",
            {"type": "array", "items": ref("Comment")}, parameters=DOCUMENT),
        write("Comment on the document", ref("Comment"), body(["body"], body=TEXT),
              parameters=DOCUMENT)),
    "/projects/{project_id}/files/{file_id}/versions/{number}/download": {"get": {
        "summary": "One version's content", "parameters": [PROJECT_ID, FILE_ID, NUMBER],
        "responses": {"200": CONTENT, "304": {"description": "Not modified"}, **READ_ERRORS}}},
}


@cache
def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Workspace API", "version": "1",
                 "description": "Every call acts as the token's owner and sees what they see. "
                                "A write takes only the fields its body lists, each of its "
                                "type: anything else is a 422 naming the field."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"token": []}],
        "paths": {**PATHS, **followers_paths(), **TEMPLATE_PATHS},
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
            "responses": {"Error": {"description": "An error", "content": {
                "application/json": {"schema": ref("Error")}}}},
        },
    }
