"""Folders in real Chromium: drag a document onto a folder, and the form that does the same
without JavaScript."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from workspace.documents.models import Document
from workspace.extensions import db

from .test_first_start import sign_in


def test_drag_a_document_onto_a_folder_and_move_it_back_with_the_form(person, make):
    ana = make.user("Ana", email="ana@example.org")
    project = make.project("Launch", owner=ana)
    page = person().page
    sign_in(page, "ana@example.org", PASSWORD)
    page.goto(f"/projects/{project.id}/folders")
    page.get_by_label("Name").fill("Specs")
    page.get_by_role("button", name="New folder").click()
    page.goto(f"/projects/{project.id}/folders")
    page.get_by_role("link", name="New document here").click()
    page.get_by_label("Title").fill("Brief")
    page.get_by_label("Text").fill("The plan.")
    page.get_by_role("button", name="Save").click()
    page.goto(f"/projects/{project.id}/folders")
    with page.expect_response(lambda r: r.url.endswith("/move")):
        page.locator("tr", has_text="Brief").drag_to(page.locator("tr", has_text="Specs"))
    expect(page.locator("tr", has_text="Brief")).to_have_count(0)
    page.locator("tr", has_text="Specs").get_by_role("link").click()
    expect(page.locator("tr", has_text="Brief")).to_have_count(1)
    document = db.session.scalars(db.select(Document)).one()
    assert document.folder_id is not None

    page.get_by_role("link", name="Brief").click()
    page.get_by_text("Move…").click()
    page.get_by_label("Move to").select_option(label="The top of the project")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_text("Moved into the top of the project.")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Document, document.id).folder_id is None
