"""Templates only show what their view read: no page runs a SQL statement while a template
renders (a lazy load, or a helper that queries), on the small demo's pages of every kind, nor
on an item's page shown again by the comment route with a form error."""

from __future__ import annotations

from flask import before_render_template, template_rendered
from sqlalchemy import event, func, select

from workspace.auth.models import User
from workspace.demo import OWNER_EMAIL, SIZES, build_demo
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.messages.models import Message
from workspace.milestones.models import Milestone
from workspace.projects.models import Project
from workspace.todos.models import Todo


def item_pages() -> list[str]:
    project = db.session.scalar(select(func.min(Project.id)))
    prefix = f"/projects/{project}"

    def first(model: type) -> int:
        return db.session.scalar(select(func.min(model.id)).where(model.project_id == project))

    return [prefix, "/notifications", "/activity", f"{prefix}/messages",
            f"{prefix}/messages/{first(Message)}", f"{prefix}/todolists",
            f"{prefix}/todos/{first(Todo)}", f"{prefix}/milestones",
            f"{prefix}/milestones/{first(Milestone)}", f"{prefix}/files",
            f"{prefix}/files/{first(ProjectFile)}"]


def test_no_template_runs_a_query(app, client_for):
    build_demo(SIZES["small"])
    client = client_for(User.by_email(OWNER_EMAIL))
    rendering: list[str] = []
    during: list[tuple[str, str]] = []

    def started(sender, template, context, **extra):  # type: ignore[no-untyped-def]
        rendering.append(template.name)

    def ended(sender, template, context, **extra):  # type: ignore[no-untyped-def]
        rendering.pop()

    def ran(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if rendering:
            during.append((rendering[-1], statement))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", ran)
    try:
        with before_render_template.connected_to(started, app), \
                template_rendered.connected_to(ended, app):
            for path in item_pages():
                assert client.get(path).status_code == 200, path
            for path in item_pages()[4::2]:  # each kind's item page, its comment refused
                assert client.post(f"{path}/comments", data={"body": ""}).status_code == 400
    finally:
        event.remove(engine, "before_cursor_execute", ran)
    assert during == []
