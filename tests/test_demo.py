"""`workspace demo`: a realistic data set, the same every time, never over existing data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from workspace.activity.models import Event
from workspace.auth.models import User
from workspace.comments.following import followers_of
from workspace.comments.models import Comment
from workspace.demo import DEMO_PASSWORD, DOCUMENT_PLACES, OWNER_EMAIL, SIZES, build_demo
from workspace.documents.models import Document, DocumentVersion
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.folders.models import Folder
from workspace.messages.models import Message
from workspace.milestones.models import Milestone
from workspace.projects.models import Membership, Project, Role
from workspace.schedule.models import CalendarEvent, EventException
from workspace.search.models import SearchEntry
from workspace.todos.models import Todo, TodoList

SMALL = SIZES["small"]

pytestmark = pytest.mark.usefixtures("app")


def count(model: type, *where: object) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_small_demo_has_the_sizes_it_promises(runner):
    result = runner.invoke(args=["demo", "--size", "small"])

    assert result.exit_code == 0, result.output
    assert (count(Project), count(User), count(Message), count(Comment), count(Todo),
            count(Milestone), count(ProjectFile)) == (
        SMALL.projects, SMALL.people, SMALL.messages, SMALL.comments, SMALL.todos,
        SMALL.milestones, SMALL.files)
    assert f"Sign in as {OWNER_EMAIL}" in result.output
    indexed = SMALL.messages + SMALL.comments + SMALL.todos + SMALL.milestones + SMALL.files
    assert count(SearchEntry) == indexed + count(TodoList) + count(Document) + count(Folder) + \
        count(CalendarEvent)


def test_every_project_has_clients_and_private_items_and_the_demo_owner():
    build_demo("small")
    owner = User.by_email(OWNER_EMAIL)

    for project in db.session.scalars(select(Project)):
        roles = dict(db.session.execute(
            select(Membership.user_id, Membership.role).where(Membership.project_id == project.id)
        ).all())
        assert roles[owner.id] is Role.OWNER
        assert list(roles.values()).count(Role.CLIENT) == SMALL.clients_per_project
    for model in (Message, TodoList, Todo, ProjectFile):
        assert count(model, model.private.is_(True)) > 0
        assert count(model, model.private.is_(False)) > 0
    # Todos carry their list's mark, and events their subject's.
    assert count(Todo, Todo.private != select(TodoList.private).where(
        TodoList.id == Todo.list_id).scalar_subquery()) == 0
    assert count(Event, Event.subject_type == "message", Event.private != select(
        Message.private).where(Message.id == Event.subject_id).scalar_subquery()) == 0


def test_counters_and_the_order_of_events_agree_with_the_rows():
    build_demo("small")

    comments = dict(db.session.execute(
        select(Comment.subject_id, func.count()).group_by(Comment.subject_id)).all())
    for message in db.session.scalars(select(Message)):
        assert message.comments_count == comments.get(message.id, 0)
    assert max(comments.values()) == 200  # the long thread of the benchmark
    times = db.session.scalars(select(Event.created_at).order_by(Event.id)).all()
    assert times == sorted(times)


def test_demo_people_sign_in_and_files_download(app, client):
    build_demo("small")
    project_file = db.session.scalars(select(ProjectFile).where(
        ProjectFile.private.is_(False)).order_by(ProjectFile.id)).first()

    signed_in = client.post("/login", data={"email": OWNER_EMAIL, "password": DEMO_PASSWORD})
    download = client.get(f"/projects/{project_file.project_id}/files/{project_file.id}"
                          "/download")

    assert signed_in.status_code == 302
    assert download.status_code == 200
    assert download.data.startswith(b"Demo file ")
    assert len(download.data) == project_file.size


def test_the_same_seed_builds_the_same_data_set():
    build_demo("small")
    first = db.session.execute(select(Message.title, Message.private).order_by(Message.id)).all()

    build_demo("small", force=True)
    second = db.session.execute(select(Message.title, Message.private).order_by(Message.id)).all()

    assert second[len(first):] == first


def test_the_demo_refuses_a_database_with_accounts(runner, make):
    make.user("Ana", email="ana@example.org")

    refused = runner.invoke(args=["demo", "--size", "small"])

    assert refused.exit_code != 0
    assert "already has accounts" in refused.output
    assert (count(User), count(Project)) == (1, 0)
    assert User.by_email("ana@example.org").check_password(PASSWORD)
    forced = runner.invoke(args=["demo", "--size", "small", "--force"])
    assert forced.exit_code == 0, forced.output
    assert count(User) == 1 + SMALL.people



def test_every_project_has_documents_with_versions_in_folders_and_their_followers(
        client_for):
    build_demo("small")

    assert count(Document) == SMALL.projects * len(DOCUMENT_PLACES)
    assert count(Folder, Folder.private.is_(True)) == SMALL.projects
    numbers = dict(db.session.execute(select(DocumentVersion.document_id,
                                             func.max(DocumentVersion.number))
                                      .group_by(DocumentVersion.document_id)).all())
    for document in db.session.scalars(select(Document)):
        assert numbers[document.id] == document.version_count >= 2
        folder = db.session.get(Folder, document.folder_id) if document.folder_id else None
        assert document.private == bool(folder and folder.private)
        assert document.author_id in {user.id for user in followers_of(document)}
    assert count(Event, Event.subject_type == "document", Event.private != select(
        Document.private).where(Document.id == Event.subject_id).scalar_subquery()) == 0
    hidden = db.session.scalars(select(Document).where(Document.private.is_(True))).first()
    client_id = db.session.scalar(select(Membership.user_id).where(
        Membership.project_id == hidden.project_id, Membership.role == Role.CLIENT))
    owner = User.by_email(OWNER_EMAIL)
    url = f"/projects/{hidden.project_id}/documents/{hidden.id}"
    assert client_for(owner).get(url).status_code == 200
    assert client_for(db.session.get(User, client_id)).get(url).status_code == 404


def test_every_project_has_a_small_schedule_its_clients_see_but_the_private_event(client_for):
    """A weekly meeting with one date moved, an all-day offsite and a private planning: three
    events a project whatever the size, shown on the schedule pages and the calendars."""
    build_demo("small")

    assert count(CalendarEvent) == 3 * SMALL.projects
    assert count(EventException) == SMALL.projects
    assert count(CalendarEvent, CalendarEvent.rule.is_not(None)) == SMALL.projects
    assert count(CalendarEvent, CalendarEvent.all_day.is_(True)) == SMALL.projects
    assert count(CalendarEvent, CalendarEvent.private.is_(True)) == SMALL.projects
    owner = User.by_email(OWNER_EMAIL)
    for event in db.session.scalars(select(CalendarEvent)):
        assert event.timing.check() is None and event.author_id in {
            user.id for user in followers_of(event)}
        assert all(event.timing.has_occurrence(e.original_start) for e in event.exceptions)
    moved = db.session.scalars(select(EventException)).first()
    project_id = db.session.get(CalendarEvent, moved.event_id).project_id
    day = moved.starts_at.date().isoformat()
    client_id = db.session.scalar(select(Membership.user_id).where(
        Membership.project_id == project_id, Membership.role == Role.CLIENT))
    month = f"/projects/{project_id}/schedule?month={day[:7]}"
    team_page = client_for(owner).get(month).get_data(as_text=True)
    client_page = client_for(db.session.get(User, client_id)).get(month).get_data(as_text=True)
    assert "Weekly meeting (moved to Tuesday)" in team_page
    assert "Weekly meeting (moved to Tuesday)" in client_page
    planning = db.session.scalar(select(CalendarEvent).where(
        CalendarEvent.project_id == project_id, CalendarEvent.private.is_(True)))
    planning_page = f"/projects/{project_id}/events/{planning.id}"
    assert client_for(owner).get(planning_page).status_code == 200
    assert client_for(db.session.get(User, client_id)).get(planning_page).status_code == 404
