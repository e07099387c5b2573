"""Reading the API's request bodies: the pages' forms validate them, so a rule is never
written twice and the API and the pages refuse the same things with the same words."""

from __future__ import annotations

from flask import jsonify, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from werkzeug.wrappers import Response

from workspace.api.errors import ApiError

Scalar = str | int | float | bool | None


def json_object() -> dict:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ApiError(400, "bad_request",
                       "Send a JSON object with Content-Type: application/json.")
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


def position() -> int:
    """`position` in a move: 0 is first; past the end means last."""
    value = json_object().get("position")
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise invalid({"position": "Give a whole number, 0 for first."})
    return value


def created(body: dict | list) -> tuple[Response, int]:
    return jsonify(body), 201
