"""Milestone alerts: the right windows, each alert exactly once, in the project's timezone."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest

from workspace.alerts.models import SentAlert
from workspace.alerts.operations import send_due_alerts
from workspace.extensions import db
from workspace.mail.models import OutboxEmail
from workspace.milestones.models import Milestone
from workspace.types import utcnow


@pytest.fixture
def plan(make):
    ana, bo, cy = (make.user(n, email=f"{n.lower()}@example.org") for n in ("Ana", "Bo", "Cy"))
    project = make.project("Launch", owner=ana, members=(bo,), clients=(cy,))
    return project, ana, bo, cy


def milestone(project, due_on, **extra) -> Milestone:
    item = Milestone(project_id=project.id, title="Beta", due_on=due_on, **extra)
    db.session.add(item)
    db.session.commit()
    return item


def run(app, now: datetime) -> list[str]:
    with app.test_request_context():
        return [alert.kind for alert in send_due_alerts(now)]


NOON = datetime(2030, 6, 10, 12, 0, tzinfo=UTC)


def test_before_on_the_day_and_late_each_once(app, plan):
    project, *_ = plan
    milestone(project, date(2030, 6, 12))
    assert run(app, NOON - timedelta(days=1)) == []
    assert run(app, NOON) == ["before"]
    assert run(app, NOON) == []  # the same run again sends nothing
    assert run(app, NOON + timedelta(days=1)) == []
    assert run(app, NOON + timedelta(days=2)) == ["due"]
    assert run(app, NOON + timedelta(days=3)) == ["late"]
    assert run(app, NOON + timedelta(days=9)) == []


def test_recipients_are_the_responsible_person_or_else_the_team(app, plan):
    project, _, bo, _ = plan
    milestone(project, date(2030, 6, 10), responsible_id=bo.id)
    run(app, NOON)
    assert db.session.scalars(db.select(OutboxEmail.to_address)).all() == ["bo@example.org"]
    milestone(project, date(2030, 6, 10))
    db.session.execute(db.delete(OutboxEmail))
    run(app, NOON)
    addresses = sorted(db.session.scalars(db.select(OutboxEmail.to_address)))
    assert addresses == ["ana@example.org", "bo@example.org"]  # never the client


def test_completed_milestones_and_disabled_kinds_send_nothing(app, plan):
    project, *_ = plan
    milestone(project, date(2030, 6, 10), completed_at=utcnow())
    project.alert_when_late = False
    db.session.commit()
    milestone(project, date(2030, 6, 1))
    assert run(app, NOON) == []


def test_moving_the_due_date_makes_alerts_apply_again(app, plan):
    project, *_ = plan
    item = milestone(project, date(2030, 6, 10))
    assert run(app, NOON) == ["due"]
    item.due_on = date(2030, 6, 11)
    db.session.commit()
    assert run(app, NOON) == ["before"]
    assert db.session.scalar(db.select(db.func.count()).select_from(SentAlert)) == 2


@pytest.mark.parametrize("timezone, moment, expected", [
    # Due on 10 June. Kiritimati (UTC+14) reaches the 10th at 10:00 UTC on the 9th...
    ("Pacific/Kiritimati", datetime(2030, 6, 9, 9, 59, tzinfo=UTC), []),
    ("Pacific/Kiritimati", datetime(2030, 6, 9, 10, 0, tzinfo=UTC), ["due"]),
    ("Pacific/Kiritimati", datetime(2030, 6, 10, 10, 0, tzinfo=UTC), ["late"]),
    # ...Honolulu (UTC-10) only at 10:00 UTC on the 10th, a whole day later.
    ("Pacific/Honolulu", datetime(2030, 6, 10, 9, 59, tzinfo=UTC), []),
    ("Pacific/Honolulu", datetime(2030, 6, 10, 10, 0, tzinfo=UTC), ["due"]),
    ("Pacific/Honolulu", datetime(2030, 6, 11, 9, 59, tzinfo=UTC), ["due"]),
])
def test_the_day_is_judged_in_the_projects_timezone(app, plan, timezone, moment, expected):
    project, *_ = plan
    project.timezone, project.alert_days_before = timezone, 0
    db.session.commit()
    milestone(project, date(2030, 6, 10))
    assert run(app, moment) == expected


def test_two_processes_at_once_send_each_alert_once(app, plan, database_url, tmp_path):
    project, *_ = plan
    for day in (10, 11, 12):
        milestone(project, date(2030, 6, day))
    env = {**os.environ, "WORKSPACE_DATABASE_URL": database_url,
           "WORKSPACE_INSTANCE_PATH": str(tmp_path), "WORKSPACE_SECRET_KEY": "test"}
    command = [sys.executable, "-m", "workspace.cli", "alerts", "send-due",
               "--now", "2030-06-10T12:00:00+00:00"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)]
    outputs = [run_.communicate(timeout=60) for run_ in runs]
    assert [run_.returncode for run_ in runs] == [0, 0], outputs
    db.session.expire_all()
    kinds = sorted(db.session.scalars(db.select(SentAlert.kind)))
    assert kinds == ["before", "before", "due"]
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail)) == 3 * 2


def test_alerts_record_their_events_through_record_event_by_nobody(app, plan, monkeypatch):
    from workspace.activity import operations as activity
    from workspace.activity.models import Event

    project, *_ = plan
    beta = milestone(project, date(2030, 6, 12))
    recorded = []

    def spy(action, subject, **options):  # type: ignore[no-untyped-def]
        recorded.append((action, subject.id, options))
        return record_event(action, subject, **options)

    record_event = activity.record_event
    monkeypatch.setattr(activity, "record_event", spy)
    run(app, NOON)
    assert recorded == [("alert_before", beta.id, {"by": None, "text": "2"})]
    event = db.session.scalars(db.select(Event)).one()
    assert (event.actor_id, event.action, event.subject_type, event.subject_id,
            event.target_type, event.target_id, event.summary, event.excerpt,
            event.private) == (None, "alert_before", "milestone", beta.id, "milestone",
                               beta.id, "Beta", "2", False)
