"""Delivery schedules: hourly bundles and daily recaps at a local hour (frozen clocks at UTC+14
and UTC-10), exactly once with two schedulers, working hours, snooze, urgent mentions, and
nothing private or deleted in a recap."""

import os
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.api.test_routes import call
from workspace.api.tokens import create_token
from workspace.extensions import db
from workspace.mail.models import OutboxEmail
from workspace.mail.operations import deliver_queued
from workspace.notifications.delivery import next_allowed, send_due_recaps, snooze_end
from workspace.notifications.models import DeliverySettings, Notification, SentRecap
from workspace.types import utcnow

KIRITIMATI, HONOLULU = "Pacific/Kiritimati", "Pacific/Honolulu"  # UTC+14, UTC-10


def schedule(user, timezone="UTC", **settings):
    user.timezone = timezone
    db.session.add(DeliverySettings(user_id=user.id, **{
        "schedule": "at_once", "recap_hour": 17, "work_days": "", **settings}))
    db.session.commit()


def thread(make, client_for, **people_settings):
    """Ana's message that Bo follows, with Bo's settings."""
    ana = make.user("Ana", email="ana@example.org")
    bo = make.user("Bo", email="bo@example.org")
    cy = make.user("Cy", email="cy@example.org")
    project = make.project("Launch", owner=ana, members=(bo, cy))
    schedule(bo, **people_settings)
    answer = client_for(ana).post(f"/projects/{project.id}/messages/new", data={
        "title": "Plan", "body": "Draft", "notify": [bo.id]})
    message_id = int(answer.headers["Location"].rsplit("/", 1)[-1])
    return project, message_id, ana, bo, cy


def comment(client, project, message_id, body):
    client.post(f"/projects/{project.id}/messages/{message_id}/comments", data={"body": body})


def emails_to(address):
    return list(db.session.scalars(db.select(OutboxEmail).where(
        OutboxEmail.to_address == address).order_by(OutboxEmail.id)))


def next_local(timezone: str, hour: int) -> datetime:
    """The next moment it is `hour`:00 in `timezone`, at least an hour from now."""
    zone = ZoneInfo(timezone)
    local = (utcnow() + timedelta(hours=1)).astimezone(zone)
    moment = datetime.combine(local.date(), time(hour), zone)
    if moment < local:
        moment = datetime.combine(local.date() + timedelta(days=1), time(hour), zone)
    return moment.astimezone(UTC)


def recaps(app, now):
    with app.test_request_context():
        return send_due_recaps(now)


def test_a_daily_recap_at_utc_plus_14_leaves_once_at_its_local_hour(app, make, client_for):
    project, message_id, _ana, _bo, cy = thread(make, client_for, timezone=KIRITIMATI,
                                              schedule="daily", recap_hour=9)
    for body in ("First thought", "Second thought"):
        comment(client_for(cy), project, message_id, body)
    assert emails_to("bo@example.org") == []  # waiting for the recap
    nine = next_local(KIRITIMATI, 9)
    assert recaps(app, nine - timedelta(minutes=1)) == []  # 08:59 there
    assert len(recaps(app, nine)) == 1
    assert recaps(app, nine + timedelta(hours=3)) == []  # the same local day: done
    [recap] = emails_to("bo@example.org")
    assert recap.subject == "Your daily recap: 3 updates"
    assert recap.text_body.index("Second thought") < recap.text_body.index("First thought")
    assert "== Launch ==" in recap.text_body and "Stop following this thread" in recap.text_body
    period = db.session.scalars(db.select(SentRecap.period)).one()
    assert period == f"day:{nine.astimezone(ZoneInfo(KIRITIMATI)).date().isoformat()}"


def test_a_daily_recap_at_utc_minus_10_uses_the_local_date(app, make, client_for):
    project, message_id, _ana, _bo, cy = thread(make, client_for, timezone=HONOLULU,
                                              schedule="daily", recap_hour=20)
    comment(client_for(cy), project, message_id, "Evening news")
    eight_pm = next_local(HONOLULU, 20)  # already the next day in UTC
    assert eight_pm.hour == 6
    assert len(recaps(app, eight_pm)) == 1
    local_date = eight_pm.astimezone(ZoneInfo(HONOLULU)).date()
    assert db.session.scalars(db.select(SentRecap.period)).one() == f"day:{local_date}"
    assert local_date != eight_pm.date()


def test_two_schedulers_at_once_send_each_recap_exactly_once(app, make, client_for,
                                                             database_url, tmp_path):
    project, message_id, ana, bo, cy = thread(make, client_for, schedule="hourly")
    schedule(cy, schedule="daily", recap_hour=0)
    comment(client_for(cy), project, message_id, "I follow now")
    for n in range(3):
        comment(client_for(ana), project, message_id, f"Update {n}")
    env = {**os.environ, "WORKSPACE_DATABASE_URL": database_url,
           "WORKSPACE_INSTANCE_PATH": str(tmp_path), "WORKSPACE_SECRET_KEY": "test",
           "WORKSPACE_BASE_URL": "https://work.example.org"}
    moment = (utcnow() + timedelta(hours=2)).isoformat()
    command = [sys.executable, "-m", "workspace.cli", "alerts", "send-recaps", "--now", moment]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)]
    outputs = [run_.communicate(timeout=60) for run_ in runs]
    assert [run_.returncode for run_ in runs] == [0, 0], outputs
    db.session.expire_all()
    assert sorted(db.session.scalars(db.select(SentRecap.user_id))) == sorted([bo.id, cy.id])
    assert len(emails_to("bo@example.org")) == 1 and len(emails_to("cy@example.org")) == 1


