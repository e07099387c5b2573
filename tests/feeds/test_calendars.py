"""Calendars: a window of months around today plus whatever is open; a poll answered from
validators before anything is built; documents any iCalendar parser reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import event

from tests.conftest import count_queries
from tests.milestones.helpers import add, created, url
from workspace.extensions import db
from workspace.feeds import ical
from workspace.feeds.calendars import Window
from workspace.projects.models import Role
from workspace.todos.models import Todo, TodoList
from workspace.types import utcnow

CALENDARS = ["/projects/{id}/milestones.ics", "/milestones.ics"]
DONE = datetime(2020, 1, 1, tzinfo=UTC)


def today() -> date:
    return utcnow().date()


def calendar_of(client, path: str, project, user, **headers):  # type: ignore[no-untyped-def]
    separator = "&" if "?" in path else "?"
    response = client.get(path.format(id=project.id) + f"{separator}token={user.feed_token}",
                          headers=headers)
    assert response.status_code == 200, response.data
    return response, Calendar.from_ical(response.data)


def summaries(calendar: Calendar) -> set[str]:
    return {str(c["SUMMARY"]) for c in calendar.walk() if c.name in ("VEVENT", "VTODO")}


def add_todo(project, todo_list: TodoList, text: str, due_on: date | None,
             completed: bool = False, assignee=None) -> Todo:  # type: ignore[no-untyped-def]
    todo = Todo(project_id=project.id, list_id=todo_list.id, text=text, due_on=due_on,
                private=todo_list.private, completed_at=DONE if completed else None,
                assignee_id=assignee.id if assignee else None)
    db.session.add(todo)
    db.session.commit()
    return todo


@pytest.fixture
def scene(make):  # type: ignore[no-untyped-def]
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project("Launch", owner=ana, clients=(cy,))
    todo_list = TodoList(project_id=project.id, name="Chores")
    db.session.add(todo_list)
    db.session.commit()
    return project, todo_list, ana, cy


@pytest.mark.parametrize("path", CALENDARS)
def test_a_calendar_holds_its_window_and_whatever_is_still_open(scene, client, path):
    project, todo_list, ana, _ = scene
    long_ago, far_ahead = today() - timedelta(days=400), today() + timedelta(days=800)
    add(project, ana, "Old and done", due_on=long_ago, completed_at=DONE)
    add(project, ana, "Old and open", due_on=long_ago)
    add(project, ana, "Recently done", due_on=today() - timedelta(days=20), completed_at=DONE)
    add(project, ana, "Far and done", due_on=far_ahead, completed_at=DONE)
    add(project, ana, "Far and open", due_on=far_ahead)
    add_todo(project, todo_list, "Old chore done", long_ago, completed=True, assignee=ana)
    add_todo(project, todo_list, "Old chore open", long_ago, assignee=ana)
    add_todo(project, todo_list, "Chore done last week", today() - timedelta(days=7), True, ana)
    add_todo(project, todo_list, "Undated chore", None, assignee=ana)

    _, calendar = calendar_of(client, path, project, ana)

    assert summaries(calendar) == {
        "Old and open", "✓ Recently done", "Far and open", "Old chore open",
        "✓ Chore done last week",
    }
    _, tasks = calendar_of(client, path + "?todos=vtodo", project, ana)
    statuses = {str(t["SUMMARY"]): str(t["STATUS"]) for t in tasks.walk("VTODO")}
    assert statuses == {"Old chore open": "NEEDS-ACTION", "Chore done last week": "COMPLETED"}


def test_a_person_s_calendar_holds_only_the_to_dos_assigned_to_them(scene, client, make):
    project, todo_list, ana, _ = scene
    bo = make.user("Bo")
    make.join(project, bo, Role.MEMBER)
    add(project, ana, "Beta")
    add_todo(project, todo_list, "Mine", today(), assignee=ana)
    add_todo(project, todo_list, "Bo's", today(), assignee=bo)
    add_todo(project, todo_list, "Nobody's", today())

    assert summaries(calendar_of(client, CALENDARS[0], project, ana)[1]) == {
        "Beta", "Mine", "Bo's", "Nobody's"}
    assert summaries(calendar_of(client, CALENDARS[1], project, ana)[1]) == {"Beta", "Mine"}
    assert summaries(calendar_of(client, CALENDARS[1], project, bo)[1]) == {"Beta", "Bo's"}


@pytest.mark.parametrize("path", CALENDARS)
def test_entries_keep_their_uid_and_bump_their_sequence_on_change(scene, client, client_for,
                                                                  path):
    """A subscribed calendar replaces an entry whose SEQUENCE grew (RFC 5545 3.8.7.4): every
    change a calendar shows bumps it, changes it does not show (a to-do's place) do not."""
    project, todo_list, ana, _ = scene
    team = client_for(ana)
    milestone = created(team, project, "Beta", due_on=today().isoformat())
    todo = add_todo(project, todo_list, "Print", today(), assignee=ana)
    add_todo(project, todo_list, "Fold", today(), assignee=ana)

    def entries() -> dict[str, tuple[str, int]]:
        _, calendar = calendar_of(client, path, project, ana)
        return {str(e["SUMMARY"]).removeprefix("✓ "): (str(e["UID"]), int(e["SEQUENCE"]))
                for e in calendar.walk("VEVENT")}

    first = entries()
    assert {sequence for _, sequence in first.values()} == {0}
    assert first["Print"][0] == f"todo-{todo.id}@workspace.test"
    assert first["Beta"][0] == f"milestone-{milestone.id}@workspace.test"
    team.post(f"/projects/{project.id}/todos/{todo.id}/complete")
    team.post(url(milestone, "edit"), data={"title": "Beta", "due_on": today().isoformat(),
                                            "responsible": "", "notes": "New notes"})
    second = entries()
    assert second["Print"] == (first["Print"][0], 1)
    assert second["Beta"] == (first["Beta"][0], 1)
    assert second["Fold"] == first["Fold"]
    team.post(f"/projects/{project.id}/todos/{todo.id}/reopen")
    team.post(f"/projects/{project.id}/todos/{todo.id}/move",
              data={"list_id": todo_list.id, "index": 1})
    assert entries()["Print"] == (first["Print"][0], 2)


def test_the_window_moves_a_month_at_a_time():
    december = Window.around(date(2026, 12, 4))
    assert (december.start, december.end) == (date(2026, 9, 1), date(2027, 12, 31))
    assert december.since == datetime(2026, 12, 1, tzinfo=UTC)
    assert Window.around(date(2026, 12, 31)) == december
    january = Window.around(date(2027, 1, 1))
    assert (january.start, january.end) == (date(2026, 10, 1), date(2028, 1, 31))


@pytest.mark.parametrize("path", CALENDARS)
def test_a_poll_is_answered_before_any_item_is_read(scene, client, client_for, path):
    project, todo_list, ana, cy = scene
    created(client_for(ana), project, "Beta")  # and its event, which the validators read
    add_todo(project, todo_list, "Print", today())
    for person in (ana, cy):
        address = path.format(id=project.id) + f"?token={person.feed_token}"
        first = client.get(address)
        with count_queries() as poll:
            cached = client.get(address, headers={"If-None-Match": first.headers["ETag"]})
        with count_queries() as by_date:
            dated = client.get(address,
                               headers={"If-Modified-Since": first.headers["Last-Modified"]})
        with count_queries() as again:
            kept = client.get(address)

        assert cached.status_code == 304 and dated.status_code == 304 and cached.data == b""
        assert kept.data == first.data and kept.headers["ETag"] == first.headers["ETag"]
        # A project's: the person with the project, events; a person's: the person, their
        # projects' versions, the newest event.
        queries = 2 if path.startswith("/projects") else 3
        for counter in (poll, by_date, again):
            assert counter.count == queries, counter.statements
            assert not any("milestones" in s or "todos" in s for s in counter.statements)


@pytest.mark.parametrize("path", CALENDARS)
def test_a_poll_writes_nothing_and_sets_no_cookie(scene, client, path):
    project, todo_list, ana, cy = scene
    add(project, ana, "Beta")
    add_todo(project, todo_list, "Print", today())
    for person in (ana, cy):
        address = path.format(id=project.id) + f"?token={person.feed_token}"
        with count_queries() as counter:
            first = client.get(address)
            kept = client.get(address)
            cached = client.get(address, headers={"If-None-Match": first.headers["ETag"]})
        writes = [s for s in counter.statements if not s.lstrip().upper().startswith("SELECT")]
        assert writes == []
        assert cached.status_code == 304
        for response in (first, kept, cached):
            assert "Set-Cookie" not in response.headers
            assert response.headers["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("path", CALENDARS)
def test_every_change_a_calendar_shows_changes_its_validator(scene, client, client_for, path):
    project, todo_list, ana, _ = scene
    team = client_for(ana)
    milestone = created(team, project, "Beta", due_on=(today() + timedelta(days=5)).isoformat())
    todo = add_todo(project, todo_list, "Print", today(), assignee=ana)
    seen = [calendar_of(client, path, project, ana)[0].headers["ETag"]]

    def changed_to(new_date: date) -> None:
        response, calendar = calendar_of(client, path, project, ana,
                                         **{"If-None-Match": seen[-1]})
        seen.append(response.headers["ETag"])
        beta = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).endswith("Beta"))
        assert beta.decoded("DTSTART") == new_date

    later = today() + timedelta(days=9)
    team.post(url(milestone, "edit"), data={"title": "Beta", "due_on": later.isoformat(),
                                            "responsible": "", "notes": ""})
    changed_to(later)
    team.post(url(milestone, "complete"))
    changed_to(later)
    team.post(f"/projects/{project.id}/todos/{todo.id}/complete")
    changed_to(later)
    team.post(f"/projects/{project.id}/todos/{todo.id}/delete")
    changed_to(later)
    team.post(f"/projects/{project.id}/edit", data={"name": "Launch 2", "description": ""})
    if path.startswith("/projects"):
        response, calendar = calendar_of(client, path, project, ana,
                                         **{"If-None-Match": seen[-1]})
        seen.append(response.headers["ETag"])
        assert str(calendar["X-WR-CALNAME"]) == "Launch 2"
    assert len(set(seen)) == len(seen)


