"""Search shows exactly what the access rules let each person see: items, comments on them,
and counts."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.search.helpers import (
    EVERY_WORD,
    PRIVATE_WORDS,
    PUBLIC_WORDS,
    build_world,
    found,
    remove,
    total,
    upload,
)
from workspace.files.models import ProjectFile
from workspace.files.operations import update_file
from workspace.messages.models import Message
from workspace.messages.operations import edit_message, post_message
from workspace.projects.access import ProjectAccess, project_access
from workspace.todos.models import TodoList
from workspace.todos.operations import move_todo, update_list


def test_each_person_finds_exactly_what_they_may_see_of_every_kind(make):
    world = build_world(make)
    remove(world)
    admin = make.user("Ada", admin=True)
    expected = {
        world.owner: set(EVERY_WORD), world.member: set(EVERY_WORD), admin: set(EVERY_WORD),
        world.client: set(PUBLIC_WORDS), world.stranger: set(), world.removed: set(),
    }
    for person, visible in expected.items():
        for word in EVERY_WORD:
            assert found(person, word) == ({word} & visible), (person.name, word)
        assert total(person, "shared") == len(visible), person.name


def test_the_page_count_never_counts_private_items_for_a_client(make, client_for):
    world = build_world(make)
    page = client_for(world.client).get("/search?q=shared").text
    assert f"{len(PUBLIC_WORDS)} results" in page
    for word in PRIVATE_WORDS:
        assert client_for(world.client).get(f"/search?q={word}").text.count("0 results") == 1
    team_page = client_for(world.member).get("/search?q=shared").text
    assert f"{len(PUBLIC_WORDS) + len(PRIVATE_WORDS)} results" in team_page


def test_a_removed_member_stops_finding_at_once(make):
    world = build_world(make)
    assert total(world.removed, "shared") == len(EVERY_WORD)
    remove(world)
    assert total(world.removed, "shared") == 0


def test_strangers_get_404_from_a_project_search(make, client_for):
    world = build_world(make)
    url = f"/projects/{world.project.id}/search?q=shared"
    assert client_for(world.stranger).get(url).status_code == 404
    assert client_for(world.client).get(url).status_code == 200


def mark_message(access: ProjectAccess, message: Message, private: bool) -> None:
    edit_message(access, message, title=message.title, body=message.body, private=private)


def mark_list(access: ProjectAccess, todo_list: TodoList, private: bool) -> None:
    update_list(access, todo_list, name=todo_list.name, description=todo_list.description,
                milestone_id=None, private=private, clients_can_complete=False)


def mark_file(access: ProjectAccess, file: ProjectFile, private: bool) -> None:
    update_file(access, file, name=file.name, description=file.description, private=private)


@pytest.mark.parametrize(("item", "mark", "hidden", "comment"), [
    ("pubmessage", mark_message, ("pubmessage", "pubcomment"), "pubcomment"),
    ("publist", mark_list, ("publist", "pubtodo", "pubtodocomment"), "pubtodocomment"),
    ("pubfile", mark_file, ("pubfile", "pubfilecomment"), "pubfilecomment"),
], ids=["message", "to-do list", "file"])
def test_an_item_made_private_takes_what_hangs_on_it_and_back(
        make, item: str, mark: Callable[..., None], hidden: tuple[str, ...],
        comment: str) -> None:
    """A message takes its comments; a list its to-dos and their comments; a file its own."""
    world = build_world(make)
    access = project_access(world.project.id, user=world.owner)
    mark(access, world.items[item], True)
    for word in hidden:
        assert found(world.client, word) == set(), word
    assert found(world.member, comment) == {comment}
    mark(access, world.items[item], False)
    for word in hidden:
        assert found(world.client, word) == {word}, word


def test_a_file_attached_to_a_message_follows_its_mark(make):
    world = build_world(make)
    access = project_access(world.project.id, user=world.owner)
    message = post_message(access, title="With a file", body="see attached", private=False,
                           notify=(), attachments=[upload("attachedbrief.txt")])
    assert total(world.client, "attachedbrief") == 1  # a file has no description here
    edit_message(access, message, title=message.title, body=message.body, private=True)
    assert total(world.client, "attachedbrief") == 0
    assert total(world.member, "attachedbrief") == 1
    edit_message(access, message, title=message.title, body=message.body, private=False)
    assert total(world.client, "attachedbrief") == 1


def test_a_to_do_moved_into_a_private_list_becomes_private(make):
    world = build_world(make)
    access = project_access(world.project.id, user=world.owner)
    move_todo(access, world.items["pubtodo"], world.items["privlist"], 0)
    assert found(world.client, "pubtodo") | found(world.client, "pubtodocomment") == set()
    assert found(world.member, "pubtodocomment") == {"pubtodocomment"}
