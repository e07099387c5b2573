"""The migrations build exactly the models' schema, on every backend."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tests.conftest import BACKENDS, scratch_postgres_database, test_config
from workspace import create_app
from workspace.extensions import db
from workspace.search.models import include_object


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    with scratch_postgres_database(f"workspace_migrations_{os.getpid()}") as url:
        yield url


def schema_differences() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        return compare_metadata(context, db.metadata)


def test_migrations_match_the_models(empty_database_url: str) -> None:
    app = create_app(test_config(empty_database_url))
    with app.app_context():
        upgrade()
        assert schema_differences() == []
        db.engine.dispose()


def test_migrations_downgrade_to_nothing(empty_database_url: str) -> None:
    app = create_app(test_config(empty_database_url))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            tables = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()


# -- the items table: references backfilled from the previous revision's data ------------------

BEFORE_ITEMS = "b605ce2cfcc3"


def filled(table: sa.Table, values: dict[str, object]) -> dict[str, object]:
    """`values` and a plain value for every other required column, so that a row of the
    previous revision can be written without its models."""
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        python_type = column.type.python_type
        row[column.name] = {bool: False, int: 0, str: "x", datetime: datetime(2026, 1, 1),
                            date: date(2026, 1, 1)}[python_type]
    return row


def old_rows(connection: sa.Connection) -> None:
    """Two projects' worth of items of every kind, with comments, attachments, events, a
    notification, and one event about a message that is long gone."""
    tables = sa.MetaData()
    tables.reflect(connection)

    def add(table_name: str, /, **values: object) -> None:
        table = tables.tables[table_name]
        connection.execute(sa.insert(table).values(filled(table, values)))

    add("users", id=1, email="ana@example.com", name="Ana")
    for project in (1, 2):
        add("projects", id=project, name=f"P{project}")
    add("messages", id=1, project_id=1, title="Launch", private=True)
    add("messages", id=2, project_id=2, title="Other")
    add("message_subscriptions", message_id=1, user_id=1)
    add("todo_lists", id=1, project_id=1, name="List")
    add("todos", id=1, project_id=1, list_id=1, text="Do")
    add("milestones", id=1, project_id=1, title="Ship")
    add("files", id=1, project_id=1, name="free.txt")
    add("comments", id=1, project_id=1, subject_type="message", subject_id=1)
    add("comments", id=2, project_id=1, subject_type="todo", subject_id=1)
    add("comments", id=3, project_id=1, subject_type="file", subject_id=1)
    add("files", id=2, project_id=1, name="on-message.txt", attached_type="message",
        attached_id=1)
    add("files", id=3, project_id=1, name="on-comment.txt", attached_type="message",
        attached_id=1, comment_id=1)
    for file_id in (1, 2, 3):
        add("file_versions", file_id=file_id, number=1, sha256=f"{file_id:064}")
    events = [("message", 1, "message", 1), ("message", 1, "comment", 1),
              ("todo", 1, "comment", 2), ("todolist", 1, "todolist", 1),
              ("milestone", 1, "milestone", 1), ("file", 2, "file", 2),
              ("message", 2, "message", 2), ("message", 99, "message", 99)]
    for number, (subject_type, subject_id, target_type, target_id) in enumerate(events, 1):
        add("events", id=number, project_id=1 if subject_id != 2 else 2, action="created",
            subject_type=subject_type, subject_id=subject_id, target_type=target_type,
            target_id=target_id)
    add("notifications", user_id=1, event_id=2)
    add("search_entries", kind="message", item_id=1, message_id=1, project_id=1,
        subject_type="message", subject_id=1)


def test_migration_gives_every_item_its_row_and_keys(empty_database_url: str) -> None:
    app = create_app(test_config(empty_database_url))
    with app.app_context():
        upgrade(revision=BEFORE_ITEMS)
        with db.engine.begin() as connection:
            old_rows(connection)
        upgrade()
        with db.engine.begin() as connection:
            def one(sql: str) -> object:
                return connection.execute(sa.text(sql)).scalar_one()

            def item(table: str, row_id: int) -> int:
                return one(f"SELECT item_id FROM {table} WHERE id = {row_id}")

            kinds = dict(connection.execute(sa.text("SELECT id, kind FROM items")).all())
            assert sorted(kinds.values()) == sorted(["message"] * 2 + ["todolist", "todo",
                                                    "milestone"] + ["file"] * 3 + ["comment"] * 3)
            assert kinds[item("messages", 2)] == "message" and kinds[item("todos", 1)] == "todo"
            parents = dict(connection.execute(sa.text("SELECT id, parent_id FROM items")).all())
            message = item("messages", 1)
            assert parents[item("comments", 1)] == message
            assert parents[item("comments", 3)] == item("files", 1)
            assert parents[item("todos", 1)] == item("todo_lists", 1)
            assert parents[item("files", 2)] == message
            assert parents[item("files", 3)] == item("comments", 1)
            assert parents[item("files", 1)] is None and parents[message] is None
            assert one("SELECT subject_item_id FROM comments WHERE id = 2") == item("todos", 1)
            assert one("SELECT attached_item_id FROM files WHERE id = 3") == message
            events = connection.execute(sa.text(
                "SELECT id, subject_item_id, target_item_id FROM events ORDER BY id")).all()
            assert [tuple(row) for row in events] == [
                (1, message, message), (2, message, item("comments", 1)),
                (3, item("todos", 1), item("comments", 2)),
                (4, item("todo_lists", 1), item("todo_lists", 1)),
                (5, item("milestones", 1), item("milestones", 1)),
                (6, item("files", 2), item("files", 2)),
                (7, item("messages", 2), item("messages", 2))]  # 8 was about nothing
            # Batch mode rebuilt the tables without deleting what refers to them.
            assert one("SELECT count(*) FROM message_subscriptions") == 1
            assert one("SELECT key_item_id FROM search_entries") == message
            assert one("SELECT count(*) FROM file_versions") == 3

            connection.execute(sa.text(f"DELETE FROM items WHERE id = {message}"))
            assert one("SELECT count(*) FROM messages") == 1
            assert one("SELECT count(*) FROM comments") == 2  # on the to-do and the file
            assert one("SELECT count(*) FROM files") == 1
            assert one("SELECT count(*) FROM file_versions") == 1
            assert [row[0] for row in connection.execute(sa.text(
                "SELECT id FROM events ORDER BY id"))] == [3, 4, 5, 7]
            assert one("SELECT count(*) FROM notifications") == 0
            assert one("SELECT count(*) FROM message_subscriptions") == 0
            assert one("SELECT count(*) FROM search_entries") == 0
            # New items come after the backfilled ones (PostgreSQL's sequence follows).
            connection.execute(sa.text("INSERT INTO items (kind, project_id) VALUES ('todo', 1)"))
        db.engine.dispose()
