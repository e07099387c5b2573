"""Events in the calendars: their RRULE, EXDATEs and changed dates as a calendar program reads
them (the icalendar parser, expanded with dateutil), the same dates as the pages show."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from workspace.extensions import db
from workspace.schedule.models import CalendarEvent
from workspace.schedule.queries import occurrences
from workspace.types import utcnow

from .helpers import add_event, url

CALENDARS = ["/projects/{id}/milestones.ics", "/milestones.ics"]


def calendar_of(client, path: str, project, user) -> Calendar:  # type: ignore[no-untyped-def]
    response = client.get(path.format(id=project.id) + f"?token={user.feed_token}")
    assert response.status_code == 200
    return Calendar.from_ical(response.data)


def expanded(calendar: Calendar, uid: str, after: datetime, before: datetime) -> list[tuple]:
    """(start, end, summary) of every date of an event, as a calendar program works them out:
    its rule from DTSTART, less its EXDATEs, with its RECURRENCE-ID overrides applied."""
    parts = [c for c in calendar.walk("VEVENT") if str(c["UID"]) == uid]
    master = next(c for c in parts if "RECURRENCE-ID" not in c)
    overrides = {c.decoded("RECURRENCE-ID"): c for c in parts if "RECURRENCE-ID" in c}
    start, end = master.decoded("DTSTART"), master.decoded("DTEND")
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start)
    exdates = master.get("EXDATE", [])
    excluded = {d.dt for lists in (exdates if isinstance(exdates, list) else [exdates])
                for d in lists.dts}
    dates = []
    for occurrence in rule.between(after, before, inc=True):
        if occurrence in excluded:
            continue
        override = overrides.get(occurrence)
        if override is not None:
            if str(override["STATUS"]) == "CANCELLED":
                continue
            dates.append((override.decoded("DTSTART").astimezone(UTC),
                          override.decoded("DTEND").astimezone(UTC), str(override["SUMMARY"])))
        else:
            dates.append((occurrence.astimezone(UTC), (occurrence + (end - start)).astimezone(UTC),
                          str(master["SUMMARY"])))
    return sorted(dates)


@pytest.mark.parametrize("path", CALENDARS)
def test_a_recurring_event_with_exceptions_reads_back_as_the_pages_show_it(
        make, client, client_for, path):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    monday = utcnow().date() - timedelta(days=utcnow().date().weekday())
    event = add_event(team, project, repeat="weekly", starts_on=monday.isoformat(),
                      timezone="America/New_York", ends="count", count="10")
    keys = [(datetime.combine(monday + timedelta(weeks=n), datetime.min.time())
             .replace(hour=9)) for n in (1, 2)]
    zone = ZoneInfo("America/New_York")
    moved, cancelled = (k.replace(tzinfo=zone).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
                        for k in keys)
    team.post(url(event, f"occurrences/{moved}/edit?scope=this"), data={
        "title": "Moved", "place": "", "starts_on": (monday + timedelta(days=9)).isoformat(),
        "starts_time": "15:00", "ends_on": "", "ends_time": "16:00",
        "timezone": "America/New_York"})
    team.post(url(event, f"occurrences/{cancelled}/cancel"))

    calendar = calendar_of(client, path, project, ana)
    uid = f"event-{event.id}@workspace.test"
    master = next(c for c in calendar.walk("VEVENT")
                  if str(c["UID"]) == uid and "RECURRENCE-ID" not in c)
    assert int(master["SEQUENCE"]) == 2
    assert master["DTSTART"].params["TZID"] == "America/New_York"
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    statuses = sorted(str(c["STATUS"]) for c in calendar.walk("VEVENT")
                      if "RECURRENCE-ID" in c)
    assert statuses == ["CANCELLED", "CONFIRMED"]

    after = datetime.combine(monday, datetime.min.time(), tzinfo=UTC) - timedelta(days=1)
    before = after + timedelta(weeks=12)
    shown = [(o.starts_at, o.ends_at, o.title) for o in
             occurrences(db.session.get(CalendarEvent, event.id), after, before)]
    from_calendar = expanded(calendar, uid, after.astimezone(zone), before.astimezone(zone))
    assert from_calendar == shown
    assert len(shown) == 9 and ("Moved" in {title for _, _, title in shown})


@pytest.mark.parametrize("path", CALENDARS)
def test_a_client_s_calendar_never_holds_a_private_event(make, client, client_for, path):
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    team = client_for(ana)
    today = utcnow().date().isoformat()
    secret = add_event(team, project, title="Secret", private="y", repeat="daily",
                       starts_on=today)
    team.post(url(secret, f"occurrences/{secret.starts_at.strftime('%Y%m%dT%H%M%SZ')}/cancel"))
    add_event(team, project, title="Public", starts_on=today)
    seen_by_team = {str(c["SUMMARY"]) for c in calendar_of(client, path, project, ana)
                    .walk("VEVENT")}
    assert {"Secret", "Public"} <= seen_by_team
    seen = calendar_of(client, path, project, cy)
    assert {str(c["SUMMARY"]) for c in seen.walk("VEVENT")} == {"Public"}


def test_an_all_day_event_is_written_with_dates(make, client, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    start = utcnow().date()
    add_event(client_for(ana), project, title="Retreat", all_day="y",
              starts_on=start.isoformat(), ends_on=(start + timedelta(days=2)).isoformat(),
              starts_time="", ends_time="", repeat="yearly")
    calendar = calendar_of(client, CALENDARS[0], project, ana)
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + timedelta(days=3)
    assert event["RRULE"].to_ical() == b"FREQ=YEARLY"
    assert calendar.walk("VTIMEZONE") == []
    assert isinstance(event.decoded("DTSTART"), date)


def test_calendars_read_events_through_their_window_index(make, client, client_for):
    """Events long over cost nothing: each half of a calendar's event query reads one range
    of (project_id, last_ends_at, starts_at)."""
    from sqlalchemy import event as sqlalchemy_event

    ana = make.user("Ana")
    project = make.project(owner=ana)
    add_event(client_for(ana), project, title="Weekly", repeat="weekly")
    executed: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, *args):  # type: ignore[no-untyped-def]
        executed.append((statement, parameters))

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", record)
    try:
        for path in CALENDARS:
            calendar_of(client, path, project, ana)
    finally:
        sqlalchemy_event.remove(db.engine, "before_cursor_execute", record)
    reads = [(s, p) for s, p in executed if "FROM calendar_events" in s
             and "event_exceptions" not in s.split("FROM")[1][:40]]
    assert len(reads) == 2
    for statement, parameters in reads:
        connection = db.session.connection()
        if connection.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plan = [row[-1] for row in rows if " calendar_events " in row[-1]]
        else:
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
            plan = [row[0] for row in rows if " on calendar_events" in row[0]]
        assert len(plan) >= 2, plan
        assert all("ix_calendar_events_project_id_last_ends_at_starts_at" in line
                   for line in plan), plan
    db.session.rollback()


@pytest.mark.parametrize("path", CALENDARS)
def test_attendees_are_published_to_the_team_and_never_their_addresses_to_a_client(
        make, client, client_for, path):
    """ATTENDEE lines carry each person's name and mailto: address, as the project's people
    page shows them to the team; a client, who never sees addresses there, gets none, and
    nothing at all of a private event."""
    ana = make.user('Ana "A; B", Lee', email="ana@example.org")
    bo, cy = make.user("Bo", email="bo@example.org"), make.user("Cy", email="cy@example.org")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    team = client_for(ana)
    today = utcnow().date().isoformat()
    weekly = add_event(team, project, title="Weekly", repeat="weekly", starts_on=today,
                       attendees=[str(ana.id), str(bo.id), str(cy.id)])
    team.post(url(weekly, f"occurrences/{weekly.starts_at.strftime('%Y%m%dT%H%M%SZ')}/cancel"))
    add_event(team, project, title="Secret", private="y", starts_on=today,
              attendees=[str(bo.id)])
    seen = calendar_of(client, path, project, ana)
    by_title: dict[str, list] = {}
    for component in seen.walk("VEVENT"):
        attendees = component.get("ATTENDEE", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        by_title.setdefault(str(component["SUMMARY"]), []).append(
            [(str(a), a.params["CN"]) for a in attendees])
    everyone = [("mailto:ana@example.org", "Ana A; B, Lee"),  # no double quote in a CN
                ("mailto:bo@example.org", "Bo"), ("mailto:cy@example.org", "Cy")]
    assert by_title["Weekly"] == [everyone, everyone]  # the series and its cancelled date
    assert by_title["Secret"] == [[("mailto:bo@example.org", "Bo")]]

    as_client = calendar_of(client, path, project, cy)
    body = client.get(path.format(id=project.id) + f"?token={cy.feed_token}").data
    assert b"ATTENDEE" not in body and b"@example.org" not in body and b"Secret" not in body
    assert {str(c["SUMMARY"]) for c in as_client.walk("VEVENT")} == {"Weekly"}


def test_a_changed_date_s_own_notes_and_place_are_in_its_override(make, client, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    start = utcnow().date() + timedelta(days=1)
    event = add_event(team, project, title="Sync", repeat="daily", starts_on=start.isoformat(),
                      notes="Usual agenda", timezone="UTC")
    second, third = (start + timedelta(days=n) for n in (1, 2))
    for day, extra in ((second, {"notes": "Budget only", "place": "Roof"}),
                       (third, {"notes": "Usual agenda", "place": "Room 1"})):
        key = f"{day.strftime('%Y%m%d')}T090000Z"
        response = team.post(url(event, f"occurrences/{key}/edit?scope=this"), data={
            "title": "Sync", "starts_on": day.isoformat(), "starts_time": "10:00",
            "ends_on": "", "ends_time": "11:00", "timezone": "UTC", **extra})
        assert response.status_code == 302
    calendar = calendar_of(client, CALENDARS[0], project, ana)
    overrides = {c.decoded("RECURRENCE-ID").date(): c for c in calendar.walk("VEVENT")
                 if "RECURRENCE-ID" in c}
    assert (str(overrides[second]["DESCRIPTION"]), str(overrides[second]["LOCATION"])) == (
        "Budget only", "Roof")
    assert str(overrides[third]["DESCRIPTION"]) == "Usual agenda"  # the event's, still
