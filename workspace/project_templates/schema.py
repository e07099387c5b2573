"""The template document: what a template keeps, as JSON, version 1 (docs/templates.md).

A template is stored as this document, exported as it, and imported from it: one shape, one
validator. References inside a document (a to-do's assignee, a list's milestone, a document's
folder) are *keys* local to the document, never database ids, so a file from another
installation cannot point at anything here. `checked(data)` returns the document with every
field present and of its type, or raises `BadTemplate` naming the first thing wrong (where it
is, and what is wrong with it). Unknown fields are ignored, so that a later minor addition
can still be read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workspace.errors import Refused
from workspace.i18n import timezone_names
from workspace.projects.models import Role

VERSION = 1
KINDS = ("project", "todolist")
# A whole file, read before anything is parsed; a template of 50 lists of 100 to-dos with
# notes is about 1 MB.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DAY = 3660  # ten years of days from the first
MAX_ENTRIES = 20_000  # lists, to-dos, folders… each


class BadTemplate(Refused):
    message = _l("This is not a template file Workspace can read.")


class TooLarge(BadTemplate):
    status = 413


Checker = Callable[[Any, str], Any]


def refuse(where: str, problem: str) -> BadTemplate:
    return BadTemplate(_("The template was refused (nothing was created): %(where)s %(problem)s",
                         where=where or _("the file"), problem=problem))


def text(limit: int, *, required: bool = True) -> Checker:
    """A title: stripped, without NUL characters (PostgreSQL cannot store one), as forms do.
    HTML in it stays text: pages escape it."""
    def check(value: Any, where: str) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise refuse(where, _("must be text."))
        value = value.replace("\x00", "").strip()
        if required and not value:
            raise refuse(where, _("must not be empty."))
        if len(value) > limit:
            raise refuse(where, _("is longer than %(limit)s characters.", limit=limit))
        return value
    return check


def body(limit: int, *, required: bool = False) -> Checker:
    """Markdown, kept as written (less NUL characters), rendered and sanitised when used."""
    def check(value: Any, where: str) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise refuse(where, _("must be text."))
        if len(value) > limit:
            raise refuse(where, _("is longer than %(limit)s characters.", limit=limit))
        value = value.replace("\x00", "")
        if required and not value.strip():
            raise refuse(where, _("must not be empty."))
        return value
    return check


def timezone(value: Any, where: str) -> str:
    if not isinstance(value, str) or value not in timezone_names():
        raise refuse(where, _("must be a timezone name such as Europe/Paris."))
    return value


def flag(value: Any, where: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise refuse(where, _("must be true or false."))
    return value


def day(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DAY:
        raise refuse(where, _("must be a whole number of days from 0 to %(most)s.", most=MAX_DAY))
    return value


def whole(low: int, high: int) -> Checker:
    def check(value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise refuse(where, _("must be a whole number from %(low)s to %(high)s.",
                                  low=low, high=high))
        return value
    return check


def one_of(choices: tuple[str, ...], *, required: bool = True) -> Checker:
    def check(value: Any, where: str) -> str | None:
        if value is None and not required:
            return None
        if value not in choices:
            raise refuse(where, _("must be one of: %(choices)s.", choices=", ".join(choices)))
        return value
    return check


def key(value: Any, where: str) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 40:
        raise refuse(where, _("must be a key: text of 1 to 40 characters."))
    return value


def record(fields: dict[str, tuple[Checker, bool]]) -> Checker:
    """An object with these fields (checker, required); missing optional ones get None's
    checked value."""
    def check(value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            raise refuse(where, _("must be an object."))
        result = {}
        for name, (checker, required) in fields.items():
            if required and name not in value:
                raise refuse(f"{where}.{name}" if where else name, _("is missing."))
            result[name] = checker(value.get(name), f"{where}.{name}" if where else name)
        return result
    return check


def many(checker: Checker) -> Checker:
    def check(value: Any, where: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise refuse(where, _("must be a list."))
        if len(value) > MAX_ENTRIES:
            raise refuse(where, _("has more than %(most)s entries.", most=MAX_ENTRIES))
        return [checker(entry, f"{where}[{index}]") for index, entry in enumerate(value)]
    return check


def optional(checker: Checker) -> Checker:
    return lambda value, where: None if value is None else checker(value, where)


ROLE_VALUES = tuple(role.value for role in Role)

# Comments on a kept to-do, milestone, document or message (optional: a file without them
# is still version 1): their author is a role key (null: whoever makes the project).
COMMENTS = many(record({"body": (body(50_000, required=True), True),
                        "author": (optional(key), False), "day": (day, False)}))
TODO = record({"text": (text(500), True), "notes": (body(100_000), False),
               "day": (day, False), "assignee": (optional(key), False),
               "comments": (COMMENTS, False)})
TODO_LIST = record({
    "key": (key, True), "name": (text(120), True),
    "description": (body(20_000), False), "private": (flag, False),
    "clients_can_complete": (flag, False), "milestone": (optional(key), False),
    "todos": (many(TODO), False),
})
TEMPLATE = record({
        "workspace_template": (whole(VERSION, VERSION), True),
        "kind": (one_of(KINDS), True),
        "name": (text(120), True),
        "description": (body(2000), False),
        "settings": (optional(record({
            "timezone": (timezone, True), "alert_days_before": (whole(0, 60), True),
            "alert_on_the_day": (flag, True), "alert_when_late": (flag, True),
        })), False),
        "roles": (many(record({"key": (key, True), "label": (text(120), True),
                               "project_role": (one_of(ROLE_VALUES, required=False), False)})),
                  False),
        "milestones": (many(record({"key": (key, True), "title": (text(200), True),
                                    "day": (day, True), "notes": (body(100_000),
                                                                  False),
                                    "responsible": (optional(key), False),
                                    "comments": (COMMENTS, False)})), False),
        "lists": (many(TODO_LIST), False),
        "folders": (many(record({"key": (key, True), "name": (text(255), True),
                                 "description": (body(20_000), False),
                                 "private": (flag, False), "parent": (optional(key), False)})),
                    False),
        "documents": (many(record({"title": (text(200), True),
                                   "body": (body(5 * 1024 * 1024), False),
                                   "private": (flag, False),
                                   "folder": (optional(key), False),
                                   "comments": (COMMENTS, False)})), False),
        "messages": (many(record({"title": (text(200), True),
                                  "body": (body(100_000), False),
                                  "private": (flag, False),
                                  "comments": (COMMENTS, False)})), False),
})


def checked(data: Any) -> dict:
    """The document, complete and of the right types, its references resolved within it."""
    if isinstance(data, dict) and "workspace_template" not in data:
        raise refuse("workspace_template", _("is missing: this is not a Workspace template."))
    if isinstance(data, dict) and data.get("workspace_template") != VERSION:
        raise refuse("workspace_template", _(
            "is %(found)s; this installation reads version %(version)s.",
            found=json.dumps(data.get("workspace_template"))[:40], version=VERSION))
    document = TEMPLATE(data, "")
    check_references(document)
    return document


def unique_keys(entries: list[dict], where: str) -> set[str]:
    keys: set[str] = set()
    for index, entry in enumerate(entries):
        if entry["key"] in keys:
            raise refuse(f"{where}[{index}].key", _("repeats the key %(key)s.",
                                                     key=json.dumps(entry["key"])))
        keys.add(entry["key"])
    return keys


def known(value: str | None, keys: set[str], where: str) -> None:
    if value is not None and value not in keys:
        raise refuse(where, _("names %(key)s, which is no key of this file.",
                              key=json.dumps(value)[:60]))


def check_references(document: dict) -> None:
    roles = unique_keys(document["roles"], "roles")
    milestones = unique_keys(document["milestones"], "milestones")
    folders = unique_keys(document["folders"], "folders")
    unique_keys(document["lists"], "lists")
    for index, milestone in enumerate(document["milestones"]):
        known(milestone["responsible"], roles, f"milestones[{index}].responsible")
        known_authors(milestone, roles, f"milestones[{index}]")
    for index, todo_list in enumerate(document["lists"]):
        known(todo_list["milestone"], milestones, f"lists[{index}].milestone")
        for number, todo in enumerate(todo_list["todos"]):
            known(todo["assignee"], roles, f"lists[{index}].todos[{number}].assignee")
            known_authors(todo, roles, f"lists[{index}].todos[{number}]")
    for index, folder in enumerate(document["folders"]):
        known(folder["parent"], folders, f"folders[{index}].parent")
    check_no_folder_cycle(document["folders"])
    for index, entry in enumerate(document["documents"]):
        known(entry["folder"], folders, f"documents[{index}].folder")
        known_authors(entry, roles, f"documents[{index}]")
    for index, entry in enumerate(document["messages"]):
        known_authors(entry, roles, f"messages[{index}]")
    unique_names(document["folders"], "folders", "parent", "name")
    unique_names(document["documents"], "documents", "folder", "title")
    if document["kind"] == "todolist" and (
            len(document["lists"]) != 1 or document["milestones"] or document["folders"]
            or document["documents"] or document["messages"]):
        raise refuse("kind", _("is todolist: such a template holds one list and nothing else."))


def known_authors(entry: dict, roles: set[str], where: str) -> None:
    for index, comment in enumerate(entry["comments"]):
        known(comment["author"], roles, f"{where}.comments[{index}].author")


def unique_names(entries: list[dict], where: str, place: str, name: str) -> None:
    """Two folders (or documents) of the same name in the same folder are refused, as the
    pages refuse them."""
    seen: set[tuple[str | None, str]] = set()
    for index, entry in enumerate(entries):
        spot = (entry[place], entry[name].casefold())
        if spot in seen:
            raise refuse(f"{where}[{index}].{name}", _("repeats a name already used in the same "
                                                      "folder."))
        seen.add(spot)


def check_no_folder_cycle(folders: list[dict]) -> None:
    parents = {folder["key"]: folder["parent"] for folder in folders}
    for index, folder in enumerate(folders):
        seen, current = set(), folder["key"]
        while current is not None:
            if current in seen:
                raise refuse(f"folders[{index}].parent", _("makes folders contain each other."))
            seen.add(current)
            current = parents[current]


def too_large() -> TooLarge:
    return TooLarge(_("The template was refused (nothing was created): the file is larger "
                      "than %(size)s MB.", size=MAX_FILE_BYTES // (1024 * 1024)))


def read_limited(stream: IO[bytes]) -> bytes:
    """At most one byte more than a file may have: enough to refuse a larger one by its size
    without reading it all."""
    return stream.read(MAX_FILE_BYTES + 1)


def parsed(raw: bytes) -> dict:
    """A template file read: refused by its size before it is parsed, then as JSON, then as
    a document."""
    if len(raw) > MAX_FILE_BYTES:
        raise too_large()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise refuse("", _("is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise refuse("", _("is not valid JSON (line %(line)s, column %(column)s).",
                           line=error.lineno, column=error.colno)) from None
    return checked(data)


def span(document: dict) -> int:
    """The last day of the template (its first is 0)."""
    days = [m["day"] for m in document["milestones"]] + [
        todo["day"] for todo_list in document["lists"] for todo in todo_list["todos"]
        if todo["day"] is not None]
    return max(days, default=0)
