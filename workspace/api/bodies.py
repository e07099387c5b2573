"""Reading the API's request bodies: the pages' forms validate them, so a rule is never
written twice and the API and the pages refuse the same things with the same words."""

from __future__ import annotations

import re

from flask import jsonify, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from werkzeug.wrappers import Response

from workspace.api.errors import ApiError
from workspace.api.openapi import document

Scalar = str | int | float | bool | None


def json_object() -> dict:
    """The JSON body, once the caller may act: only the fields the document lists."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ApiError(400, "bad_request",
                       "Send a JSON object with Content-Type: application/json.")
    refuse_undocumented()
    return payload


def validated(form_class: type[FlaskForm], choices: dict[str, list] | None = None, *,
              current: dict[str, Scalar | list] | None = None, **renamed: str) -> FlaskForm:
    """Validate the JSON body with a page's form, as if it had been posted. For an update,
    `current` holds the item's values and the body only what changes. 422 names the fields;
    `renamed` maps the API's names to the form's (`assignee_id="assignee"`)."""
    payload = {**(current or {}), **json_object()}
    form = form_class(formdata=as_formdata(payload, renamed), meta={"csrf": False})
    for name, values in (choices or {}).items():
        getattr(form, name).choices = values
    if not form.validate():
        raise invalid({renamed_back(name, renamed): str(errors[0])
                       for name, errors in form.errors.items()})
    return form


def uploaded(form_class: type[FlaskForm]) -> FlaskForm:
    """Validate a multipart upload with a page's form."""
    if not request.mimetype.startswith("multipart/form-data"):
        raise ApiError(400, "bad_request", "Upload files as multipart/form-data.")
    refuse_undocumented()
    form = form_class(formdata=CombinedMultiDict([request.files, request.form]),
                      meta={"csrf": False})
    if not form.validate():
        raise invalid({name: str(errors[0]) for name, errors in form.errors.items()})
    return form


def invalid(fields: dict[str, str]) -> ApiError:
    return ApiError(422, "invalid", "Some fields are not valid.", fields=fields)


def as_formdata(payload: dict, renamed: dict[str, str]) -> MultiDict:
    items: list[tuple[str, str]] = []
    for key, value in payload.items():
        name = renamed.get(key, key)
        values = value if isinstance(value, list) else [value]
        if not all(v is None or isinstance(v, str | int | float | bool) for v in values):
            raise invalid({key: "Give a string, a number, a boolean or null."})
        items.extend((name, "y" if v is True else str(v))
                     for v in values if v is not None and v is not False)
    return MultiDict(items)


def renamed_back(name: str, renamed: dict[str, str]) -> str:
    return next((outside for outside, inside in renamed.items() if inside == name), name)


RULE_PART = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
TYPE_WORDS = {"string": "a string", "integer": "a whole number", "number": "a number",
              "boolean": "true or false", "array": "a list", "object": "an object",
              "null": "null"}
PLURAL_WORDS = {"string": "strings", "integer": "whole numbers", "number": "numbers",
                "boolean": "booleans", "object": "objects"}
# A multipart form has only strings: a boolean is "true" or "false" ("y" and "" as the pages'
# forms send them); "0", "no" or "off" are refused rather than guessed.
FORM_BOOLEANS = {"true", "false", "y", ""}


def documented_path() -> str:
    """This request's path in the OpenAPI document: `<int:project_id>` becomes
    `{project_id}`, and an `any(complete, reopen)` part the value it matched."""
    rule = request.url_rule.rule.removeprefix(document()["servers"][0]["url"])

    def part(match: re.Match) -> str:
        converter, name = match.groups()
        return str(request.view_args[name]) if converter == "any" else f"{{{name}}}"

    return RULE_PART.sub(part, rule)


def documented_body() -> tuple[str, dict]:
    """The media type and body schema the document gives this route (JSON and `{}` when it
    takes no body)."""
    operation = document()["paths"].get(documented_path(), {}).get(request.method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {})
    media, described = next(iter(content.items()), ("application/json", {}))
    return media, described.get("schema", {})


def refuse_undocumented() -> None:
    """Every write takes only the fields its OpenAPI body lists, each of its JSON type: an
    unknown field (`private` on a milestone) or `"no"` for a boolean is a 422 naming the
    field, never silently ignored or guessed. Called once access is checked (json_object,
    uploaded, and the writes without a body), so outsiders still hear 403 or 404."""
    media, schema = documented_body()
    if request.mimetype != media:
        return  # the route answers 400: it takes the other kind of body
    properties = schema.get("properties", {})
    if media == "multipart/form-data":
        fields = {**{name: "" for name in request.files},
                  **{name: request.form.getlist(name) for name in request.form}}
        problems = {name: problem_in_form(values, properties.get(name), properties)
                    for name, values in fields.items()}
    else:
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return  # json_object() answers 400 where a body is needed
        problems = {name: problem_in_json(value, properties.get(name), properties)
                    for name, value in payload.items()}
    problems = {name: problem for name, problem in problems.items() if problem}
    if problems:
        raise invalid(problems)


def unknown(properties: dict) -> str:
    if not properties:
        return "Unknown field: this call takes no fields."
    return f"Unknown field: this call takes {', '.join(properties)}."


def problem_in_json(value: object, schema: dict | None, properties: dict) -> str | None:
    if schema is None:
        return unknown(properties)
    if not has_type(value, schema):
        return f"Give {' or '.join(type_words(schema))}."
    if "\x00" in str(value):  # no database column takes it (PostgreSQL refuses NUL)
        return "Text cannot contain the NUL character (\\u0000)."
    return None


def type_words(schema: dict) -> list[str]:
    """`["integer", "null"]` -> "a whole number", "null"; an array says what it holds."""
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    items = schema.get("items", {}).get("type")
    return [f"a list of {PLURAL_WORDS[items]}" if name == "array" and items in PLURAL_WORDS
            else TYPE_WORDS[name] for name in types]


def problem_in_form(values: list[str] | str, schema: dict | None,
                    properties: dict) -> str | None:
    if schema is None:
        return unknown(properties)
    if schema.get("type") == "boolean" and not set(values) <= FORM_BOOLEANS:
        return 'Give "true" or "false".'
    return None


def has_type(value: object, schema: dict) -> bool:
    """Whether a JSON value is of the schema's type(s); `true` is never a number."""
    if "type" not in schema:
        return True
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    if isinstance(value, list) and "array" in types:
        return all(has_type(item, schema.get("items", {})) for item in value)
    return any(is_json_type(value, name) for name in types)


def is_json_type(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return name == "boolean"
    return {"string": isinstance(value, str), "integer": isinstance(value, int),
            "number": isinstance(value, int | float), "object": isinstance(value, dict),
            "null": value is None}.get(name, False)


def position() -> int:
    """`position` in a move: 0 is first; past the end means last."""
    value = json_object().get("position")
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise invalid({"position": "Give a whole number, 0 for first."})
    return value


def created(body: dict | list) -> tuple[Response, int]:
    return jsonify(body), 201
