"""Events through the API: made with choices or a rule, refused when wrong, their dates
expanded over a span; and a client never meets a private one there, nor in search."""

from __future__ import annotations

from workspace.api.tokens import create_token

from .helpers import add_event


def api(client, method: str, path: str, user, **kwargs):  # type: ignore[no-untyped-def]
    token = create_token(user, "test")[1]
    return client.open(f"/api/v1{path}", method=method,
                       headers={"Authorization": f"Bearer {token}"}, **kwargs)


def test_an_event_is_made_and_its_dates_expanded(make, client):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    base = f"/projects/{project.id}/schedule"
    made = api(client, "POST", f"{base}/events", ana, json={
        "title": "Stand-up", "starts_on": "2026-10-20", "starts_time": "09:00",
        "timezone": "Europe/Paris", "rule": "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=10"})
    assert made.status_code == 201, made.json
    event = made.json
    assert event["rule"] == "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=10"
    assert event["starts_at"].startswith("2026-10-20T07:00")
    key = "20261022T070000Z"
    cancelled = api(client, "POST", f"{base}/events/{event['id']}/occurrences/{key}/cancel", ana)
    assert cancelled.status_code == 200 and cancelled.json["exceptions"][0]["cancelled"]
    dates = api(client, "GET", f"{base}/occurrences?from=2026-10-19&to=2026-10-30", ana).json
    # 9 left of 10 working days; after the clocks change on the 25th, 09:00 is 08:00 UTC.
    assert [d["starts_at"][:16] for d in dates] == [
        "2026-10-20T07:00", "2026-10-21T07:00", "2026-10-23T07:00", "2026-10-26T08:00",
        "2026-10-27T08:00", "2026-10-28T08:00", "2026-10-29T08:00", "2026-10-30T08:00"]
    wrong = api(client, "POST", f"{base}/events/{event['id']}/occurrences/20261024T070000Z/"
                "cancel", ana)
    assert wrong.status_code == 400
    too_long = api(client, "GET", f"{base}/occurrences?from=2026-01-01&to=2028-01-01", ana)
    assert too_long.status_code == 400


def test_bad_events_are_refused_with_the_field_named(make, client):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    path = f"/projects/{project.id}/schedule/events"
    good = {"title": "Call", "starts_on": "2026-10-20", "starts_time": "09:00",
            "timezone": "Europe/Paris"}
    for changes, field in (({"rule": "FREQ=HOURLY"}, "rule"),
                           ({"rule": "FREQ=MINUTELY;COUNT=3000"}, "rule"),
                           ({"rule": "DTSTART=2020"}, "rule"),
                           ({"timezone": "Nowhere/Land"}, "timezone"),
                           ({"starts_on": "2026-02-30"}, "starts_on"),
                           ({"ends_time": "08:00"}, "ends_on")):
        response = api(client, "POST", path, ana, json={**good, **changes})
        assert response.status_code == 422, (changes, response.json)
        assert field in response.json["error"]["fields"], (changes, response.json)
    assert api(client, "GET", path, ana).json == []


def test_a_client_never_meets_a_private_event_in_the_api_or_search(make, client, client_for):
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    team = client_for(ana)
    secret = add_event(team, project, title="Zanzibar secret", private="y", repeat="daily")
    add_event(team, project, title="Zanzibar public")
    base = f"/projects/{project.id}/schedule"
    titles = {e["title"] for e in api(client, "GET", f"{base}/events", cy).json}
    assert titles == {"Zanzibar public"}
    assert api(client, "GET", f"{base}/events/{secret.id}", cy).status_code == 404
    dates = api(client, "GET", f"{base}/occurrences?from=2026-03-01&to=2026-03-31", cy).json
    assert {d["title"] for d in dates} == {"Zanzibar public"}
    assert {d["title"] for d in api(client, "GET", f"{base}/occurrences?from=2026-03-01"
                                    "&to=2026-03-31", ana).json} == {"Zanzibar public",
                                                                     "Zanzibar secret"}
    found = client_for(cy).get("/search?q=Zanzibar").get_data(as_text=True)
    assert "</mark> public" in found and "secret" not in found
    assert "</mark> secret" in team.get("/search?q=Zanzibar").get_data(as_text=True)


