"""Feeds and calendars: what a feed reader and a calendar application rely on."""

import re
from datetime import date, timedelta

import feedparser
import pytest
from icalendar import Calendar

from tests.conftest import count_queries
from workspace.activity.models import Event
from workspace.extensions import db
from workspace.items import Item
from workspace.milestones.models import Milestone
from workspace.todos.models import Todo, TodoList


def post(client, project, title, body="Some **bold** text", **extra):
    response = client.post(f"/projects/{project.id}/messages/new",
                           data={"title": title, "body": body, **extra})
    assert response.status_code == 302, response.data
    return int(response.headers["Location"].rsplit("/", 1)[-1])


@pytest.fixture
def story(make, client_for):
    ana, cy, eve = make.user("Ana"), make.user("Cy"), make.user("Eve")
    project = make.project("Launch", owner=ana, clients=(cy,))
    other = make.project("Other", owner=eve)
    team = client_for(ana)
    public = post(team, project, "Launch plan")
    secret = post(team, project, "Budget", private="y")
    team.post(f"/projects/{project.id}/messages/{public}/comments", data={"body": "Public reply"})
    team.post(f"/projects/{project.id}/messages/{secret}/comments", data={"body": "Secret reply"})
    return project, other, team, {"ana": ana, "cy": cy, "eve": eve}, public, secret


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.bozo_exception
    return response, parsed


@pytest.mark.parametrize("path", ["/projects/{id}/feed.atom", "/projects/{id}/feed.rss",
                                  "/feed.atom", "/feed.rss"])
def test_every_feed_parses_and_entries_are_complete(story, client, path):
    project, _, _, people, _, _ = story
    url = path.format(id=project.id) + f"?token={people['ana'].feed_token}"
    response, parsed = feed(client, url)
    assert len(parsed.entries) == 4
    titles = [entry.title for entry in parsed.entries]
    assert titles[0] == "Ana commented on 'Budget'" and titles[-1] == "Ana posted 'Launch plan'"
    for entry in parsed.entries:
        assert entry.id.startswith("tag:")
        assert entry.link.startswith("http://") and f"/projects/{project.id}/" in entry.link
        assert entry.author == "Ana"
        assert entry.published_parsed is not None
    if path.endswith(".atom"):
        assert parsed.feed.id.startswith("tag:") and parsed.feed.updated
        assert re.search(rb"<updated>[^<]*(\+00:00|Z)</updated>", response.data)
        assert parsed.entries[-1].content[0].type == "text/html"
        assert "<strong>bold</strong>" in parsed.entries[-1].content[0].value
    again = feedparser.parse(client.get(url).data)
    assert [e.id for e in again.entries] == [e.id for e in parsed.entries]
    assert len({e.id for e in parsed.entries}) == 4


def test_a_clients_feed_has_nothing_private(story, client):
    project, _, _, people, _, _ = story
    for path in (f"/projects/{project.id}/feed.atom", "/feed.atom", "/feed.rss"):
        response, parsed = feed(client, f"{path}?token={people['cy'].feed_token}")
        assert b"Budget" not in response.data and b"Secret reply" not in response.data
        assert [e.title for e in parsed.entries] == ["Ana commented on 'Launch plan'",
                                                     "Ana posted 'Launch plan'"]


def test_tokens_open_only_their_owners_projects(story, client, client_for):
    project, other, _team, people, _, _ = story
    ana, eve = people["ana"], people["eve"]
    assert client.get(f"/projects/{other.id}/feed.atom?token={ana.feed_token}").status_code == 404
    assert client.get(f"/projects/{project.id}/feed.atom?token={eve.feed_token}").status_code == 404
    for token in (f"{ana.id}-wrong", "nonsense", ""):
        url = f"/projects/{project.id}/feed.atom?token={token}"
        assert client.get(url).status_code == 404
    assert client.get(f"/projects/{project.id}/feed.atom").status_code == 404
    assert client_for(ana).get(f"/projects/{project.id}/feed.atom").status_code == 200


def test_a_regenerated_token_or_a_removed_person_gets_404(story, client, client_for):
    project, _, team, people, _, _ = story
    cy = people["cy"]
    old = f"/projects/{project.id}/feed.atom?token={cy.feed_token}"
    client_for(cy).post("/settings/feeds/token")
    db.session.refresh(cy)
    assert client.get(old).status_code == 404
    fresh = f"/projects/{project.id}/feed.atom?token={cy.feed_token}"
    assert client.get(fresh).status_code == 200
    from workspace.projects.models import Membership
    membership = db.session.scalars(db.select(Membership).where(
        Membership.user_id == cy.id)).one()
    team.post(f"/projects/{project.id}/people/{membership.id}/remove")
    assert client.get(fresh).status_code == 404


