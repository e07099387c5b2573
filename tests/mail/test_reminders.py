"""Reminders of events and dated to-dos: each once, at the time the person chose (or their
default), where they are; with two schedulers at once, and clocks at UTC+14 and UTC-10."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from tests.mail.test_notifications import deliver
from tests.schedule.helpers import add_event
from workspace.alerts.models import ReminderDefault, SentReminder
from workspace.alerts.reminders import send_due_reminders
from workspace.comments.following import follow, unfollow
from workspace.extensions import db
from workspace.mail.models import OutboxEmail
from workspace.projects.models import Role
from workspace.schedule.models import Attendance, CalendarEvent
from workspace.todos.models import Todo, TodoList

KIRITIMATI, HONOLULU = "Pacific/Kiritimati", "Pacific/Honolulu"  # UTC+14, UTC-10


@pytest.fixture
def team(make):  # type: ignore[no-untyped-def]
    ana = make.user("Ana", email="ana@example.org")
    bo = make.user("Bo", email="bo@example.org")
    ana.timezone, bo.timezone = KIRITIMATI, HONOLULU
    project = make.project("Launch", owner=ana, members=(bo,))
    todo_list = TodoList(project_id=project.id, name="Chores")
    db.session.add(todo_list)
    db.session.commit()
    return project, todo_list, ana, bo


def run(app: Flask, now: datetime) -> list[tuple[int, int]]:
    with app.test_request_context():
        return [(sent.item_id, sent.user_id) for sent in send_due_reminders(now)]


def emails() -> list[str]:
    return sorted(db.session.scalars(select(OutboxEmail.to_address)))


def test_a_to_do_is_reminded_the_day_before_at_nine_where_its_person_is(app, team):
    project, todo_list, ana, bo = team
    for person in (ana, bo):
        db.session.add(Todo(project_id=project.id, list_id=todo_list.id, text="Renew",
                            due_on=date(2030, 6, 10), assignee_id=person.id))
    db.session.commit()
    # 09:00 on 9 June is 19:00 UTC on the 8th at UTC+14, 19:00 UTC on the 9th at UTC-10.
    ana_time = datetime(2030, 6, 8, 19, tzinfo=UTC)
    bo_time = datetime(2030, 6, 9, 19, tzinfo=UTC)
    assert run(app, ana_time - timedelta(minutes=1)) == []
    assert [user for _, user in run(app, ana_time)] == [ana.id]
    assert run(app, ana_time + timedelta(hours=3)) == []
    assert run(app, bo_time - timedelta(minutes=1)) == []
    assert [user for _, user in run(app, bo_time)] == [bo.id]
    assert run(app, bo_time + timedelta(days=1)) == []
    assert emails() == ["ana@example.org", "bo@example.org"]


def test_a_timed_event_is_reminded_fifteen_minutes_before_each_date(app, team, make):
    project, _, ana, bo = team
    start = datetime(2030, 6, 10, 7, tzinfo=UTC)
    event = CalendarEvent(project_id=project.id, title="Sync", starts_at=start,
                          ends_at=start + timedelta(hours=1), timezone="Europe/Paris",
                          rule="FREQ=DAILY;COUNT=2", last_ends_at=start + timedelta(days=1,
                                                                                  hours=1))
    event.attendances = [Attendance(user_id=ana.id), Attendance(user_id=bo.id)]
    db.session.add(event)
    db.session.add(ReminderDefault(user_id=bo.id, timed="1h", dated="0d"))
    db.session.commit()
    assert run(app, start - timedelta(minutes=61)) == []
    assert [user for _, user in run(app, start - timedelta(minutes=60))] == [bo.id]
    assert [user for _, user in run(app, start - timedelta(minutes=15))] == [ana.id]
    assert run(app, start - timedelta(minutes=5)) == []
    following = start + timedelta(days=1)
    assert sorted(user for _, user in run(app, following - timedelta(minutes=10))) == sorted(
        [ana.id, bo.id])
    assert len(emails()) == 4
    event.remind = "none"
    db.session.commit()
    assert run(app, following + timedelta(days=1)) == []


def test_two_schedulers_at_once_send_each_reminder_once(app: Flask, team):
    project, todo_list, _, bo = team
    for number in range(5):
        db.session.add(Todo(project_id=project.id, list_id=todo_list.id, text=f"Task {number}",
                            due_on=date(2030, 6, 10), assignee_id=bo.id))
    db.session.commit()
    now = datetime(2030, 6, 9, 20, tzinfo=UTC)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def scheduler() -> None:
        try:
            with app.app_context(), app.test_request_context():
                start.wait(timeout=10)
                send_due_reminders(now)
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.expire_all()
    assert len(db.session.scalars(select(SentReminder)).all()) == 5
    assert emails() == ["bo@example.org"] * 5


def test_a_client_never_hears_of_a_private_event(app, team, make):
    project, _, ana, _ = team
    cy = make.user("Cy", email="cy@example.org")
    make.join(project, cy, Role.CLIENT)
    start = datetime(2030, 6, 10, 7, tzinfo=UTC)
    secret = CalendarEvent(project_id=project.id, title="Secret", starts_at=start,
                           ends_at=start + timedelta(hours=1), timezone="UTC", private=True,
                           last_ends_at=start + timedelta(hours=1))
    secret.attendances = [Attendance(user_id=cy.id), Attendance(user_id=ana.id)]
    db.session.add(secret)
    db.session.commit()
    assert [user for _, user in run(app, start - timedelta(minutes=10))] == [ana.id]
    assert emails() == ["ana@example.org"]  # no claim, no email, for the client


def test_a_person_sets_their_default_reminders(app, team, client_for):
    _, _, ana, _ = team
    browser = client_for(ana)
    page = browser.get("/settings/reminders").get_data(as_text=True)
    assert 'value="15m" selected' in page or 'selected value="15m"' in page
    response = browser.post("/settings/reminders", data={"timed": "1h", "dated": "2d"})
    assert response.status_code == 302
    saved = db.session.get(ReminderDefault, ana.id)
    assert (saved.timed, saved.dated) == ("1h", "2d")
    refused = browser.post("/settings/reminders", data={"timed": "99y", "dated": "2d"})
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(ReminderDefault, ana.id).timed == "1h"


def test_the_reminder_is_chosen_on_the_event_and_the_to_do_forms(app, team, client_for):
    project, todo_list, ana, bo = team
    browser = client_for(ana)
    todo = Todo(project_id=project.id, list_id=todo_list.id, text="File taxes",
                due_on=date(2030, 6, 10), assignee_id=bo.id)
    db.session.add(todo)
    db.session.commit()
    response = browser.post(f"/projects/{project.id}/todos/{todo.id}/edit", data={
        "text": "File taxes", "due_on": "2030-06-10", "assignee": str(bo.id), "notes": "",
        "repeat": "", "remind": "7d"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Todo, todo.id).remind == "7d"
    # A week before, at 09:00 in Honolulu (UTC-10): 19:00 UTC on 3 June.
    assert run(app, datetime(2030, 6, 3, 18, 59, tzinfo=UTC)) == []
    assert [user for _, user in run(app, datetime(2030, 6, 3, 19, tzinfo=UTC))] == [bo.id]


def test_an_event_nobody_attends_reminds_its_followers_through_the_smtp_server(
        app, team, make, client_for, smtp):
    """With no attendee, the followers hear of each date (the author follows what she adds),
    once, through the outbox; a client following an event since made private never does."""
    project, _, ana, bo = team
    cy = make.user("Cy", email="cy@example.org")
    make.join(project, cy, Role.CLIENT)
    browser = client_for(ana)
    open_day = add_event_for(browser, project, title="Open day")
    secret = add_event_for(browser, project, title="Secret")
    follow(open_day.item_id, [cy.id])
    follow(secret.item_id, [cy.id, bo.id])  # Cy followed it before it became private
    secret.private = True
    unfollow(open_day.item_id, ana.id)  # she stopped following: she is not reminded
    db.session.commit()
    start = datetime(2030, 6, 10, 9, tzinfo=UTC)
    assert run(app, start - timedelta(minutes=16)) == []
    sent = run(app, start - timedelta(minutes=15))
    assert sorted(sent) == sorted([(open_day.item_id, cy.id), (secret.item_id, ana.id),
                                   (secret.item_id, bo.id)])
    assert run(app, start - timedelta(minutes=5)) == []  # each date once
    assert deliver(app).sent
    assert sorted(m["To"] for m in smtp.messages) == [
        "ana@example.org", "bo@example.org", "cy@example.org"]
    to_cy = smtp.to("cy@example.org")[0]
    assert "Open day" in to_cy["Subject"] and "Secret" not in to_cy.as_string()
    assert "You follow this item." in smtp.to("bo@example.org")[0].get_body(
        ("plain",)).get_content()


def test_attendees_alone_are_reminded_when_there_are_some(app, team, make, client_for):
    project, _, ana, bo = team
    event = add_event_for(client_for(ana), project, attendees=[str(bo.id)])
    assert event.attendee_ids == {bo.id}
    start = datetime(2030, 6, 10, 9, tzinfo=UTC)
    assert run(app, start - timedelta(minutes=15)) == [(event.item_id, bo.id)]  # not Ana


def add_event_for(browser, project, **changes):  # type: ignore[no-untyped-def]
    return add_event(browser, project, starts_on="2030-06-10", starts_time="09:00",
                     ends_time="10:00", timezone="UTC", **changes)
