"""The site header of signed-in pages is kept once rendered, and shows only what is right for
the person reading now: their name and unread count as they are, the search of the project
they are in, and a sign-out form with their own CSRF token."""

from __future__ import annotations

import re

from lxml import html

from tests.messages.helpers import posted
from workspace.extensions import db
from workspace.fragments import FRAGMENTS


def header(client, url: str = "/"):  # type: ignore[no-untyped-def]
    page = client.get(url)
    assert page.status_code == 200
    return html.fromstring(page.data).xpath("//header")[0]


def test_the_header_follows_the_reader_and_what_they_see(make, client_for):
    FRAGMENTS.clear()
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    ana_client, bo_client = client_for(ana), client_for(bo)

    assert "Ana" in header(ana_client).text_content()
    assert "Bo" in header(bo_client).text_content()
    assert not header(bo_client).xpath(".//span[@class='badge']")

    posted(ana_client, project, notify=[str(bo.id)])  # Bo is told: one unread
    assert header(bo_client).xpath(".//span[@class='badge']")[0].text == "1"
    bo.name = "Robert"
    db.session.commit()
    assert "Robert" in header(bo_client).text_content()

    search = header(bo_client, f"/projects/{project.id}").xpath(".//form[@role='search']")[0]
    assert search.get("action") == f"/projects/{project.id}/search"
    assert header(bo_client).xpath(".//form[@role='search']")[0].get("action") == "/search"


def test_sign_out_carries_each_readers_own_token(make, client_for):
    FRAGMENTS.clear()
    ana = make.user("Ana")
    first, second = client_for(ana), client_for(ana)
    tokens = []
    for client in (first, second):
        form = header(client).xpath(".//form[@method='post']")[0]
        tokens.append(form.xpath(".//input[@name='csrf_token']")[0].get("value"))
        assert not re.search(r"csrf-[0-9a-f]{32}", html.tostring(form).decode())
    assert tokens[0] != tokens[1]
    response = second.post("/logout", data={"csrf_token": tokens[1]}, csrf=False)
    assert response.status_code == 302
    assert first.get("/").status_code == 200