@pytest.mark.parametrize("path", CALENDARS)
def test_a_new_month_moves_the_window_and_the_validator(scene, client, monkeypatch, path):
    project, _, ana, _ = scene
    add(project, ana, "Done in the summer", due_on=date(2026, 7, 15), completed_at=DONE)
    monkeypatch.setattr("workspace.feeds.views.utcnow",
                        lambda: datetime(2026, 10, 31, 12, tzinfo=UTC))
    october, calendar = calendar_of(client, path, project, ana)
    assert summaries(calendar) == {"✓ Done in the summer"}
    monkeypatch.setattr("workspace.feeds.views.utcnow",
                        lambda: datetime(2026, 11, 1, 12, tzinfo=UTC))
    november, calendar = calendar_of(client, path, project, ana,
                                     **{"If-None-Match": october.headers["ETag"],
                                        "If-Modified-Since": october.headers["Last-Modified"]})
    assert summaries(calendar) == set()
    assert november.headers["Last-Modified"] == "Sun, 01 Nov 2026 00:00:00 GMT"


def test_awkward_text_is_escaped_folded_and_read_back_intact(scene, client, client_for):
    project, todo_list, ana, _ = scene
    title = "Réunion; budget, \\ plan 🚀 " + "é" * 60
    notes = "Line one,\r\nline two; with a \\ and\ta tab\x07 " + "🚀" * 40
    milestone = created(client_for(ana), project, title, due_on=today().isoformat(),
                        notes=notes)
    add_todo(project, todo_list, "Print\nflyers, quickly", today(), assignee=ana)

    for path in CALENDARS:
        response, calendar = calendar_of(client, path, project, ana)
        lines = response.data.split(b"\r\n")
        assert response.data.endswith(b"END:VCALENDAR\r\n") and b"\n" not in b"".join(lines)
        assert max(len(line) for line in lines) <= 75
        event = next(iter(calendar.walk("VEVENT")))
        assert str(event["SUMMARY"]) == title
        assert str(event["DESCRIPTION"]) == "Open\n" + notes.replace("\r\n", "\n").replace(
            "\x07", "")
        assert str(event["URL"]).startswith("http") and event["URL"].endswith(url(milestone))
        assert "Print\nflyers, quickly" in summaries(calendar)
        _, tasks = calendar_of(client, path + "?todos=vtodo", project, ana)
        assert str(next(iter(tasks.walk("VTODO")))["SUMMARY"]) == "Print\nflyers, quickly"


