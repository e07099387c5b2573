"""A client never sees a message private to the team, by any route."""

import pytest

from workspace.activity.models import Event
from workspace.extensions import db

from .helpers import comment, posted


@pytest.fixture
def story(make, client_for):
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    team = client_for(ana)
    public = posted(team, project, title="Public plan")
    secret = posted(team, project, title="Secret budget", private="y")
    comment(team, public, "Public reply")
    comment(team, secret, "Secret reply")
    secret_comment = secret.comments_count and db.session.scalars(
        db.select(Event.target_id).where(Event.target_type == "comment",
                                         Event.subject_id == secret.id)).one()
    return project, team, client_for(cy), public, secret, secret_comment


def test_the_client_sees_public_messages_everywhere_and_secret_ones_nowhere(story):
    project, _team, client, public, secret, secret_comment = story
    pages = [f"/projects/{project.id}", f"/projects/{project.id}/messages", "/activity",
             f"/projects/{project.id}/messages/{public.id}"]
    for url in pages:
        page = client.get(url).data
        assert b"Secret" not in page, url
    assert b"Public plan" in client.get(f"/projects/{project.id}/messages").data
    assert b"Public reply" in client.get(f"/projects/{project.id}/messages/{public.id}").data
    for url in (f"/projects/{project.id}/messages/{secret.id}",
                f"/projects/{project.id}/messages/{secret.id}/edit",
                f"/projects/{project.id}/comments/{secret_comment}",
                f"/projects/{project.id}/comments/{secret_comment}/edit"):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/projects/{project.id}/messages/{secret.id}/comments",
                           data={"body": "peek"})
    assert response.status_code == 404


def test_the_team_sees_the_padlock(story):
    project, team, *_ = story
    board = team.get(f"/projects/{project.id}/messages").data
    assert b"Secret budget" in board and b'class="private-mark"' in board


def test_turning_the_mark_off_shows_the_message_and_its_trail(story):
    project, team, client, _public, secret, _ = story
    team.post(f"/projects/{project.id}/messages/{secret.id}/edit",
              data={"title": "Secret budget", "body": "now public"})
    assert client.get(f"/projects/{project.id}/messages/{secret.id}").status_code == 200
    assert b"Secret reply" in client.get("/activity").data
    team.post(f"/projects/{project.id}/messages/{secret.id}/edit",
              data={"title": "Secret budget", "body": "hidden", "private": "y"})
    assert client.get(f"/projects/{project.id}/messages/{secret.id}").status_code == 404
    assert b"Secret" not in client.get("/activity").data


def test_a_stranger_gets_404_for_every_item_by_id(story, make, client_for):
    project, team, _, public, _secret, secret_comment = story
    stranger = make.user("Eve")
    make.project("Other", owner=stranger)
    client = client_for(stranger)
    base = f"/projects/{project.id}"
    for url in (f"{base}/messages/{public.id}", f"{base}/messages/{public.id}/edit",
                f"{base}/comments/{secret_comment}", f"{base}/messages"):
        assert client.get(url).status_code == 404, url
    for url in (f"{base}/messages/{public.id}/delete", f"{base}/comments/{secret_comment}/delete"):
        assert client.post(url).status_code == 404, url
    sneaky = client.post(f"{base}/messages/{public.id}/comments", data={"body": "x"})
    assert sneaky.status_code == 404
    assert b"Public plan" in team.get(f"{base}/messages").data
