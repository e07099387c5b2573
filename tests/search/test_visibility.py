"""Search shows exactly what the access rules let each person see: items, comments on them,
and counts."""

from __future__ import annotations

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
from workspace.access import project_access
from workspace.files.operations import update_file
from workspace.messages.operations import edit_message, post_message
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


def test_a_message_made_private_takes_its_comments_and_back(make):
    world = build_world(make)
    access = project_access(world.project.id, user=world.owner)
    message = world.items["pubmessage"]
    edit_message(access, message, title=message.title, body=message.body, private=True)
    assert found(world.client, "pubmessage") == set()
    assert found(world.client, "pubcomment") == set()
    assert found(world.member, "pubcomment") == {"pubcomment"}
    edit_message(access, message, title=message.title, body=message.body, private=False)
    assert found(world.client, "pubmessage") == {"pubmessage"}
    assert found(world.client, "pubcomment") == {"pubcomment"}


def test_a_list_made_private_hides_its_to_dos_and_their_comments_and_back(make):
    world = build_world(make)
    access = project_access(world.project.id, user=world.owner)
    todo_list = world.items["publist"]

    def mark(private: bool) -> None:
        update_list(access, todo_list, name=todo_list.name, description=todo_list.description,
                    milestone_id=None, private=private, clients_can_complete=False)

    mark(True)
    assert found(world.client, "publist") | found(world.client, "pubtodo") == set()
    assert found(world.client, "pubtodocomment") == set()
    assert found(world.member, "pubtodocomment") == {"pubtodocomment"}
    mark(False)
    assert found(world.client, "pubtodo") == {"pubtodo"}
    assert found(world.client, "pubtodocomment") == {"pubtodocomment"}


def test_a_file_made_private_and_back(make):
    world = build_world(make)
    access = project_access(world.project.id, user=world.owner)
    file = world.items["pubfile"]
    update_file(access, file, name=file.name, description=file.description, private=True)
    assert found(world.client, "pubfile") | found(world.client, "pubfilecomment") == set()
    update_file(access, file, name=file.name, description=file.description, private=False)
    assert found(world.client, "pubfile") == {"pubfile"}
    assert found(world.client, "pubfilecomment") == {"pubfilecomment"}



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