def test_folding_never_splits_a_character_and_short_lines_stay_whole():
    assert ical.fold("SUMMARY:short") == "SUMMARY:short"
    for text in ("a" * 200, "é" * 100, "🚀" * 60, "x" + "🚀" * 60):
        folded = ical.fold(f"DESCRIPTION:{text}")
        parts = folded.split("\r\n")
        assert all(len(part.encode()) <= 75 for part in parts)
        assert all(part.startswith(" ") for part in parts[1:])
        assert "".join(part.removeprefix(" ") if i else part
                       for i, part in enumerate(parts)) == f"DESCRIPTION:{text}"
    assert ical.text("a\\b;c,d\re\r\nf\ng\x00") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert ical.instant(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "20260102T030405Z"
    assert ical.day(date(2026, 1, 2)) == "20260102"


WINDOW_INDEXES = ("ix_milestones_project_id_completed_at", "ix_milestones_project_id_due_on",
                  "ix_todos_project_id_completed_at_due_on", "ix_todos_project_id_due_on",
                  "ix_todos_assignee_id_completed_at")  # a person's calendar: their to-dos


def plan_of(statement: str, parameters: object) -> list[str]:
    """The lines of the plan that read milestones or to-dos."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        lines = [row[-1] for row in rows]
        return [line for line in lines if " todos " in line or " milestones " in line]
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")  # tiny tables: ask for plans
    lines = [row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)]
    return [line for line in lines if " on todos" in line or " on milestones" in line]


def test_items_are_read_through_the_window_indexes(scene, client, client_for):
    """Old finished items must cost nothing: each half of the calendar's queries reads one
    index range of a project, never all of its items."""
    project, todo_list, ana, cy = scene
    created(client_for(ana), project, "Beta")
    add_todo(project, todo_list, "Print", today())
    executed: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, *args):  # type: ignore[no-untyped-def]
        executed.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for person, path in ((ana, CALENDARS[0]), (cy, CALENDARS[0]), (ana, CALENDARS[1])):
            calendar_of(client, path, project, person)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    reads = [(s, p) for s, p in executed if "FROM todos" in s or "FROM milestones" in s]
    assert len(reads) == 6
    for statement, parameters in reads:
        plan = plan_of(statement, parameters)
        assert len(plan) >= 2, plan
        for line in plan:
            assert any(index in line for index in WINDOW_INDEXES), plan
    db.session.rollback()


def test_a_person_without_projects_gets_an_empty_calendar(make, client):
    loner = make.user("Lone")
    address = f"/milestones.ics?token={loner.feed_token}"
    first = client.get(address)
    assert first.status_code == 200
    assert summaries(Calendar.from_ical(first.data)) == set()
    assert client.get(address, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
