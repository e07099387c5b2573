"""Guests see less about people: a client sees names and roles, never another person's email
address, in pages, the API, feeds and the emails they receive. Members see their project's."""

from __future__ import annotations

import re

import pytest

from tests.api.test_routes import call
from tests.mail.conftest import parts, smtp  # noqa: F401 (the SMTP sink fixture)
from workspace.api.tokens import create_token
from workspace.mail.operations import deliver_queued
from workspace.messages.operations import post_message
from workspace.projects.access import project_access

ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def addresses(text: str) -> set[str]:
    return {match.lower() for match in ADDRESS.findall(text)}


@pytest.fixture
def launch(make):  # type: ignore[no-untyped-def]
    ana = make.user("Ana Owner", email="ana@example.org")
    bo = make.user("Bo Member", email="bo@example.org")
    cy = make.user("Cy Client", email="cy@example.org")
    outsider = make.user("Olga Other", email="olga@example.org")
    project = make.project("Launch", owner=ana, members=(bo,), clients=(cy,))
    make.project("Elsewhere", owner=outsider, members=(bo,))
    post_message(project_access(project.id, user=bo), title="Kick-off",
                 body="Agenda attached", private=False, notify=[ana.id, cy.id])
    return ana, bo, cy, project


def test_a_client_sees_no_other_address_in_pages(launch, client_for):
    _ana, _bo, cy, project = launch
    client = client_for(cy)
    seen: set[str] = set()
    for url in ("/", f"/projects/{project.id}", f"/projects/{project.id}/people",
                f"/projects/{project.id}/messages", "/activity", "/notifications",
                "/settings/profile"):
        response = client.get(url)
        assert response.status_code == 200, url
        seen |= addresses(response.get_data(as_text=True))
    people = client.get(f"/projects/{project.id}/people").get_data(as_text=True)
    assert "Ana Owner" in people and "Bo Member" in people
    assert seen <= {"cy@example.org"}


def test_a_member_sees_the_addresses_of_their_projects_people_only(launch, client_for):
    _ana, bo, _cy, project = launch
    page = client_for(bo).get(f"/projects/{project.id}/people").get_data(as_text=True)
    assert addresses(page) >= {"ana@example.org", "cy@example.org"}
    assert "olga@example.org" not in addresses(page)


def test_a_client_sees_no_other_address_in_the_api_or_feeds(launch, client):
    _ana, _bo, cy, project = launch
    token = create_token(cy, "t")[1]
    seen: set[str] = set()
    for url in ("/me", "/projects", f"/projects/{project.id}/people", "/events",
                f"/projects/{project.id}/messages", "/people"):
        seen |= addresses(call(client, "GET", url, token).get_data(as_text=True))
    for url in (f"/feed.atom?token={cy.feed_token}", f"/feed.rss?token={cy.feed_token}",
                f"/projects/{project.id}/feed.atom?token={cy.feed_token}",
                f"/milestones.ics?token={cy.feed_token}"):
        response = client.get(url)
        assert response.status_code == 200, url
        seen |= addresses(response.get_data(as_text=True))
    assert seen <= {"cy@example.org"}


def test_the_emails_a_client_receives_hold_no_other_address(launch, smtp):  # noqa: F811
    deliver_queued()
    received = smtp.to("cy@example.org")
    assert received, "the client was notified of the message"
    for email in received:
        text = " ".join([str(value) for _name, value in email.items()]
                        + list(parts(email).values()))
        assert "Bo Member" in text
        assert addresses(text) <= {"cy@example.org"}
