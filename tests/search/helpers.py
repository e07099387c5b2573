"""A project with one public and one private item of every kind, built through the
operations (as the pages do), and ways to ask search what a person finds."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage

from workspace.auth.models import User
from workspace.comments.operations import add_comment
from workspace.files.operations import upload_files
from workspace.messages.operations import post_message
from workspace.milestones.operations import create_milestone
from workspace.projects.access import project_access
from workspace.projects.models import Project
from workspace.projects.operations import remove_person
from workspace.search.queries import Filters, search
from workspace.search.query import parse
from workspace.todos.operations import add_todo, create_list

# Every item carries its own word (so a search finds exactly it) and the word "shared".
PUBLIC_WORDS = ("pubmessage", "pubcomment", "publist", "pubtodo", "pubmilestone", "pubfile",
                "pubfilecomment", "pubtodocomment")
PRIVATE_WORDS = ("privmessage", "privcomment", "privlist", "privtodo", "privfile",
                 "privfilecomment", "privtodocomment")
EVERY_WORD = PUBLIC_WORDS + PRIVATE_WORDS


def upload(name: str, content: bytes = b"plain text") -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=name, content_type="text/plain")


def found(user: User, query: str, **filters: object) -> set[str]:
    """What `user` finds for `query`: each hit's own word (the first of its text)."""
    page = search(user, parse(query), Filters(**filters))  # type: ignore[arg-type]
    return {hit.entry.body.split()[0] for hit in page.hits}


def total(user: User, query: str, **filters: object) -> int:
    return search(user, parse(query), Filters(**filters)).total  # type: ignore[arg-type]


def shown_count(web: FlaskClient, query: str, **args: object) -> str:
    """The number of results a search page announces in its heading."""
    page = web.get("/search", query_string={"q": query, **args}).text
    return page.split('id="results-heading">')[1].split(" ")[0]


@dataclass
class World:
    owner: User
    member: User
    client: User
    stranger: User
    removed: User
    project: Project
    items: dict[str, object] = field(default_factory=dict)


def build_world(make) -> World:  # type: ignore[no-untyped-def]
    owner, member, client = make.user("Olga"), make.user("Max"), make.user("Cleo")
    stranger, removed = make.user("Sam"), make.user("Rémi")
    project = make.project("Launch", owner=owner, members=(member, removed), clients=(client,))
    world = World(owner, member, client, stranger, removed, project)
    access = project_access(project.id, user=owner)
    items = world.items
    for scope, private in (("pub", False), ("priv", True)):
        message = post_message(access, title=f"Title {scope}", body=f"{scope}message shared",
                               private=private, notify=())
        add_comment(message, f"{scope}comment shared", by=client if not private else member)
        todo_list = create_list(access, name=f"List {scope}", description=f"{scope}list shared",
                                private=private)
        todo = add_todo(access, todo_list, text=f"Todo {scope}", notes=f"{scope}todo shared")
        add_comment(todo, f"{scope}todocomment shared", by=owner)
        [file] = upload_files(access, [upload(f"{scope}-report.txt")],
                              description=f"{scope}file shared", private=private)
        add_comment(file, f"{scope}filecomment shared", by=owner)
        items.update({f"{scope}message": message, f"{scope}list": todo_list,
                      f"{scope}todo": todo, f"{scope}file": file})
    items["pubmilestone"] = create_milestone(
        access, title="Beta", due_on=date(2031, 1, 20),
        notes="pubmilestone shared")
    return world


def remove(world: World) -> None:
    membership = next(m for m in world.project.memberships if m.user_id == world.removed.id)
    remove_person(membership)
