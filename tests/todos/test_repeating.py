"""Repeating to-dos: checking one off makes the next of its series in the same transaction,
exactly one even when two people check it off at once."""

from __future__ import annotations

import threading
from datetime import date

from flask import Flask
from sqlalchemy import select

from workspace.activity.models import Event
from workspace.extensions import db
from workspace.projects.access import project_access
from workspace.todos import operations
from workspace.todos.models import Todo, TodoList
from workspace.todos.repeats import next_due


def a_list(project) -> TodoList:  # type: ignore[no-untyped-def]
    todo_list = TodoList(project_id=project.id, name="Chores")
    db.session.add(todo_list)
    db.session.commit()
    return todo_list


def series(first: Todo) -> list[tuple[date, bool]]:
    db.session.expire_all()
    rows = db.session.scalars(select(Todo).where(Todo.text == first.text).order_by(Todo.due_on))
    return [(todo.due_on, todo.is_completed) for todo in rows]


def test_the_next_dates_of_each_rule():
    assert next_due("FREQ=DAILY", date(2026, 12, 31)) == date(2027, 1, 1)
    assert next_due("FREQ=WEEKLY;INTERVAL=2", date(2026, 12, 7)) == date(2026, 12, 21)
    assert next_due("FREQ=MONTHLY", date(2027, 1, 31)) == date(2027, 3, 31)  # no 31 February
    assert next_due("FREQ=YEARLY", date(2026, 3, 1)) == date(2027, 3, 1)


def test_checking_off_a_weekly_to_do_adds_the_next_one(make, client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    todo_list = a_list(project)
    team = client_for(ana)
    response = team.post(f"/projects/{project.id}/todolists/{todo_list.id}/todos", data={
        "text": "Water the plants", "due_on": "2026-12-07", "repeat": "FREQ=WEEKLY",
        "assignee": str(bo.id), "notes": "The **big** one"})
    assert response.status_code == 302
    first = db.session.scalar(select(Todo))
    assert first.repeat == "FREQ=WEEKLY"
    team.post(f"/projects/{project.id}/todos/{first.id}/complete")
    assert series(first) == [(date(2026, 12, 7), True), (date(2026, 12, 14), False)]
    following = db.session.scalar(select(Todo).where(Todo.completed_at.is_(None)))
    assert (following.assignee_id, following.notes, following.series_id) == (
        bo.id, "The **big** one", first.id)
    actions = db.session.scalars(select(Event.action).order_by(Event.id)).all()
    assert actions[-2:] == ["completed", "created"]
    # Reopened and checked off again: the series already has its next one.
    team.post(f"/projects/{project.id}/todos/{first.id}/reopen")
    team.post(f"/projects/{project.id}/todos/{first.id}/complete")
    assert series(first) == [(date(2026, 12, 7), True), (date(2026, 12, 14), False)]


def test_a_repeating_to_do_needs_a_due_date(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    todo_list = a_list(project)
    response = client_for(ana).post(f"/projects/{project.id}/todolists/{todo_list.id}/todos",
                                    data={"text": "Kept text", "repeat": "FREQ=DAILY"})
    assert response.status_code == 400
    assert "needs a due date" in response.get_data(as_text=True)
    assert 'value="Kept text"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Todo)) is None


def test_two_people_checking_it_off_at_once_make_one_next_copy(app: Flask, make):
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    todo_list = a_list(project)
    first = Todo(project_id=project.id, list_id=todo_list.id, text="Backup", position=1,
                 due_on=date(2026, 12, 7), repeat="FREQ=DAILY")
    db.session.add(first)
    db.session.commit()
    both_read = threading.Barrier(2)
    errors: list[BaseException] = []

    def check_off(user_id: int) -> None:
        try:
            with app.test_request_context():
                person = db.session.get(type(ana), user_id)
                project_access(project.id, user=person)
                todo = db.session.get(Todo, first.id)
                assert not todo.is_completed
                db.session.commit()  # end the read: both go on having seen it open
                both_read.wait(timeout=10)
                operations.complete_todo(todo, by=person)
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    for _ in range(5):  # several rounds: each a race
        threads = [threading.Thread(target=check_off, args=(user.id,)) for user in (ana, bo)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        db.session.expire_all()
        first = db.session.scalar(select(Todo).where(Todo.completed_at.is_(None)))
    assert [open_ for _, open_ in series(first)] == [True] * 5 + [False]
    days = [day for day, _ in series(first)]
    assert days == [date(2026, 12, 7 + n) for n in range(6)]
    completions = db.session.scalars(select(Event).where(Event.action == "completed")).all()
    assert len(completions) == 5