def test_an_hourly_bundle_gathers_a_busy_hour_and_a_mention_comes_at_once(
        app, make, client_for):
    project, message_id, _ana, _bo, cy = thread(make, client_for, schedule="hourly")
    for n in range(4):
        comment(client_for(cy), project, message_id, f"Point {n}")
    comment(client_for(cy), project, message_id, "What do you think, @Bo?")
    [mention] = emails_to("bo@example.org")
    assert "Cy commented" in mention.subject
    assert len(recaps(app, utcnow() + timedelta(minutes=1))) == 1
    bundle = emails_to("bo@example.org")[1]
    assert bundle.subject == "Your latest updates: 5"  # the message and four comments
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)
                             .where(Notification.waiting.is_(True))) == 0


def test_nothing_private_or_deleted_reaches_a_recap(app, make, client_for):
    ana = make.user("Ana", email="ana@example.org")
    cy = make.user("Cy", email="cy@example.org")
    bo = make.user("Bo", email="bo@example.org")
    project = make.project("Launch", owner=ana, members=(bo,), clients=(cy,))
    schedule(cy, schedule="daily", recap_hour=0)
    team = client_for(ana)
    ids = []
    for title in ("Turns secret", "Gets deleted", "Stays open"):
        answer = team.post(f"/projects/{project.id}/messages/new",
                           data={"title": title, "body": f"{title} body", "notify": [cy.id]})
        ids.append(int(answer.headers["Location"].rsplit("/", 1)[-1]))
    team.post(f"/projects/{project.id}/messages/{ids[0]}/edit",
              data={"title": "Turns secret", "body": "x", "private": "y"})
    team.post(f"/projects/{project.id}/messages/{ids[1]}/delete")
    assert len(recaps(app, utcnow() + timedelta(days=1))) == 1
    [recap] = emails_to("cy@example.org")
    body = recap.text_body + recap.html_body
    assert "Stays open" in body
    assert "secret" not in body.lower() and "deleted" not in body.lower()
    assert recap.subject == "Your daily recap: 1 updates"


def test_working_hours_hold_emails_and_an_urgent_mention_does_not(app, make, client_for):
    tomorrow = (utcnow() + timedelta(days=1)).astimezone(ZoneInfo(KIRITIMATI))
    project, message_id, _ana, _bo, cy = thread(
        make, client_for, timezone=KIRITIMATI, work_days=str(tomorrow.isoweekday()),
        work_start=9, work_end=17)
    [held] = emails_to("bo@example.org")
    starts = held.next_attempt_at.astimezone(ZoneInfo(KIRITIMATI))
    assert starts.isoweekday() == tomorrow.isoweekday() and (starts.hour, starts.minute) == (9, 0)
    with app.test_request_context():
        assert deliver_queued(utcnow()).sent == []
    comment(client_for(cy), project, message_id, "@@Bo the server is down")
    urgent = emails_to("bo@example.org")[1]
    assert urgent.next_attempt_at <= utcnow()


def test_snooze_holds_everything_until_it_ends(app, make, client_for):
    until = utcnow() + timedelta(days=2)
    _project, _message_id, _ana, _bo, _cy = thread(make, client_for, snoozed_until=until)
    [held] = emails_to("bo@example.org")
    assert abs(held.next_attempt_at - until) < timedelta(seconds=1)


def test_next_allowed_moments_in_far_timezones():
    settings = DeliverySettings(schedule="at_once", recap_hour=17, work_days="12345",
                                work_start=9, work_end=17)
    saturday_noon_utc = datetime(2026, 12, 5, 12, tzinfo=UTC)  # Sunday 02:00 at UTC+14
    monday_nine = next_allowed(saturday_noon_utc, settings, KIRITIMATI)
    assert monday_nine.astimezone(ZoneInfo(KIRITIMATI)) == datetime(
        2026, 12, 7, 9, tzinfo=ZoneInfo(KIRITIMATI))
    friday_two_pm = datetime(2026, 12, 5, 0, tzinfo=UTC)  # Friday 14:00 at UTC-10
    assert next_allowed(friday_two_pm, settings, HONOLULU) == friday_two_pm


