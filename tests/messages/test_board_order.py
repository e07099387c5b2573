"""The board lists the thread posted or commented on last first, as Basecamp does, and says
who commented last and when; the order is read from an index, whatever the board's size."""

from __future__ import annotations

import re
from datetime import datetime

from flask_migrate import upgrade
from sqlalchemy import event

from tests.conftest import test_config
from tests.messages.helpers import comment, posted
from tests.test_migrations import empty_database_url  # noqa: F401 (fixture)
from workspace import create_app
from workspace.comments.models import Comment
from workspace.extensions import db


def board_titles(client, project) -> list[str]:
    page = client.get(f"/projects/{project.id}/messages").text
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a>', page)


def test_a_fresh_comment_lifts_its_thread_to_the_top(make, client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    ana_client, bo_client = client_for(ana), client_for(bo)
    old = posted(ana_client, project, title="Old plan")
    posted(ana_client, project, title="New idea")
    assert board_titles(ana_client, project) == ["New idea", "Old plan"]
    comment(bo_client, old, "Still relevant")
    assert board_titles(ana_client, project) == ["Old plan", "New idea"]
    page = ana_client.get(f"/projects/{project.id}/messages").text
    assert "1 comment, last comment by Bo, " in page


def test_deleting_the_last_comment_puts_the_thread_back(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    old = posted(client, project, title="Old plan")
    posted(client, project, title="New idea")
    comment(client, old, "A thought")
    the_comment = db.session.scalars(db.select(Comment)).one()
    client.post(f"/projects/{project.id}/comments/{the_comment.id}/delete")
    db.session.refresh(old)
    assert old.last_activity_at == old.created_at
    assert board_titles(client, project) == ["New idea", "Old plan"]


def test_the_board_is_read_in_order_from_its_index(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    posted(client, project, title="Plan")
    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, *args):  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get(f"/projects/{project.id}/messages")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    board = [(s, p) for s, p in statements if "ORDER BY messages.last_activity_at DESC" in s]
    assert len(board) == 1
    sqlite = db.engine.dialect.name == "sqlite"
    with db.engine.connect() as connection:
        if not sqlite:  # a tiny table would be scanned: judge the plan's shape
            connection.exec_driver_sql("SET enable_seqscan = off")
        plan = " | ".join(str(row[-1]) for row in connection.exec_driver_sql(
            f"{'EXPLAIN QUERY PLAN' if sqlite else 'EXPLAIN'} {board[0][0]}", board[0][1]))
    assert "ix_messages_project_id_last_activity_at" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort Key" not in plan, plan


def test_the_migration_fills_last_activity_from_comments(empty_database_url):  # noqa: F811
    app = create_app(test_config(empty_database_url))
    posted_at, commented_at = datetime(2026, 1, 5, 9), datetime(2026, 2, 1, 17)
    with app.app_context():
        upgrade(revision="a2114ebf719c")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO projects (id, name, description, created_at, activity_version, "
                "timezone, alert_days_before, alert_on_the_day, alert_when_late) "
                "VALUES (1, 'P', '', '2026-01-01', 0, 'UTC', 2, true, true)")
            for id_, last in ((1, None), (2, commented_at)):
                connection.execute(db.text(
                    "INSERT INTO messages (id, project_id, title, body, body_html, private, "
                    "created_at, comments_count, last_comment_at) "
                    "VALUES (:id, 1, 't', 'b', 'b', false, :at, :count, :last)"),
                    {"id": id_, "at": posted_at, "count": int(last is not None), "last": last})
        upgrade()
        with db.engine.connect() as connection:
            filled = dict(connection.exec_driver_sql(
                "SELECT id, last_activity_at FROM messages ORDER BY id").all())
        db.engine.dispose()
    as_text = {key: str(value)[:19] for key, value in filled.items()}
    assert as_text == {1: "2026-01-05 09:00:00", 2: "2026-02-01 17:00:00"}
