"""A template is no project's content: saving or importing one writes its own row and
nothing else, and no page, feed, calendar, search, notification, email, alert or API list
ever shows it (checked over every surface, as the client-safety tests do)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import select

from tests.api.test_routes import call
from workspace import models
from workspace.alerts.operations import send_due_alerts
from workspace.alerts.reminders import send_due_reminders
from workspace.api.tokens import create_token
from workspace.extensions import db
from workspace.notifications.delivery import send_due_recaps
from workspace.project_templates import operations
from workspace.project_templates.capture import Keep
from workspace.projects.access import access_to
from workspace.types import utcnow

from .helpers import counts, source_project

WORD = "Zanzibar"
# What the templates hold (a search page repeats the word searched, not these).
CONTENT = [f"{WORD} {part}" for part in ("plan", "lead", "launch", "list", "task", "later",
                                         "folder", "brief", "hello", "saved", "remark",
                                         "note", "aside", "reply")]


def shows_content(text: str) -> bool:
    """Whether the text, tags left out (search marks the words it found), shows any."""
    flat = re.sub(r"<[^>]+>", "", text)
    return any(words in flat for words in CONTENT)


def remark(part: str) -> list[dict]:
    return [{"body": f"{WORD} {part}", "author": "lead", "day": 0}]


def hostile_file() -> bytes:
    """A template full of the word, with to-dos and a milestone due from its first day, and
    comments on its to-do, milestone, document and message."""
    return json.dumps({
        "workspace_template": 1, "kind": "project", "name": f"{WORD} plan",
        "description": WORD,
        "roles": [{"key": "lead", "label": f"{WORD} lead", "project_role": "member"}],
        "milestones": [{"key": "m", "title": f"{WORD} launch", "day": 0,
                        "responsible": "lead", "comments": remark("note")}],
        "lists": [{"key": "l", "name": f"{WORD} list", "milestone": "m", "todos": [
            {"text": f"{WORD} task", "notes": WORD, "day": 0, "assignee": "lead",
             "comments": remark("remark")},
            {"text": f"{WORD} later", "day": 1, "assignee": "lead"}]}],
        "folders": [{"key": "f", "name": f"{WORD} folder"}],
        "documents": [{"title": f"{WORD} brief", "body": WORD, "folder": "f",
                       "comments": remark("aside")}],
        "messages": [{"title": f"{WORD} hello", "body": WORD, "comments": remark("reply")}],
    }).encode()


def test_saving_and_importing_write_only_the_templates_row(make):
    source = source_project(make)
    before = counts()
    operations.save_project_template(access_to(source.owner, source.project),
                                     Keep(people=True, private=True, completed=True,
                                          comments=True, message_ids=source.message_ids),
                                     name=WORD)
    operations.import_template(hostile_file(), by=source.owner)
    after = counts()
    assert after.pop("project_templates") == before.pop("project_templates") + 2
    assert after == before  # no item, event, search entry, notification, email, alert…


def test_no_surface_shows_a_template(make, client_for, client):
    source = source_project(make)
    imported = operations.import_template(hostile_file(), by=source.owner)
    operations.save_project_template(access_to(source.owner, source.project),
                                     Keep(people=True, comments=True), name=f"{WORD} saved")
    now = utcnow()
    for moment in (now, now + timedelta(days=1), now + timedelta(days=2)):
        send_due_alerts(moment)
        send_due_reminders(moment)
        send_due_recaps(moment)
    outbox = db.session.scalars(select(models.OutboxEmail)).all()
    assert not any(shows_content(email.subject + email.text_body + email.html_body)
                   for email in outbox)
    project = source.project
    for person in (source.owner, source.designer):
        web = client_for(person)
        token = create_token(person, "surfaces")[1]
        feed = person.feed_token
        pages = [
            "/", "/activity", "/assignments", "/notifications", "/schedule",
            f"/feed.atom?token={feed}", f"/feed.rss?token={feed}",
            f"/milestones.ics?token={feed}",
            f"/projects/{project.id}", f"/projects/{project.id}/todolists",
            f"/projects/{project.id}/milestones", f"/projects/{project.id}/messages",
            f"/projects/{project.id}/folders", f"/projects/{project.id}/schedule",
            f"/projects/{project.id}/feed.atom?token={feed}",
            f"/projects/{project.id}/milestones.ics?token={feed}",
            f"/search?q={WORD}", f"/projects/{project.id}/search?q={WORD}",
        ]
        for url in pages:
            page = web.get(url)
            assert page.status_code == 200, url
            assert not shows_content(page.text), url
        for url in ("/events", "/projects", f"/projects/{project.id}/events",
                    f"/projects/{project.id}/todolists", f"/projects/{project.id}/milestones",
                    f"/projects/{project.id}/messages", f"/projects/{project.id}/documents",
                    f"/projects/{project.id}/folders"):
            answer = call(client, "GET", url, token)
            assert answer.status_code == 200, url
            assert not shows_content(answer.get_data(as_text=True)), url
        assert shows_content(web.get("/templates").text)  # only its own page

    # The same checks see a project made from it: its items are real ones.
    made = operations.create_project(imported, name="Made", description="",
                                     anchor_date=now.date(), from_end=False,
                                     skip_weekends=False, people={}, by=source.owner)
    web = client_for(source.owner)
    assert shows_content(web.get(f"/search?q={WORD}").text)
    assert f"{WORD} reply" in re.sub(r"<[^>]+>", "", web.get(f"/search?q={WORD}+reply").text)
    assert f"{WORD} remark" in re.sub(r"<[^>]+>", "", web.get("/activity").text)
    assert shows_content(web.get("/activity").text)
    assert shows_content(web.get(f"/projects/{made.id}/feed.atom?"
                                 f"token={source.owner.feed_token}").text)