def test_a_poll_writes_nothing_sets_no_cookie_and_answers_304(story, client, client_for):
    project, _, team, people, public, _secret = story
    url = f"/projects/{project.id}/feed.atom?token={people['cy'].feed_token}"
    with count_queries() as counter:
        first = client.get(url)
        cached = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        by_date = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    writes = [s for s in counter.statements if not s.lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert cached.status_code == 304 and cached.data == b""
    assert cached.headers["ETag"] == first.headers["ETag"]
    assert by_date.status_code == 304
    for response in (first, cached):
        assert "Set-Cookie" not in response.headers
    # A client sees no new event when a private message is deleted, yet its feed changed
    # (its comments vanished from the team's view); a public change shows too.
    team.post(f"/projects/{project.id}/messages/{public}/comments", data={"body": "More"})
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 200
    second = client.get(url).headers["ETag"]
    team.post(f"/projects/{project.id}/messages/{public}/edit",
              data={"title": "Launch plan", "body": "now private", "private": "y"})
    assert client.get(url, headers={"If-None-Match": second}).status_code == 200


def test_feed_queries_do_not_grow_with_the_stream(make, client):
    ana = make.user("Ana")
    small, large = make.project("Small", owner=ana), make.project("Large", owner=ana)
    for project, count in ((small, 5), (large, 200)):
        item = Item(kind="message", project_id=project.id)  # what they are about, for its key
        db.session.add(item)
        db.session.flush()
        db.session.add_all(Event(project_id=project.id, actor_id=ana.id, action="created",
                                 subject_type="message", subject_id=n + 1, target_type="message",
                                 target_id=n + 1, subject_item_id=item.id,
                                 target_item_id=item.id, summary=f"M{n}") for n in range(count))
    db.session.commit()
    counts = []
    for project in (small, large):
        with count_queries() as counter:
            client.get(f"/projects/{project.id}/feed.atom?token={ana.feed_token}")
        counts.append(counter.count)
    assert counts[0] == counts[1]
    parsed = feedparser.parse(client.get(f"/projects/{large.id}/feed.atom?"
                                         f"token={ana.feed_token}").data)
    assert len(parsed.entries) == 50


def test_awkward_titles_are_escaped(make, client_for, client):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    post(team, project, "<script>alert(1)</script> Échéance 🚀 שלום " + "x" * 150)
    response, parsed = feed(client, f"/projects/{project.id}/feed.atom?token={ana.feed_token}")
    assert b"<script>alert(1)</script>" not in response.data
    assert parsed.entries[0].title.startswith("Ana posted '<script>alert(1)</script> Échéance 🚀")


def test_calendars_list_milestones_and_dated_todos(story, client):
    project, other, _, people, _, _ = story
    public_list = TodoList(project_id=project.id, name="Public")
    secret_list = TodoList(project_id=project.id, name="Secret", private=True)
    db.session.add_all([public_list, secret_list,
                        Milestone(project_id=project.id, title="Beta", due_on=date(2030, 5, 1)),
                        Milestone(project_id=other.id, title="Not mine", due_on=date(2030, 1, 1))])
    db.session.flush()
    for name in ("ana", "cy"):  # a private to-do assigned to a client is still hidden from them
        db.session.add_all([
            Todo(project_id=project.id, list_id=public_list.id, text=f"Print {name}",
                 due_on=date(2030, 4, 1), assignee_id=people[name].id),
            Todo(project_id=project.id, list_id=secret_list.id, text=f"Hidden {name}",
                 private=True, due_on=date(2030, 4, 2), assignee_id=people[name].id),
        ])
    db.session.commit()
    expected = {  # (reader, calendar): its to-dos; a person's calendar holds only theirs
        ("ana", "project"): {"Print ana", "Print cy", "Hidden ana", "Hidden cy"},
        ("cy", "project"): {"Print ana", "Print cy"},
        ("ana", "personal"): {"Print ana", "Hidden ana"},
        ("cy", "personal"): {"Print cy"},
    }
    for name in ("ana", "cy"):
        token = people[name].feed_token
        for which, url in (("project", f"/projects/{project.id}/milestones.ics"),
                           ("personal", "/milestones.ics")):
            # By default dated to-dos are all-day events, which every calendar app shows.
            response = client.get(f"{url}?token={token}")
            calendar = Calendar.from_ical(response.data)
            events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
            assert calendar.walk("VTODO") == []
            assert set(events) == {"Beta"} | expected[name, which]
            assert events["Beta"].decoded("DTSTART") == date(2030, 5, 1)
            assert events["Beta"].decoded("DTEND") == date(2030, 5, 2)
            for text in expected[name, which]:
                day = date(2030, 4, 2 if text.startswith("Hidden") else 1)
                assert events[text].decoded("DTSTART") == day
                assert events[text].decoded("DTEND") == day + timedelta(days=1)
            cached = client.get(f"{url}?token={token}",
                                headers={"If-None-Match": response.headers["ETag"]})
            assert cached.status_code == 304
            # The VTODO form, for apps that show tasks: a document of its own, own validator.
            tasks = client.get(f"{url}?token={token}&todos=vtodo",
                               headers={"If-None-Match": response.headers["ETag"]})
            assert tasks.status_code == 200 and tasks.headers["ETag"] != response.headers["ETag"]
            calendar = Calendar.from_ical(tasks.data)
            assert {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")} == {"Beta"}
            assert {str(t["SUMMARY"]) for t in calendar.walk("VTODO")} == expected[name, which]
            assert client.get(f"{url}?token={token}&todos=other").status_code == 404
    assert client.get(f"/milestones.ics?token={people['ana'].id}-wrong").status_code == 404


def test_settings_and_pages_link_the_feeds(story, client_for):
    project, _, team, people, _, _ = story
    settings = team.get("/settings/feeds").text
    assert f"feed.atom?token={people['ana'].feed_token}" in settings
    overview = team.get(f"/projects/{project.id}").text
    assert 'rel="alternate" type="application/atom+xml"' in overview
