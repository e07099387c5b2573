"""Events whose author's account is gone still read well: feeds and the API say "Someone"."""

import feedparser
from sqlalchemy import update

from workspace.activity.models import Event
from workspace.api.tokens import create_token
from workspace.extensions import db


def test_an_event_of_a_removed_account_is_someones(make, client, client_for):
    ana, bob = make.user("Ana"), make.user("Bob")
    project = make.project("Launch", owner=ana, members=(bob,))
    for author, title in [(ana, "Kept"), (bob, "Orphaned")]:
        response = client_for(author).post(f"/projects/{project.id}/messages/new",
                                           data={"title": title, "body": "Text"})
        assert response.status_code == 302
    db.session.execute(update(Event).where(Event.actor_id == bob.id).values(actor_id=None))
    db.session.commit()

    for kind in ("atom", "rss"):
        response = client.get(f"/projects/{project.id}/feed.{kind}?token={ana.feed_token}")
        entries = feedparser.parse(response.data).entries
        assert [(entry.title, entry.author) for entry in entries] == [
            ("Someone posted 'Orphaned'", "Someone"), ("Ana posted 'Kept'", "Ana")]

    token = create_token(ana, "script")[1]
    events = client.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"}).json
    assert [(event["summary"], event["creator"]) for event in events] == [
        ("Someone posted 'Orphaned'", None),
        ("Ana posted 'Kept'", {"id": ana.id, "name": "Ana"})]
