"""Template files: exported from one installation and imported into another, and every bad
file refused with a message naming what is wrong, nothing written."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from workspace import create_app, models
from workspace.extensions import db
from workspace.project_templates import operations
from workspace.project_templates.capture import Keep
from workspace.project_templates.schema import MAX_FILE_BYTES, BadTemplate, TooLarge
from workspace.projects.access import access_to

from ..conftest import test_config
from .helpers import counts, source_project
from .test_round_trip import comments_of, structure


def exported_file(make, *, comments: bool = False) -> tuple[bytes, object]:
    source = source_project(make)
    template = operations.save_project_template(
        access_to(source.owner, source.project),
        Keep(message_ids=source.message_ids, people=True, private=True, comments=comments),
        name="Agency launch")
    return json.dumps(operations.exported(template)).encode(), source


def test_a_template_moves_to_another_installation(make, tmp_path):
    raw, source = exported_file(make, comments=True)
    here = operations.create_project(
        db.session.get(models.ProjectTemplate, 1), name="Here", description="",
        anchor_date=date(2027, 3, 1), from_end=False, skip_weekends=False,
        people={"r1": source.owner.id, "r2": source.designer.id}, by=source.owner)
    expected, expected_comments = structure(here), comments_of(here)
    assert len(expected_comments) == 6

    other = create_app(test_config(f"sqlite:///{tmp_path / 'other.db'}"))
    with other.app_context():
        db.create_all()
        someone = models.User(name="Olga Owner", email="olga@other.example")
        colleague = models.User(name="Dina Designer", email="dina@other.example")
        someone.set_password("a long enough password")
        colleague.set_password("a long enough password")
        db.session.add_all([someone, colleague])
        db.session.commit()
        imported = operations.import_template(raw, by=someone)
        assert (imported.name, imported.kind, imported.todo_count) == (
            "Agency launch", "project", 4)
        someone.is_admin = True  # knows everyone of this installation
        there = operations.create_project(
            imported, name="There", description="", anchor_date=date(2027, 3, 1),
            from_end=False, skip_weekends=False,
            people={"r1": someone.id, "r2": colleague.id}, by=someone)
        assert structure(there) == expected
        assert comments_of(there) == expected_comments
        db.session.remove()
        db.engine.dispose()


def test_the_export_is_the_documented_version_1(make):
    raw, _ = exported_file(make)
    document = json.loads(raw)
    assert document["workspace_template"] == 1 and document["kind"] == "project"
    assert set(document) == {"workspace_template", "kind", "name", "description", "settings",
                             "roles", "milestones", "lists", "folders", "documents",
                             "messages"}
    assert document["roles"] == [
        {"key": "r1", "label": "Olga Owner", "project_role": "owner"},
        {"key": "r2", "label": "Dina Designer", "project_role": "member"}]
    assert document["lists"][0]["todos"][0] == {
        "text": "Sketch <b>logo</b>", "notes": "Three options", "day": 2, "assignee": "r2",
        "comments": []}
    assert not set(field_names(document)) & {"id", "user_id", "assignee_id", "project_id"}


def field_names(value: object) -> list[str]:
    """Every field name of a document, however deep."""
    if isinstance(value, dict):
        return [*value, *(name for inner in value.values() for name in field_names(inner))]
    if isinstance(value, list):
        return [name for inner in value for name in field_names(inner)]
    return []


def minimal(**changes) -> dict:
    return {"workspace_template": 1, "kind": "project", "name": "Small",
            "lists": [{"key": "a", "name": "List", "todos": [{"text": "One", "day": 0}]}],
            **changes}


@pytest.mark.parametrize("raw, named", [
    (b"{not json", "not valid JSON (line 1, column 2)"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[]", "the file must be an object"),
    (json.dumps({"name": "x"}).encode(), "workspace_template is missing"),
    (json.dumps(minimal(workspace_template=2)).encode(),
     "workspace_template is 2; this installation reads version 1"),
    (json.dumps(minimal(name=None)).encode(), "name must be text"),
    (json.dumps({"workspace_template": 1, "kind": "project"}).encode(), "name is missing"),
    (json.dumps(minimal(kind="everything")).encode(), "kind must be one of"),
    (json.dumps(minimal(lists=[{"key": "a", "name": "L", "todos": [{"day": 1}]}])).encode(),
     "lists[0].todos[0].text is missing"),
    (json.dumps(minimal(lists=[{"key": "a", "name": "L",
                                "todos": [{"text": "T", "day": -3}]}])).encode(),
     "lists[0].todos[0].day must be a whole number of days"),
    # References are keys of the file: a database id of this installation means nothing.
    (json.dumps(minimal(lists=[{"key": "a", "name": "L",
                                "todos": [{"text": "T", "assignee": "1"}]}])).encode(),
     'lists[0].todos[0].assignee names "1", which is no key of this file'),
    (json.dumps(minimal(lists=[{"key": "a", "name": "L", "milestone": 7}])).encode(),
     "lists[0].milestone must be a key"),
    (json.dumps(minimal(folders=[{"key": "f", "name": "A", "parent": "g"},
                                 {"key": "g", "name": "B", "parent": "f"}])).encode(),
     "folders[0].parent makes folders contain each other"),
    (json.dumps(minimal(roles=[{"key": "r", "label": "A"}, {"key": "r", "label": "B"}])).encode(),
     'roles[1].key repeats the key "r"'),
    (json.dumps(minimal(settings={"timezone": "Mars/Olympus", "alert_days_before": 1,
                                  "alert_on_the_day": True, "alert_when_late": True})).encode(),
     "settings.timezone must be a timezone name"),
    (json.dumps(minimal(kind="todolist", messages=[{"title": "Hi"}])).encode(),
     "kind is todolist"),
    # Comments (optional in version 1): their author is a role key of the file.
    (json.dumps(minimal(lists=[{"key": "a", "name": "L", "todos": [
        {"text": "T", "comments": [{"body": "Fine", "author": "r9"}]}]}])).encode(),
     'lists[0].todos[0].comments[0].author names "r9", which is no key of this file'),
    (json.dumps(minimal(roles=[{"key": "r", "label": "A"}], messages=[
        {"title": "Hi", "comments": [{"body": "Ok", "author": "r"},
                                     {"body": "Ok", "author": 12}]}])).encode(),
     "messages[0].comments[1].author must be a key"),
    (json.dumps(minimal(documents=[{"title": "D", "comments": [{"body": "  "}]}])).encode(),
     "documents[0].comments[0].body must not be empty"),
    (json.dumps(minimal(milestones=[{"key": "m", "title": "M", "day": 0, "comments": [
        {"author": None}]}])).encode(),
     "milestones[0].comments[0].body is missing"),
    (json.dumps(minimal(milestones=[{"key": "m", "title": "M", "day": 0,
                                     "comments": {"body": "x"}}])).encode(),
     "milestones[0].comments must be a list"),
    (json.dumps(minimal(messages=[{"title": "Hi", "comments": [
        {"body": "x", "day": 99999}]}])).encode(),
     "messages[0].comments[0].day must be a whole number of days"),
])
def test_a_bad_file_is_refused_naming_what_is_wrong_and_writes_nothing(make, raw, named):
    ana = make.user("Ana")
    before = counts()
    with pytest.raises(BadTemplate) as refusal:
        operations.import_template(raw, by=ana)
    assert named in refusal.value.message
    assert "nothing was created" in refusal.value.message
    assert counts() == before


def test_a_50_mb_file_is_refused_by_its_size_before_it_is_parsed(make):
    ana = make.user("Ana")
    before = counts()
    raw = b"{" + b" " * (50 * 1024 * 1024) + b"}"  # would parse, slowly, into nothing useful
    with pytest.raises(TooLarge) as refusal:
        operations.import_template(raw, by=ana)
    assert "larger than 10 MB" in refusal.value.message and refusal.value.status == 413
    assert len(raw) > MAX_FILE_BYTES and counts() == before


def test_html_in_titles_is_text_and_markdown_bodies_are_sanitised(make):
    ana = make.user("Ana")
    make.project(owner=ana)  # Ana is on the team: she may name herself
    hostile = minimal(
        name="<script>alert(1)</script>",
        lists=[{"key": "a", "name": "<img src=x onerror=alert(1)>",
                "todos": [{"text": "<b>bold</b>\u0000", "notes": "<script>x()</script> *ok*"}]}],
        messages=[{"title": "Hi", "body": "[click](javascript:alert(1))"}])
    template = operations.import_template(json.dumps(hostile).encode(), by=ana)
    assert template.name == "<script>alert(1)</script>"  # text: escaped wherever shown
    project = operations.create_project(
        template, name="P", description="", anchor_date=date(2027, 1, 4), from_end=False,
        skip_weekends=False, people={}, by=ana)
    todo = db.session.scalar(select(models.Todo).where(models.Todo.project_id == project.id))
    assert todo.text == "<b>bold</b>"  # the NUL dropped, the tags kept as text
    assert "<script" not in todo.notes_html and "<em>ok</em>" in todo.notes_html
    message = db.session.scalar(select(models.Message).where(
        models.Message.project_id == project.id))
    assert 'href="javascript' not in message.body_html


def test_a_failed_creation_writes_nothing(make):
    """A person who is not among those the creator knows is refused after the checks of the
    file passed: no project, membership, item or event is left."""
    _, source = exported_file(make)
    stranger = make.user("Stranger")
    template = db.session.get(models.ProjectTemplate, 1)
    before = counts()
    with pytest.raises(operations.UnknownPerson):
        operations.create_project(template, name="X", description="",
                                  anchor_date=date(2027, 1, 4), from_end=False,
                                  skip_weekends=False, people={"r2": stranger.id},
                                  by=source.owner)
    assert counts() == before
