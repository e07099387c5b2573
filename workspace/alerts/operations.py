"""Milestone alerts: a few days before, on the day, and once late, each sent exactly once.

`send_due_alerts(now)` is the whole job: the scheduler calls it, so does
`workspace alerts send-due`, so do the tests. It is safe to run twice, or in two processes
at once: each alert is claimed by inserting its unique SentAlert row before it is announced,
in the same transaction, and a claim that loses the race is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from workspace.activity import operations as activity
from workspace.alerts.models import SentAlert
from workspace.extensions import claimed, db, done_once
from workspace.milestones.models import Milestone
from workspace.notifications.operations import notify
from workspace.projects.access import team_of
from workspace.projects.models import Project


@dataclass(frozen=True)
class Alert:
    milestone: Milestone
    kind: str


def project_today(project: Project, now: datetime) -> date:
    """'Today' where the project is: what due and late are judged against."""
    return now.astimezone(ZoneInfo(project.timezone)).date()


def kind_of_alert(project: Project, milestone: Milestone, today: date) -> str | None:
    if milestone.due_on < today:
        return "late" if project.alert_when_late else None
    if milestone.due_on == today:
        return "due" if project.alert_on_the_day else None
    ahead = project.alert_days_before
    if ahead and milestone.due_on - timedelta(days=ahead) <= today:
        return "before"
    return None


def due_alerts(now: datetime) -> list[Alert]:
    """The alerts that apply now, whether or not they were sent already."""
    rows = db.session.execute(
        select(Milestone, Project).join(Project, Project.id == Milestone.project_id)
        .where(Milestone.completed_at.is_(None), Project.archived_at.is_(None))
        .order_by(Milestone.id)
    ).all()
    alerts = []
    for milestone, project in rows:
        kind = kind_of_alert(project, milestone, project_today(project, now))
        if kind:
            alerts.append(Alert(milestone, kind))
    return alerts


def send_due_alerts(now: datetime) -> list[SentAlert]:
    """Announce every alert that applies and was not sent yet; returns those sent now."""
    return done_once(due_alerts(now), lambda alert: claim_alert(alert, now), announce)


def claim_alert(alert: Alert, now: datetime) -> SentAlert | None:
    """Insert the alert's unique row; None when another run already has it."""
    return claimed(SentAlert(milestone_id=alert.milestone.id, kind=alert.kind,
                             due_on=alert.milestone.due_on, sent_at=now))


def announce(alert: Alert) -> None:
    """Record the alert in the stream, by nobody, and tell the responsible person, or else
    the whole team."""
    milestone = alert.milestone
    days = str(milestone.project.alert_days_before) if alert.kind == "before" else ""
    event = activity.record_event(f"alert_{alert.kind}", milestone, by=None, text=days)
    if milestone.responsible_id:
        people = [milestone.responsible_id]
    else:
        people = db.session.scalars(team_of(milestone.project_id))
    notify(event, people, "milestone")