def test_an_event_is_changed_and_deleted(make, client):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    base = f"/projects/{project.id}/schedule/events"
    made = api(client, "POST", base, ana, json={
        "title": "Review", "starts_on": "2026-10-20", "starts_time": "09:00",
        "ends_time": "10:30", "timezone": "Europe/Paris", "repeat": "weekly",
        "remind": "1h"}).json
    changed = api(client, "PATCH", f"{base}/{made['id']}", ana, json={"place": "Room 2"})
    assert changed.status_code == 200, changed.json
    assert (changed.json["place"], changed.json["rule"], changed.json["remind"]) == (
        "Room 2", "FREQ=WEEKLY;BYDAY=TU", "1h")
    assert changed.json["ends_at"].startswith("2026-10-20T08:30")
    monthly = api(client, "PATCH", f"{base}/{made['id']}", ana,
                  json={"repeat": "monthly", "monthly_by": "weekday"}).json
    assert monthly["rule"] == "FREQ=MONTHLY;BYDAY=3TU"
    ended = api(client, "PATCH", f"{base}/{made['id']}", ana, json={"rule": ""}).json
    assert ended["rule"] is None
    assert api(client, "DELETE", f"{base}/{made['id']}", ana).status_code == 204
    assert api(client, "GET", f"{base}/{made['id']}", ana).status_code == 404


def test_one_date_is_moved_through_the_api(make, client):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    base = f"/projects/{project.id}/schedule"
    made = api(client, "POST", f"{base}/events", ana, json={
        "title": "Sync", "starts_on": "2026-10-19", "starts_time": "09:00",
        "timezone": "Europe/Paris", "repeat": "weekly"}).json
    moved = api(client, "PATCH", f"{base}/events/{made['id']}/occurrences/20261026T080000Z",
                ana, json={"starts_on": "2026-10-27", "starts_time": "14:00",
                           "ends_time": "15:00", "title": "Sync (moved)"})
    assert moved.status_code == 200, moved.json
    assert moved.json["exceptions"] == [{
        "original_start": "2026-10-26T08:00:00+00:00", "cancelled": False,
        "starts_at": "2026-10-27T13:00:00+00:00", "ends_at": "2026-10-27T14:00:00+00:00",
        "title": "Sync (moved)", "place": "", "notes": None}]
    noted = api(client, "PATCH", f"{base}/events/{made['id']}/occurrences/20261026T080000Z",
                ana, json={"notes": "Bring the *budget*", "place": "Room 2"})
    assert noted.status_code == 200, noted.json
    assert noted.json["exceptions"][0] | {"original_start": None} == {
        "original_start": None, "cancelled": False,
        "starts_at": "2026-10-27T13:00:00+00:00", "ends_at": "2026-10-27T14:00:00+00:00",
        "title": "Sync (moved)", "place": "Room 2", "notes": "Bring the *budget*"}
    dates = api(client, "GET", f"{base}/occurrences?from=2026-10-19&to=2026-11-02", ana).json
    assert [(d["starts_at"], d["title"], d["notes"]) for d in dates] == [
        ("2026-10-19T07:00:00+00:00", "Sync", ""),
        ("2026-10-27T13:00:00+00:00", "Sync (moved)", "Bring the *budget*"),
        ("2026-11-02T08:00:00+00:00", "Sync", "")]
    missing = api(client, "PATCH", f"{base}/events/{made['id']}/occurrences/20261027T080000Z",
                  ana, json={"title": "Nope"})
    assert missing.status_code == 400


def test_a_date_and_the_following_ones_are_changed_through_the_api(make, client):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    base = f"/projects/{project.id}/schedule"
    made = api(client, "POST", f"{base}/events", ana, json={
        "title": "Sync", "starts_on": "2026-10-19", "starts_time": "09:00",
        "timezone": "Europe/Paris", "repeat": "weekly", "notes": "Agenda first"}).json
    path = f"{base}/events/{made['id']}/occurrences"
    api(client, "PATCH", f"{path}/20261102T080000Z", ana, json={"title": "Sync (renamed)"})
    api(client, "PATCH", f"{path}/20261109T080000Z", ana, json={"starts_on": "2026-11-11"})
    api(client, "POST", f"{path}/20261116T080000Z/cancel", ana)
    split = api(client, "PATCH", f"{path}/20261026T080000Z?scope=following", ana,
                json={"starts_time": "14:00", "ends_time": "15:00", "title": "Afternoon sync"})
    assert split.status_code == 200, split.json
    following = split.json
    assert following["id"] != made["id"] and following["title"] == "Afternoon sync"
    assert following["starts_at"] == "2026-10-26T13:00:00+00:00"
    assert following["rule"].startswith("FREQ=WEEKLY") and following["notes"] == "Agenda first"
    before = api(client, "GET", f"{base}/events/{made['id']}", ana).json
    assert "UNTIL=20261026T075959Z" in before["rule"]
    assert before["exceptions"] == []  # the changed dates were of the following ones
    # ... and went with them, re-keyed to the new series' 14:00: the renamed date keeps its
    # name, the date moved to Wednesday keeps its day (at the new hour), the cancelled one
    # stays cancelled.
    assert [(e["original_start"], e["starts_at"], e["title"], e["cancelled"])
            for e in following["exceptions"]] == [
        ("2026-11-02T13:00:00+00:00", "2026-11-02T13:00:00+00:00", "Sync (renamed)", False),
        ("2026-11-09T13:00:00+00:00", "2026-11-11T13:00:00+00:00", "Afternoon sync", False),
        ("2026-11-16T13:00:00+00:00", "2026-11-16T13:00:00+00:00", "Afternoon sync", True)]
    dates = api(client, "GET", f"{base}/occurrences?from=2026-10-19&to=2026-11-23", ana).json
    assert [(d["starts_at"], d["title"]) for d in dates] == [
        ("2026-10-19T07:00:00+00:00", "Sync"), ("2026-10-26T13:00:00+00:00", "Afternoon sync"),
        ("2026-11-02T13:00:00+00:00", "Sync (renamed)"),
        ("2026-11-11T13:00:00+00:00", "Afternoon sync"),
        ("2026-11-23T13:00:00+00:00", "Afternoon sync")]
    # The page's way says the same: the old series ends, the new one is listed.
    titles = [e["title"] for e in api(client, "GET", f"{base}/events", ana).json]
    assert sorted(titles) == ["Afternoon sync", "Sync"]


