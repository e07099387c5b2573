"""The index listens on the app's session, wired by the app factory: once however many apps
a process makes, and a bulk UPDATE refreshes entries only when it may change them."""

from __future__ import annotations

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from tests.conftest import count_queries, test_config
from tests.search.helpers import build_world, found
from workspace import create_app
from workspace.extensions import db
from workspace.messages.models import Message
from workspace.search.indexing import index_bulk_updates, index_flushed
from workspace.search.models import SearchEntry
from workspace.todos.models import Todo
from workspace.todos.operations import lock_lists


def entry_writes(statements: list[str]) -> list[str]:
    return [s for s in statements if "search_entries" in s and not s.lstrip().startswith("SELECT")]


def test_the_factory_wires_the_index_on_the_apps_session_only(make):
    assert event.contains(db.session, "after_flush", index_flushed)
    assert event.contains(db.session, "do_orm_execute", index_bulk_updates)
    world = build_world(make)
    with Session(db.engine) as elsewhere:  # not the app's session: the index does not listen
        elsewhere.get(Message, world.items["pubmessage"].id).body = "elsewhere"
        elsewhere.commit()
    assert found(world.owner, "elsewhere") == set() and found(world.owner, "pubmessage")


def test_an_app_made_again_indexes_each_change_once(make, database_url):
    create_app(test_config(database_url))
    world = build_world(make)
    message = world.items["pubmessage"]
    with count_queries() as counter:
        message.body = "again"
        db.session.commit()
    assert len(entry_writes(counter.statements)) == 1
    assert found(world.owner, "again") == {"again"}


def test_a_bulk_update_refreshes_entries_only_when_it_may_change_them(make):
    world = build_world(make)
    todo_list, todo = world.items["publist"], world.items["pubtodo"]
    with count_queries() as counter:
        lock_lists({todo_list.id})  # sets positions, which no entry shows
    assert entry_writes(counter.statements) == []
    db.session.execute(update(Todo).where(Todo.id == todo.id).values({Todo.notes: "bulkedit"}))
    db.session.commit()
    assert found(world.owner, "bulkedit") == {"bulkedit"}
    assert db.session.scalar(select(SearchEntry.body).where(
        SearchEntry.key_item_id == todo.item_id)) == "bulkedit"


def test_one_flush_writes_the_entries_of_each_kind_in_one_statement(make):
    from workspace.comments.models import Comment
    from workspace.comments.operations import add_comment
    from workspace.messages.operations import post_message
    from workspace.projects.access import project_access

    world = build_world(make)
    access = project_access(world.project.id, user=world.owner)
    for n in range(12):
        message = post_message(access, title=f"Many {n}", body="b", private=False, notify=())
        add_comment(message, f"comment {n}", by=world.owner)
    messages = db.session.scalars(select(Message).where(Message.title.like("Many %"))
                                  .order_by(Message.id)).all()
    comments = db.session.scalars(select(Comment).where(Comment.body.like("comment %"))
                                  .order_by(Comment.id)).all()
    with count_queries() as counter:
        for n, (message, comment) in enumerate(zip(messages, comments, strict=True)):
            message.title, comment.body = f"Renamed {n}", f"reworded{n}"
        db.session.commit()
    # messages, comments, and the comments following their messages' new titles: three
    assert len(entry_writes(counter.statements)) == 3
    subject_lookups = [s for s in counter.statements
                       if s.lstrip().startswith("SELECT") and "FROM messages" in s]
    assert len(subject_lookups) == 1
    assert found(world.owner, "reworded7") == {"reworded7"}
    assert db.session.scalar(select(SearchEntry.title).where(
        SearchEntry.key_item_id == comments[7].item_id)) == "Renamed 7"
