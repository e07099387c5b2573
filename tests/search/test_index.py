"""The index follows every change in the same transaction, and can be rebuilt."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tests.search.helpers import EVERY_WORD, build_world, found, total, upload
from workspace.access import project_access
from workspace.comments.models import Comment
from workspace.comments.operations import delete_comment, edit_comment
from workspace.extensions import db
from workspace.files.operations import add_version, delete_file, update_file
from workspace.items import Item
from workspace.messages.operations import delete_message, edit_message
from workspace.milestones.operations import delete_milestone, update_milestone
from workspace.projects.operations import delete_project
from workspace.search.models import SearchEntry
from workspace.todos.operations import delete_list, delete_todo, update_list, update_todo


def entries() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(
        select(SearchEntry.kind, SearchEntry.item_id, SearchEntry.project_id,
               SearchEntry.private, SearchEntry.title, SearchEntry.terms, SearchEntry.words)
        .order_by(SearchEntry.kind, SearchEntry.item_id)
    )]


def test_edits_show_up_in_the_next_search(make):
    world = build_world(make)
    owner = world.owner
    access = project_access(world.project.id, user=owner)
    items = world.items
    edit_message(access, items["pubmessage"], title="Title", body="renamedmessage", private=False)
    update_todo(access, items["pubtodo"], text="Todo", notes="renamedtodo", assignee_id=None,
                due_on=None)
    update_list(access, items["publist"], name="List", description="renamedlist",
                milestone_id=None, private=False, clients_can_complete=False)
    update_milestone(access, items["pubmilestone"], title="Beta", due_on=date(2031, 1, 21),
                     responsible_id=None, notes="renamedmilestone")
    update_file(access, items["pubfile"], name="renamed.txt", description="renamedfile",
                private=False)
    comment = db.session.scalar(select(Comment).where(Comment.body.startswith("pubcomment")))
    edit_comment(comment, items["pubmessage"], "renamedcomment", by=comment.author)
    for kind in ("message", "todo", "list", "milestone", "file", "comment"):
        assert found(world.client, f"pub{kind}") == set(), kind
        assert found(world.client, f"renamed{kind}") == {f"renamed{kind}"}, kind
    assert found(world.client, "renamed.txt") == {"renamedfile"}  # file names are searched


def test_a_comment_shows_its_item_s_new_title(make):
    world = build_world(make)
    access = project_access(world.project.id, user=world.owner)
    message = world.items["pubmessage"]
    edit_message(access, message, title="Brand new title", body=message.body, private=False)
    titles = {entry.title for entry in db.session.scalars(
        select(SearchEntry).where(SearchEntry.subject_type == "message",
                                  SearchEntry.subject_id == message.id))}
    assert titles == {"Brand new title"}


def test_deletions_show_up_in_the_next_search(make):
    world = build_world(make)
    items = world.items
    comment = db.session.scalar(select(Comment).where(Comment.body.startswith("privcomment")))
    delete_comment(comment, items["privmessage"])
    assert found(world.owner, "privcomment") == set()
    delete_message(items["pubmessage"])  # and its comments
    delete_list(items["publist"])  # and its to-dos, and their comments
    delete_milestone(items["pubmilestone"])
    delete_file(items["pubfile"])  # and its comments
    gone = {"pubmessage", "pubcomment", "publist", "pubtodo", "pubtodocomment", "pubmilestone",
            "pubfile", "pubfilecomment"}
    for word in gone:
        assert found(world.owner, word) == set(), word
    assert found(world.owner, "privmessage") == {"privmessage"}
    delete_todo(items["privtodo"])
    assert found(world.owner, "privtodo privtodocomment") == set()
    delete_project(world.project, confirmation=world.project.name)
    assert db.session.scalar(select(func.count()).select_from(SearchEntry)) == 0


def test_reindex_rebuilds_the_same_index(make, runner):
    world = build_world(make)
    before = entries()
    db.session.execute(SearchEntry.__table__.delete())
    db.session.commit()
    assert total(world.owner, "shared") == 0
    result = runner.invoke(args=["search", "reindex", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert f"Indexed {len(before)} item(s)." in result.output
    db.session.expire_all()
    assert entries() == before
    for word in EVERY_WORD:
        assert found(world.owner, word) == {word}
    assert total(world.client, "shared") == 8


def test_reindex_refuses_a_silly_batch_size(app, runner):
    result = runner.invoke(args=["search", "reindex", "--batch-size", "0"])
    assert result.exit_code == 2 and "batch-size" in result.output


def test_a_new_file_version_keeps_the_entry(make):
    world = build_world(make)
    access = project_access(world.project.id, user=world.owner)
    add_version(access, world.items["pubfile"], upload("v2.txt", b"second"))
    assert found(world.client, "pubfile") == {"pubfile"}


def test_a_comment_on_a_kind_search_does_not_know_is_left_out(make):
    owner = make.user("Olga")
    project = make.project("Odd", owner=owner)
    poll = Item(kind="poll", project_id=project.id)  # the item of a kind no domain registered
    db.session.add(poll)
    db.session.flush()
    db.session.add(Comment(project_id=project.id, subject_type="poll", subject_id=1,
                           subject_item_id=poll.id, author_id=owner.id, body="oddball",
                           body_html=""))
    db.session.commit()
    assert total(owner, "oddball") == 0
