"""Events through their pages: added, shown, changed (all, one date, this and the following
ones), refused when wrong, and hidden from clients when private."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from workspace.activity.models import Event
from workspace.extensions import db
from workspace.schedule.models import CalendarEvent, EventException

from .helpers import add_event, event_data, url


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_member_adds_a_weekly_event_and_it_is_stored_in_utc(make, client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    team = client_for(bo)
    event = add_event(team, project, repeat="weekly", weekdays=["0", "2"], notes="Bring **it**",
                      attendees=[str(ana.id), str(bo.id)])
    assert event.starts_at == datetime(2026, 3, 2, 8, tzinfo=UTC)
    assert event.ends_at == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert event.timezone == "Europe/Paris" and event.rule == "FREQ=WEEKLY;BYDAY=MO,WE"
    assert event.last_ends_at is None and event.attendee_ids == {ana.id, bo.id}
    page = team.get(url(event)).get_data(as_text=True)
    assert "Weekly meeting" in page and "<strong>it</strong>" in page and "Room 1" in page
    actions = db.session.scalars(select(Event.action).where(Event.subject_type == "event"))
    assert list(actions) == ["created"]
    assert "Bo added the event" in team.get(f"/projects/{project.id}").get_data(as_text=True)


def test_an_all_day_event_over_three_days(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    event = add_event(client_for(ana), project, all_day="y", starts_on="2026-07-10",
                      ends_on="2026-07-12", starts_time="", ends_time="", title="Retreat")
    assert event.all_day and event.first_day.isoformat() == "2026-07-10"
    assert event.last_day.isoformat() == "2026-07-12"
    assert event.ends_at == datetime(2026, 7, 12, 22, tzinfo=UTC)  # midnight after, Paris


def test_bad_input_is_named_the_form_kept_and_nothing_written(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    cases = {
        "must end after it starts": {"ends_time": "08:00"},
        "is not a date": {"starts_on": "2026-02-30"},
        "is not a timezone": {"timezone": "Mars/Olympus"},
        "Choose the last day": {"repeat": "daily", "ends": "until"},
        "gives no date": {"repeat": "daily", "ends": "until", "until": "2026-01-01"},
    }
    for message, changes in cases.items():
        response = team.post(f"/projects/{project.id}/events/new",
                             data=event_data(title="Kept title", **changes))
        html = response.get_data(as_text=True)
        assert response.status_code == 400, message
        assert message in html and 'value="Kept title"' in html, message
    assert count(CalendarEvent) == 0 and count(Event) == 0


def test_one_date_is_moved_another_cancelled(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    event = add_event(team, project, repeat="weekly", ends="count", count="4")
    second, third = "20260309T080000Z", "20260316T080000Z"
    moved = team.post(url(event, f"occurrences/{second}/edit?scope=this"), data=event_data(
        title="Moved meeting", starts_on="2026-03-11", starts_time="14:00", ends_time="15:00"))
    assert moved.status_code == 302
    assert team.post(url(event, f"occurrences/{third}/cancel")).status_code == 302
    exceptions = db.session.scalars(select(EventException).order_by(EventException.id)).all()
    assert [(e.original_start, e.starts_at, e.cancelled) for e in exceptions] == [
        (datetime(2026, 3, 9, 8, tzinfo=UTC), datetime(2026, 3, 11, 13, tzinfo=UTC), False),
        (datetime(2026, 3, 16, 8, tzinfo=UTC), datetime(2026, 3, 16, 8, tzinfo=UTC), True),
    ]
    db.session.refresh(event)
    assert event.revision == 2  # each change of a date is a new SEQUENCE for the series


def test_an_occurrence_that_does_not_exist_is_refused_and_nothing_written(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    event = add_event(team, project, repeat="weekly")
    single = add_event(team, project, title="Once")
    for target, key in ((event, "20260310T080000Z"), (event, "garbage"),
                        (single, "20260302T080000Z")):
        response = team.post(url(target, f"occurrences/{key}/cancel"))
        assert response.status_code == 400
        assert "no occurrence at that time" in response.get_data(as_text=True) or \
            "does not repeat" in response.get_data(as_text=True)
    assert count(EventException) == 0


def test_this_and_the_following_dates_split_the_series(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    event = add_event(team, project, repeat="weekly")
    team.post(url(event, "occurrences/20260302T080000Z/cancel"))
    response = team.post(url(event, "occurrences/20260316T080000Z/edit?scope=following"),
                         data=event_data(title="Later meeting", starts_on="2026-03-16",
                                         starts_time="11:00", ends_time="12:00",
                                         repeat="weekly"))
    assert response.status_code == 302
    db.session.expire_all()
    old, new = db.session.scalars(select(CalendarEvent).order_by(CalendarEvent.id)).all()
    assert old.rule == "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260316T075959Z"
    assert old.last_ends_at == datetime(2026, 3, 9, 9, tzinfo=UTC)
    assert len(old.exceptions) == 1 and new.exceptions == []  # before the split: kept
    assert new.title == "Later meeting" and new.starts_at == datetime(2026, 3, 16, 10,
                                                                     tzinfo=UTC)
    assert new.rule == "FREQ=WEEKLY;BYDAY=MO"


def test_a_split_carries_the_changed_and_cancelled_dates_after_it(make, client_for):
    """Nothing the person made is lost: each changed date after the split is re-keyed to the
    new series; a date given its own hour keeps it, one only moved to another day keeps its
    day at the new hour; one the new rule has no place for becomes an event of its own."""
    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    event = add_event(team, project, repeat="weekly", notes="Series notes")
    mondays = {day: f"202603{day:02d}T080000Z" for day in (9, 16, 23)}
    mondays[30] = "20260330T070000Z"  # summer time from the 29th: 09:00 is 07:00 UTC
    team.post(url(event, "occurrences/20260302T080000Z/cancel"))  # before: stays
    team.post(url(event, f"occurrences/{mondays[16]}/edit?scope=this"), data=event_data(
        starts_on="2026-03-18", notes="Own *notes*"))  # only the day moved
    team.post(url(event, f"occurrences/{mondays[23]}/edit?scope=this"), data=event_data(
        starts_on="2026-03-24", starts_time="15:00", ends_time="16:30", place="Annex",
        notes="Series notes"))
    team.post(url(event, f"occurrences/{mondays[30]}/cancel"))
    response = team.post(url(event, f"occurrences/{mondays[9]}/edit?scope=following"),
                         data=event_data(title="Later meeting", starts_on="2026-03-10",
                                         starts_time="11:00", ends_time="12:00",
                                         repeat="weekly", interval="1", notes="New notes"))
    assert response.status_code == 302
    db.session.expire_all()
    old, new = db.session.scalars(select(CalendarEvent).order_by(CalendarEvent.id)).all()
    assert [e.original_start for e in old.exceptions] == [datetime(2026, 3, 2, 8, tzinfo=UTC)]
    assert new.rule == "FREQ=WEEKLY;BYDAY=TU"  # from Monday 09:00 to Tuesday 11:00
    carried = [(e.original_start, e.starts_at, e.ends_at, e.title, e.place, e.notes,
                e.cancelled) for e in new.exceptions]
    tuesday = {day: datetime(2026, 3, day, 10, tzinfo=UTC) for day in (17, 24)}
    tuesday[31] = datetime(2026, 3, 31, 9, tzinfo=UTC)
    assert carried == [
        (tuesday[17], datetime(2026, 3, 18, 10, tzinfo=UTC),  # its Wednesday, at 11:00
         datetime(2026, 3, 18, 11, tzinfo=UTC), "Later meeting", "Room 1", "Own *notes*",
         False),
        (tuesday[24], datetime(2026, 3, 24, 14, tzinfo=UTC),  # its own 15:00, kept
         datetime(2026, 3, 24, 15, 30, tzinfo=UTC), "Later meeting", "Annex", None, False),
        (tuesday[31], tuesday[31], tuesday[31] + timedelta(hours=1), "Later meeting",
         "Room 1", None, True),
    ]
    assert new.notes == "New notes"


def test_a_changed_date_the_new_rule_has_no_place_for_becomes_its_own_event(make,
                                                                             client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    team = client_for(ana)
    event = add_event(team, project, repeat="weekly", attendees=[str(bo.id)])
    team.post(url(event, "occurrences/20260316T080000Z/edit?scope=this"),
              data=event_data(title="Board visit", starts_on="2026-03-16", starts_time="14:00",
                              ends_time="15:00"))
    team.post(url(event, "occurrences/20260323T080000Z/cancel"))
    team.post(url(event, "occurrences/20260309T080000Z/edit?scope=following"),
              data=event_data(starts_on="2026-03-09", repeat="weekly", interval="2",
                              attendees=[str(bo.id)]))
    db.session.expire_all()
    _, new, single = db.session.scalars(select(CalendarEvent).order_by(CalendarEvent.id))
    assert new.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
    assert [(e.original_start, e.cancelled) for e in new.exceptions] == [
        (datetime(2026, 3, 23, 8, tzinfo=UTC), True)]  # every other Monday: the 23rd is one
    assert (single.title, single.rule, single.starts_at, single.attendee_ids) == (
        "Board visit", None, datetime(2026, 3, 16, 13, tzinfo=UTC), {bo.id})


def test_one_date_has_its_own_notes_and_place(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    event = add_event(team, project, repeat="weekly", notes="Usual agenda",
                      starts_on="2027-03-01")  # dates to come: the event's page lists them
    key = "20270308T080000Z"
    form = team.get(url(event, f"occurrences/{key}/edit?scope=this")).get_data(as_text=True)
    assert "Usual agenda" in form  # the event's notes, to change for this date
    team.post(url(event, f"occurrences/{key}/edit?scope=this"),
              data=event_data(place="Roof", notes="Bring **sunscreen**",
                              starts_on="2027-03-08"))
    exception = db.session.scalar(select(EventException))
    assert (exception.place, exception.notes) == ("Roof", "Bring **sunscreen**")
    page = team.get(url(event)).get_data(as_text=True)
    assert "<strong>sunscreen</strong>" in page and "Roof" in page
    form = team.get(url(event, f"occurrences/{key}/edit?scope=this")).get_data(as_text=True)
    assert "Bring **sunscreen**" in form and 'value="Roof"' in form
    team.post(url(event, f"occurrences/{key}/edit?scope=this"),
              data=event_data(place="Roof", notes="Usual agenda", starts_on="2027-03-08"))
    db.session.expire_all()
    assert db.session.scalar(select(EventException)).notes is None  # follows the event's


def test_editing_all_dates_keeps_the_exceptions_the_rule_still_has(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    event = add_event(team, project, repeat="weekly")
    team.post(url(event, "occurrences/20260309T080000Z/cancel"))
    assert team.get(url(event, "edit")).status_code == 200
    team.post(url(event, "edit"), data=event_data(title="Renamed", repeat="weekly"))
    db.session.expire_all()
    assert db.session.get(CalendarEvent, event.id).title == "Renamed"
    assert count(EventException) == 1
    team.post(url(event, "edit"), data=event_data(title="Renamed", repeat="weekly",
                                                  starts_time="10:00", ends_time="11:00"))
    assert count(EventException) == 0  # 09:00 is no longer a date of it


def test_a_client_never_sees_a_private_event(make, client_for):
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    team, client = client_for(ana), client_for(cy)
    secret = add_event(team, project, title="Secret plan", private="y", repeat="daily")
    add_event(team, project, title="Open day")
    assert client.get(url(secret)).status_code == 404
    schedule = f"/projects/{project.id}/schedule?month=2026-03"
    assert "Secret plan" in team.get(schedule).get_data(as_text=True)
    seen = client.get(schedule).get_data(as_text=True)
    assert "Open day" in seen and "Secret plan" not in seen
    assert "Secret plan" not in client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert client.get(f"/projects/{project.id}/events/new").status_code == 403
