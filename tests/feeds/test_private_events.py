"""A client's activity feeds (Atom, RSS) and calendars never hold a private event: not its
creation, its comments, its changed or cancelled dates, nor its occurrences and overrides;
an event made private later vanishes from them too. The team's hold all of it."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from icalendar import Calendar

from tests.schedule.helpers import add_event, event_data, url
from workspace.types import utcnow

FEEDS = ["/projects/{id}/feed.atom", "/projects/{id}/feed.rss", "/feed.atom", "/feed.rss"]
CALENDARS = ["/projects/{id}/milestones.ics", "/milestones.ics"]
SECRETS = ("Secret plan", "Secret moved", "secret-notes", "secret-comment", "Turned private",
           "turned-comment", "Turned moved")


@pytest.fixture
def schedule(make, client_for):  # type: ignore[no-untyped-def]
    """A private weekly event with a moved, a cancelled and a commented date; a public one
    treated the same way and then made private; an open event with a comment."""
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project("Launch", owner=ana, clients=(cy,))
    team = client_for(ana)
    monday = utcnow().date() - timedelta(days=utcnow().date().weekday())
    start = {"starts_on": monday.isoformat(), "timezone": "UTC", "repeat": "weekly"}
    secret = add_event(team, project, title="Secret plan", private="y",
                       notes="secret-notes", **start)
    turned = add_event(team, project, title="Turned private", **start)
    for event, title, comment in ((secret, "Secret moved", "secret-comment"),
                                  (turned, "Turned moved", "turned-comment")):
        key = (event.starts_at + timedelta(weeks=1)).strftime("%Y%m%dT%H%M%SZ")
        moved = team.post(url(event, f"occurrences/{key}/edit?scope=this"), data=event_data(
            title=title, notes="secret-notes",
            starts_on=(monday + timedelta(days=8)).isoformat(), timezone="UTC"))
        assert moved.status_code == 302
        cancelled = (event.starts_at + timedelta(weeks=2)).strftime("%Y%m%dT%H%M%SZ")
        assert team.post(url(event, f"occurrences/{cancelled}/cancel")).status_code == 302
        assert team.post(url(event, "comments"), data={"body": comment}).status_code == 302
    made_private = team.post(url(turned, "edit"), data=event_data(
        title="Turned private", private="y", **start))
    assert made_private.status_code == 302
    opened = add_event(team, project, title="Open day", starts_on=monday.isoformat(),
                       timezone="UTC")
    assert team.post(url(opened, "comments"), data={"body": "open-comment"}).status_code == 302
    return project, ana, cy, (secret, turned)


def read(client, path: str, project, user) -> bytes:  # type: ignore[no-untyped-def]
    response = client.get(path.format(id=project.id) + f"?token={user.feed_token}")
    assert response.status_code == 200
    return response.data


@pytest.mark.parametrize("path", FEEDS)
def test_a_client_s_activity_feed_never_holds_a_private_event(schedule, client, path):
    project, ana, cy, _ = schedule
    team_feed = feedparser.parse(read(client, path, project, ana))
    team_text = " ".join(f"{e.title} {e.get('summary', '')}" for e in team_feed.entries)
    assert "Secret plan" in team_text and "secret-comment" in team_text
    assert "changed one date of the event 'Secret plan'" in team_text

    body = read(client, path, project, cy)
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.bozo_exception
    assert not [secret for secret in SECRETS if secret.encode() in body]
    titles = [entry.title for entry in parsed.entries]
    assert titles == ["Ana commented on 'Open day'", "Ana added the event 'Open day'"]


@pytest.mark.parametrize("path", CALENDARS)
def test_a_client_s_calendar_never_holds_a_private_event_s_dates(schedule, client, path):
    project, ana, cy, (secret, turned) = schedule
    uids = {f"event-{event.id}@workspace.test" for event in (secret, turned)}
    team_calendar = Calendar.from_ical(read(client, path, project, ana))
    overrides = [c for c in team_calendar.walk("VEVENT")
                 if str(c["UID"]) in uids and "RECURRENCE-ID" in c]
    assert len(overrides) == 4  # a moved and a cancelled date of each

    body = read(client, path, project, cy)
    seen = Calendar.from_ical(body)
    assert {str(c["UID"]) for c in seen.walk("VEVENT")}.isdisjoint(uids)
    assert [str(c["SUMMARY"]) for c in seen.walk("VEVENT")] == ["Open day"]
    assert not [secret for secret in SECRETS if secret.encode() in body]
