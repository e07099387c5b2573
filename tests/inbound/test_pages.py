"""The project page shows each person their own email-in address, with a way to replace it."""

from __future__ import annotations

from workspace.extensions import db
from workspace.inbound.addresses import email_in_address
from workspace.types import utcnow


def test_the_overview_shows_a_personal_email_in_address(story, client_for):
    page = client_for(story.cy).get(f"/projects/{story.project.id}").text
    address = email_in_address(story.cy, story.project)
    assert "Email in" in page and f'value="{address}"' in page
    assert 'data-copy="email-in-address"' in page and "copy.js" in page
    assert address not in client_for(story.ana).get(f"/projects/{story.project.id}").text


def test_no_panel_without_an_inbound_address_or_in_an_archived_project(story, client_for):
    story.app.config.update(WORKSPACE_MAIL_INBOUND_ADDRESS="")
    assert "email-in-address" not in client_for(story.ana).get(
        f"/projects/{story.project.id}").text
    story.app.config.update(WORKSPACE_MAIL_INBOUND_ADDRESS="workspace@example.org")
    story.project.archived_at = utcnow()
    db.session.commit()
    assert "email-in-address" not in client_for(story.ana).get(
        f"/projects/{story.project.id}").text


def test_regenerating_replaces_the_address(story, client_for):
    client = client_for(story.bo)
    old = email_in_address(story.bo, story.project)
    response = client.post(f"/projects/{story.project.id}/email-in/regenerate")
    assert response.status_code == 302 and response.location.endswith("#email-in")
    db.session.expire_all()
    new = email_in_address(story.bo, story.project)
    assert new != old and new in client.get(f"/projects/{story.project.id}").text


def test_regenerating_needs_the_form_token_and_a_place_in_the_project(story, client_for, make):
    old = email_in_address(story.bo, story.project)
    url = f"/projects/{story.project.id}/email-in/regenerate"
    assert client_for(story.bo).post(url, csrf=False).status_code == 400
    assert client_for(make.user("Stranger")).post(url).status_code == 404
    db.session.expire_all()
    assert email_in_address(story.bo, story.project) == old


def test_an_archived_project_keeps_the_address_and_says_why(story, client_for):
    old = email_in_address(story.bo, story.project)
    story.project.archived_at = utcnow()
    db.session.commit()
    response = client_for(story.bo).post(f"/projects/{story.project.id}/email-in/regenerate")
    assert response.status_code == 403 and "archived" in response.text
    db.session.expire_all()
    assert email_in_address(story.bo, story.project) == old


def test_the_panel_and_its_confirmation_are_in_french(story, client_for):
    story.bo.locale = "fr"
    db.session.commit()
    client = client_for(story.bo)
    page = client.get(f"/projects/{story.project.id}").text
    assert "Votre adresse pour ce projet" in page and "Email in" not in page
    page = client.post(f"/projects/{story.project.id}/email-in/regenerate",
                       follow_redirects=True).text
    assert "Votre adresse de réception est nouvelle" in page
