"""Small helpers shared by the milestone tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import lxml.html
from sqlalchemy import select

from workspace.activity.models import Event
from workspace.extensions import db
from workspace.milestones.models import Milestone


def zone_today(zone: str) -> date:
    return datetime.now(ZoneInfo(zone)).date()


def in_days(days: int, zone: str = "UTC") -> str:
    return (zone_today(zone) + timedelta(days=days)).isoformat()


def create(client, project, title="Launch", due_on=None, **extra):
    data = {"title": title, "due_on": due_on or in_days(10), "responsible": "", "notes": "",
            **extra}
    return client.post(f"/projects/{project.id}/milestones/new", data=data)


def created(client, project, title="Launch", due_on=None, **extra) -> Milestone:
    response = create(client, project, title, due_on, **extra)
    assert response.status_code == 302, response.data
    return db.session.scalars(select(Milestone).order_by(Milestone.id.desc())).first()


def add(project, author, title="Launch", due_on=None, **extra) -> Milestone:
    """A milestone written straight to the database, for tests that set the scene."""
    milestone = Milestone(project_id=project.id, author=author, title=title,
                          due_on=due_on or zone_today("UTC") + timedelta(days=10), **extra)
    db.session.add(milestone)
    db.session.commit()
    return milestone


def url(milestone, action: str = "") -> str:
    base = f"/projects/{milestone.project_id}/milestones/{milestone.id}"
    return f"{base}/{action}" if action else base


def events_of(milestone_id: int) -> list[str]:
    return list(db.session.scalars(
        select(Event.action).where(Event.subject_type == "milestone",
                                   Event.subject_id == milestone_id).order_by(Event.id)
    ))


def page(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.get_data(as_text=True))


def texts(elements) -> list[str]:
    return [" ".join(element.text_content().split()) for element in elements]