def test_following_is_refused_clearly_for_a_date_the_event_does_not_have(make, client):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    base = f"/projects/{project.id}/schedule"
    weekly = api(client, "POST", f"{base}/events", ana, json={
        "title": "Sync", "starts_on": "2026-10-19", "starts_time": "09:00",
        "timezone": "Europe/Paris", "repeat": "weekly"}).json
    once = api(client, "POST", f"{base}/events", ana, json={
        "title": "Party", "starts_on": "2026-10-20", "starts_time": "18:00",
        "timezone": "Europe/Paris"}).json
    for event, key, words in (
            (weekly, "20261027T080000Z", "no occurrence at that time"),  # a Tuesday
            (weekly, "not-a-key", "no occurrence at that time"),
            (once, "20261020T160000Z", "does not repeat")):
        response = api(client, "PATCH", f"{base}/events/{event['id']}/occurrences/{key}"
                       "?scope=following", ana, json={"title": "Nope"})
        assert response.status_code == 400, response.json
        assert words in response.json["error"]["message"]
    wrong_scope = api(client, "PATCH", f"{base}/events/{weekly['id']}/occurrences/"
                      "20261026T080000Z?scope=all", ana, json={"title": "Nope"})
    assert wrong_scope.status_code == 400 and wrong_scope.json["error"]["fields"] == {
        "scope": "not this or following"}
    one_date = api(client, "PATCH", f"{base}/events/{weekly['id']}/occurrences/"
                   "20261026T080000Z", ana, json={"repeat": "daily"})
    assert one_date.status_code == 422
    assert "scope=following" in one_date.json["error"]["fields"]["repeat"]
    # Nothing was written.
    assert api(client, "GET", f"{base}/events/{weekly['id']}", ana).json["exceptions"] == []
    assert len(api(client, "GET", f"{base}/events", ana).json) == 2


def test_a_client_or_another_project_cannot_split_a_series(make, client):
    ana, cy, dan = make.user("Ana"), make.user("Cy"), make.user("Dan")
    project = make.project(owner=ana, clients=(cy,))
    make.project("Elsewhere", owner=dan)
    base = f"/projects/{project.id}/schedule"
    secret = api(client, "POST", f"{base}/events", ana, json={
        "title": "Team only", "starts_on": "2026-10-19", "starts_time": "09:00",
        "timezone": "Europe/Paris", "repeat": "weekly", "private": True}).json
    shared = api(client, "POST", f"{base}/events", ana, json={
        "title": "Review", "starts_on": "2026-10-19", "starts_time": "11:00",
        "timezone": "Europe/Paris", "repeat": "weekly"}).json
    split = "occurrences/20261026T{}00Z?scope=following"
    for who, event, hour, status in ((dan, secret, "0800", 404), (dan, shared, "1000", 404),
                                     (cy, secret, "0800", 404), (cy, shared, "1000", 403)):
        response = api(client, "PATCH", f"{base}/events/{event['id']}/" + split.format(hour),
                       who, json={"title": "Taken"})
        assert response.status_code == status, (who.name, event["title"])
    events = api(client, "GET", f"{base}/events", ana).json
    assert sorted(e["title"] for e in events) == ["Review", "Team only"]
    assert all("UNTIL" not in e["rule"] for e in events)
