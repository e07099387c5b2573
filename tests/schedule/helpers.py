"""Events for tests, made through the pages as a person would."""

from __future__ import annotations

from sqlalchemy import select

from workspace.extensions import db
from workspace.schedule.models import CalendarEvent


def event_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Weekly meeting", "place": "Room 1", "starts_on": "2026-03-02",
        "starts_time": "09:00", "ends_on": "", "ends_time": "10:00",
        "timezone": "Europe/Paris", "notes": "", "repeat": "", "interval": "1",
        "monthly_by": "date", "ends": "never", "until": "", "count": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def newest_event() -> CalendarEvent | None:
    return db.session.scalar(select(CalendarEvent).order_by(CalendarEvent.id.desc()))


def add_event(client, project, **changes: object) -> CalendarEvent:  # type: ignore[no-untyped-def]
    response = client.post(f"/projects/{project.id}/events/new", data=event_data(**changes))
    assert response.status_code == 302, response.get_data(as_text=True)
    event = newest_event()
    assert event is not None
    return event


def url(event: CalendarEvent, action: str = "") -> str:
    return f"/projects/{event.project_id}/events/{event.id}" + (f"/{action}" if action else "")