def test_bad_schedules_are_refused_with_clear_messages_and_values_kept(app, make, client_for,
                                                                      client):
    bo = make.user("Bo")
    answer = client_for(bo).post("/settings/notifications/delivery", data={
        "schedule": "daily", "recap_hour": "25", "timezone": "Mars/Olympus_Mons",
        "work_start": "17", "work_end": "9"})
    assert answer.status_code == 400
    assert "Give an hour from 0 to 23." in answer.text
    assert "There is no timezone called “Mars/Olympus_Mons”" in answer.text
    assert "Your working hours must end after they start." in answer.text
    assert 'value="Mars/Olympus_Mons"' in answer.text
    assert db.session.scalar(db.select(db.func.count()).select_from(DeliverySettings)) == 0
    saved = client_for(bo).post("/settings/notifications/delivery", data={
        "schedule": "daily", "recap_hour": "8", "timezone": HONOLULU, "work_days": ["1", "2"]})
    assert saved.status_code == 302
    settings = db.session.scalars(db.select(DeliverySettings)).one()
    assert (settings.schedule, settings.recap_hour, settings.work_days) == ("daily", 8, "12")
    token = create_token(bo, "script")[1]
    assert call(client, "GET", "/me/delivery", token).json["timezone"] == HONOLULU
    refused = call(client, "PATCH", "/me/delivery", token, {"recap_hour": 24,
                                                              "timezone": "Nowhere"})
    assert refused.status_code == 422
    assert refused.json["error"]["fields"]["recap_hour"] == "Give an hour from 0 to 23."
    assert "Nowhere" in refused.json["error"]["fields"]["timezone"]
    changed = call(client, "PATCH", "/me/delivery", token, {"schedule": "hourly"})
    assert changed.status_code == 200 and changed.json["schedule"] == "hourly"
    assert changed.json["work_days"] == [1, 2]


def test_the_notifications_page_groups_by_item_and_shows_what_waits(app, make, client_for):
    project, message_id, _ana, bo, cy = thread(make, client_for, schedule="daily")
    comment(client_for(cy), project, message_id, "One")
    page = client_for(bo).get("/notifications").text
    assert page.count('class="notification-group"') == 1
    assert "2 emails wait for your next bundle or recap" in page
    assert page.count('class="badge waiting"') == 2
    client_for(bo).post("/notifications/read")
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification).where(
        Notification.read_at.is_(None), Notification.user_id == bo.id)) == 0


def test_a_recap_shows_times_in_the_persons_timezone_and_language(app, make, client_for):
    project, message_id, _ana, bo, cy = thread(make, client_for, timezone=KIRITIMATI,
                                               schedule="hourly")
    bo.locale = "fr"
    db.session.commit()
    comment(client_for(cy), project, message_id, "Bonjour")
    assert len(recaps(app, utcnow() + timedelta(minutes=1))) == 1
    [recap] = emails_to("bo@example.org")
    commented = db.session.scalars(db.select(Notification.created_at)).all()[-1]
    local = commented.astimezone(ZoneInfo(KIRITIMATI))
    assert local.strftime("%H:%M") in recap.text_body
    assert recap.subject == "Vos dernières nouveautés : 2"


def test_snooze_buttons_end_at_the_next_working_morning_in_the_persons_timezone():
    friday_evening = datetime(2026, 3, 27, 20, 30, tzinfo=UTC)  # 21:30 in Paris
    settings = DeliverySettings(schedule="at_once", work_start=9, work_end=17)
    tomorrow = datetime(2026, 3, 28, 9, tzinfo=ZoneInfo("Europe/Paris"))
    assert snooze_end("tomorrow", friday_evening, settings, "Europe/Paris") == tomorrow
    no_hours = DeliverySettings(schedule="at_once", work_start=None, work_end=None)
    # Saturday to Sunday in Paris crosses the change to summer time: still 08:00 local.
    saturday = datetime(2026, 3, 28, 12, tzinfo=UTC)
    assert (snooze_end("tomorrow", saturday, no_hours, "Europe/Paris")
            == datetime(2026, 3, 29, 6, tzinfo=UTC))
    assert (snooze_end("tomorrow", saturday, no_hours, KIRITIMATI)  # already Sunday 02:00 there
            == datetime(2026, 3, 29, 18, tzinfo=UTC))
    assert snooze_end("hour", saturday, no_hours, "UTC") == saturday + timedelta(hours=1)
    assert snooze_end("week", saturday, no_hours, "UTC") == saturday + timedelta(days=7)
    assert snooze_end("off", saturday, no_hours, "UTC") is None


def test_a_snooze_button_holds_emails_and_stop_snoozing_lets_them_go(app, make, client_for):
    bo = make.user("Bo", email="bo@example.org")
    page = client_for(bo).post("/settings/notifications/snooze", data={"snooze": "week"},
                               follow_redirects=True).text
    assert "Only urgent mentions come by email until" in page and "Snoozed until" in page
    until = db.session.scalar(db.select(DeliverySettings.snoozed_until))
    assert abs(until - (utcnow() + timedelta(days=7))) < timedelta(minutes=1)
    page = client_for(bo).post("/settings/notifications/snooze", data={"snooze": "off"},
                               follow_redirects=True).text
    assert "Snoozed until" not in page and "Stop snoozing" not in page
    assert db.session.scalar(db.select(DeliverySettings.snoozed_until)) is None
    answer = client_for(bo).post("/settings/notifications/snooze", data={"snooze": "forever"})
    assert answer.status_code == 400
