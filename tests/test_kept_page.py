"""A page kept whole (fragments.kept_page: /notifications) is rendered once for what it shows,
and each reader still gets their own CSRF tokens, what changed since, and their flash
messages."""

from __future__ import annotations

import re

from lxml import html

from tests.messages.helpers import posted
from workspace.extensions import db
from workspace.fragments import FRAGMENTS


def notifications(client):  # type: ignore[no-untyped-def]
    page = client.get("/notifications")
    assert page.status_code == 200
    assert not re.search(rb"csrf-[0-9a-f]{32}", page.data)  # no placeholder left
    return html.fromstring(page.data)


def tokens(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [field.get("value") for field in page.xpath("//input[@name='csrf_token']")]


def test_each_reader_of_a_kept_page_gets_their_own_tokens(make, client_for):
    FRAGMENTS.clear()
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    posted(client_for(ana), project, notify=[str(bo.id)])
    first, second = client_for(bo), client_for(bo)

    pages = [notifications(first), notifications(second)]
    kept = len(FRAGMENTS.entries)
    again = notifications(first)

    assert len(FRAGMENTS.entries) == kept  # the second session's page was the kept one
    assert [len(tokens(page)) for page in pages] == [2, 2]  # mark read, sign out
    assert set(tokens(pages[0])).isdisjoint(tokens(pages[1]))
    mark_read = second.post("/notifications/read", csrf=False,
                            data={"csrf_token": tokens(pages[1])[0]})
    assert mark_read.status_code == 302
    assert tokens(again)[0] != tokens(pages[1])[0]


def test_a_kept_page_shows_what_changed_and_who_reads_it(make, client_for):
    FRAGMENTS.clear()
    ana, bo, cy = make.user("Ana"), make.user("Bo"), make.user("Cy")
    project = make.project("Launch", owner=ana, members=(bo, cy))
    ana_client, bo_client = client_for(ana), client_for(bo)
    posted(ana_client, project, "Launch plan", notify=[str(bo.id), str(cy.id)])

    assert "Launch plan" in notifications(bo_client).text_content()
    assert "Cy" in notifications(client_for(cy)).text_content()
    posted(ana_client, project, "Budget", notify=[str(bo.id)])
    assert "Budget" in notifications(bo_client).text_content()
    assert notifications(bo_client).xpath("//li[@class='unread']")
    bo_client.post("/notifications/read")
    assert not notifications(bo_client).xpath("//li[@class='unread']")
    project.name = "Liftoff"
    db.session.commit()
    assert "Liftoff" in notifications(bo_client).text_content()


def test_a_flash_message_is_shown_once_on_a_kept_page(make, client_for):
    FRAGMENTS.clear()
    ana = make.user("Ana")
    client = client_for(ana)
    notifications(client)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Preferences saved.")]

    assert "Preferences saved." in notifications(client).text_content()
    assert "Preferences saved." not in notifications(client).text_content()
