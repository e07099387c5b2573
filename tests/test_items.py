"""The item-kind registry: every kind complete, every model with events or comments a kind,
and a new kind known everywhere from one registration."""

from __future__ import annotations

import ast
import io
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from pathlib import Path

import feedparser
import pytest
from babel.messages.pofile import read_po
from flask import Blueprint, Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from markupsafe import escape
from sqlalchemy import MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from werkzeug.datastructures import FileStorage

from tests.conftest import Client, signed_in_client, test_config
from workspace import create_app, items
from workspace.access import project_access
from workspace.activity import operations as activity
from workspace.activity.models import Event
from workspace.api.tokens import create_token
from workspace.comments.models import Comment, Commentable
from workspace.extensions import db
from workspace.files.models import FileVersion, ProjectFile
from workspace.files.operations import comment_with_files
from workspace.i18n import N_
from workspace.items import FeedContent, Item, Itemized, ItemKind, Page, Searched, Visibility
from workspace.messages.operations import post_message
from workspace.notifications.models import Notification
from workspace.projects.models import Project
from workspace.search.models import SearchEntry
from workspace.types import UTCDateTime, utcnow

ROOT = Path(__file__).resolve().parent.parent / "workspace"


def french_catalogue() -> dict[str, str]:
    with open(ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po", "rb") as po:
        return {message.id: message.string for message in read_po(po)
                if message.id and message.string and not message.fuzzy}


def nodes() -> Iterator[tuple[Path, ast.AST]]:
    """Every node of the application's code, with its file."""
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            yield path, node


def calls(name: str) -> Iterator[tuple[Path, ast.Call]]:
    """Every call of a function or method called `name`."""
    for path, node in nodes():
        if isinstance(node, ast.Call) and name in (getattr(node.func, "id", None),
                                                   getattr(node.func, "attr", None)):
            yield path, node


def constant(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def keyword(call: ast.Call, name: str) -> str | None:
    return next((constant(kw.value) for kw in call.keywords if kw.arg == name), None)


def mapped_classes() -> list[type]:
    return [mapper.class_ for mapper in db.Model.registry.mappers]


# -- (a) every kind is complete ---------------------------------------------------------------

def test_every_kind_has_every_part(app: Flask) -> None:
    french = french_catalogue()
    endpoints = {rule.endpoint: rule.arguments for rule in app.url_map.iter_rules()}
    registered = items.kinds()
    assert {kind.name for kind in registered} >= {
        "message", "comment", "todolist", "todo", "milestone", "file"}
    for kind in registered:
        where = f"item kind {kind.name!r}"
        assert items.kind(kind.name) is kind and items.by_model(kind.model) is kind, where
        columns = kind.model.__table__.c
        assert issubclass(kind.model, Itemized), f"{where} has no row in items"
        assert {"id", "project_id", "author_id", "created_at"} <= set(columns.keys()), where
        for text in (kind.label, kind.plural, *kind.reasons.values()):
            assert isinstance(text, LazyString), f"{where}: {text!r} is not lazy_gettext"
            with force_locale("en"):
                msgid = str(text)
            assert french.get(msgid), f"{where}: {msgid!r} has no French"
            with force_locale("fr"):
                assert str(text) == french[msgid], where
        assert kind.descriptions, f"{where} has no descriptions"
        for sentence in kind.descriptions.values():
            assert isinstance(sentence, str) and "%(title)s" in sentence, where
            assert french.get(sentence), f"{where}: {sentence!r} has no French"
        assert isinstance(kind.visibility, Visibility), where
        assert ("private" in columns) == (kind.visibility is Visibility.OWN), where
        assert kind.can_be_private == (kind.visibility is not Visibility.NEVER), where
        if kind.page is None:
            assert kind.visibility is Visibility.SUBJECT, f"{where} has no page of its own"
        else:  # events and comments hang on it: it says what it is
            assert kind.model.subject_type == kind.name, where
            for endpoint in filter(None, (kind.page.endpoint, kind.page.comments)):
                assert endpoint in endpoints, f"{where}: no endpoint {endpoint}"
                assert endpoints[endpoint] == {"project_id", kind.page.id_argument}, where
        assert kind.takes_comments == issubclass(kind.model, Commentable), where
        for column in (kind.feed.first, kind.feed.second, kind.search.title, kind.search.body,
                       kind.search.edited):
            assert column is None or column in columns, f"{where}: no column {column}"
        assert callable(kind.feed.html), where
        assert (kind.search.title is None) == (kind.visibility is Visibility.SUBJECT), where


def test_every_recorded_action_is_described(app: Flask) -> None:
    """An event's sentence comes from its target's kind: every action the code records has one
    in the kinds of its domain (or of the target type it names)."""
    for path, call in calls("record_event"):
        action = constant(call.args[0]) if call.args else None
        if action is None:
            continue
        target = keyword(call, "target_type")
        if target is not None:
            assert items.description(action, target), f"{path}: ({action}, {target})"
            continue
        package = path.relative_to(ROOT).parts[0]
        described = [kind.name for kind in items.kinds()
                     if kind.model.__module__.split(".")[1] == package
                     and action in kind.descriptions]
        assert described, f"{path}: no kind of {package} describes {action!r}"


def test_every_notification_reason_is_a_kinds(app: Flask) -> None:
    reasons = {reason for kind in items.kinds() for reason in kind.reasons}
    for path, call in calls("notify"):
        reason = constant(call.args[2]) if len(call.args) > 2 else None
        if reason is not None:
            assert reason in reasons, f"{path}: reason {reason!r} belongs to no kind"


def test_registering_a_name_twice_fails(app: Flask) -> None:
    message = items.kind("message")
    with pytest.raises(ValueError, match="already registered"):
        items.register(message)
    assert items.kind("message") is message


# -- (b) every model with events or comments is a kind ----------------------------------------

def test_every_model_with_events_or_comments_is_registered(app: Flask) -> None:
    for model in mapped_classes():
        if hasattr(model, "subject_type") and isinstance(model.subject_type, str):
            kind = items.by_model(model)
            assert kind is not None and kind.name == model.subject_type, model.__name__
        if issubclass(model, Commentable):
            kind = items.by_model(model)
            assert kind is not None and kind.takes_comments, model.__name__


def test_every_type_the_code_stores_is_a_kind(app: Flask) -> None:
    """Literal types given to events, comments, attachments and reply keys name kinds."""
    names = ("subject_type", "target_type", "attached_type")
    for path, node in nodes():
        if isinstance(node, ast.keyword) and node.arg in names:
            stored = constant(node.value)
        elif (isinstance(node, ast.Compare) and getattr(node.left, "attr", None) in names
              and isinstance(node.ops[0], ast.Eq)):
            stored = constant(node.comparators[0])
        else:
            continue
        assert stored is None or items.find(stored), f"{path}:{node.lineno}: {stored!r}"


# -- (c) a toy kind, known everywhere from one registration -----------------------------------

class ToyBase(DeclarativeBase):
    """Outside the application's metadata: the schema and its migrations never see it."""

    metadata = MetaData()


class Note(Itemized, ToyBase):
    __tablename__ = "toy_notes"
    subject_type = "note"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int]
    author_id: Mapped[int | None]
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    private: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


notes = Blueprint("notes", __name__)


@notes.route("/projects/<int:project_id>/notes/<int:note_id>")
def show(project_id: int, note_id: int) -> str:
    return str(escape(db.session.get(Note, note_id).title))


@pytest.fixture
def note_app(app: Flask, database_url: str) -> Iterator[Flask]:
    """An app of its own with the toy kind registered and its page (no blueprint may be added
    to the shared app, which has served requests); `app` empties the database afterwards."""
    toy_app = create_app(test_config(database_url))
    toy_app.test_client_class = Client
    toy_app.register_blueprint(notes)
    items.register(ItemKind(
        "note", Note, label=_l("Note"), plural=_l("Notes"), visibility=Visibility.OWN,
        page=Page("notes.show", "note_id"),
        descriptions={"created": N_("%(actor)s wrote the note '%(title)s'")},
        feed=FeedContent("body", None, lambda body, _: f"<p>{escape(body)}</p>"),
        search=Searched("title", "body", None),
    ))
    try:
        with toy_app.app_context():
            Note.metadata.create_all(db.engine)  # kept with the test database, emptied after
            try:
                yield toy_app
            finally:
                db.session.rollback()
                db.session.execute(db.delete(Note))
                db.session.commit()
                db.session.remove()
                db.engine.dispose()
    finally:
        items.unregister("note")


def test_a_new_kind_appears_everywhere(note_app, make) -> None:
    client = note_app.test_client()
    client_for = partial(signed_in_client, note_app)
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project("Launch", owner=ana, clients=(cy,))
    for title, private in (("Shared thoughts", False), ("Secret plans", True)):
        note = Note(project_id=project.id, author_id=ana.id, title=title, private=private,
                    body=f"{title}: pangolins & <tags>")
        db.session.add(note)
        activity.record_event("created", note, by=ana, text=note.body)
        db.session.commit()
    shared = db.session.scalar(db.select(Note).where(Note.title == "Shared thoughts"))
    address = f"/projects/{project.id}/notes/{shared.id}"

    page = client_for(ana).get("/activity").text
    assert "Ana wrote the note &#39;Shared thoughts&#39;" in page and f'href="{address}"' in page
    assert "Secret plans" in page
    assert "Secret plans" not in client_for(cy).get("/activity").text

    feed = feedparser.parse(
        client.get(f"/projects/{project.id}/feed.atom?token={ana.feed_token}").data)
    entry = next(entry for entry in feed.entries if "Shared thoughts" in entry.title)
    assert entry.title == "Ana wrote the note 'Shared thoughts'"
    assert entry.link.endswith(address)
    assert entry.content[0].value == "<p>Shared thoughts: pangolins &amp; &lt;tags&gt;</p>"

    token = create_token(cy, "script")[1]
    events = client.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"}).json
    assert [(event["summary"], event["subject"], event["app_url"]) for event in events] == [
        ("Ana wrote the note 'Shared thoughts'", {"type": "note", "id": shared.id},
         events[0]["app_url"])]
    assert events[0]["app_url"].endswith(address)

    found = client_for(cy).get("/search?q=pangolins&type=note").text
    assert f'href="{address}"' in found and "Note ·" in found and "Secret plans" not in found
    assert "Secret plans" in client_for(ana).get("/search?q=pangolins").text
    assert client_for(cy).get(address).text == "Shared thoughts"

    shared.title = "Shared ideas"
    db.session.commit()
    assert db.session.scalars(db.select(SearchEntry.title).where(
        SearchEntry.kind == "note")).all() in (["Shared ideas", "Secret plans"],
                                               ["Secret plans", "Shared ideas"])

    # Deleting a toy item is the same one call as for any kind: its trail and entry go with it.
    shared_id = shared.id
    items.delete(shared)
    db.session.commit()
    assert db.session.get(Note, shared_id) is None
    assert db.session.scalars(db.select(Event.summary).where(
        Event.subject_type == "note")).all() == ["Secret plans"]
    assert "Shared" not in client_for(ana).get("/activity").text
    assert db.session.scalars(db.select(SearchEntry.title).where(
        SearchEntry.kind == "note")).all() == ["Secret plans"]


# -- (d) one delete for every kind ------------------------------------------------------------

def test_deleting_an_item_deletes_all_that_hangs_on_it(make) -> None:
    """A message with an attachment, a comment with its own attachment and a notification:
    `items.delete` of the message leaves nothing of them, and nothing of the other message."""
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project("Launch", owner=ana, members=(bo,))
    access = project_access(project.id, user=ana)
    upload = partial(FileStorage, filename="plan.txt")
    doomed, kept = (post_message(access, title=title, body="b", private=False, notify=[bo.id],
                                 attachments=[upload(io.BytesIO(title.encode()))])
                    for title in ("Doomed", "Kept"))
    comment = comment_with_files(access, doomed, "see", [upload(io.BytesIO(b"more"))])
    hanging = {Item: 6, Event: 6, Notification: 3, SearchEntry: 6, ProjectFile: 3}

    def count(model: type) -> int:
        return db.session.scalar(db.select(db.func.count()).select_from(model))

    assert {model: count(model) for model in hanging} == hanging
    assert db.session.get(Item, comment.item_id).parent_id == doomed.item_id
    version = project_version(project.id)
    items.delete(doomed)
    db.session.commit()
    assert {model: count(model) for model in hanging} == {
        Item: 2, Event: 2, Notification: 1, SearchEntry: 2, ProjectFile: 1}
    assert count(Comment) == 0 and count(FileVersion) == 1
    assert db.session.scalar(db.select(Event.subject_id).distinct()) == kept.id
    assert project_version(project.id) > version  # the feeds' validators change


def project_version(project_id: int) -> int:
    return db.session.scalar(db.select(Project.activity_version).where(Project.id == project_id))
