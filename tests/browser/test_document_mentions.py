"""Mentions in a document's text, in real Chromium: "@" offers the people who may see the
document (the team only, in a private folder), the keyboard picks, and the saved document
links them."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from workspace.extensions import db
from workspace.folders.models import Folder

from .test_first_start import sign_in


def test_the_document_form_offers_who_may_see_it_and_the_saved_text_links_them(person, make):
    ana = make.user("Ana Lima", email="ana@example.org")
    bo, bea = make.user("Bo Berg", email="bo@example.org"), make.user("Bea Bell")
    cy = make.user("Cy Client", email="cy@example.org")
    project = make.project("Launch", owner=ana, members=(bo, bea), clients=(cy,))
    folder = Folder(project_id=project.id, author=ana, name="Board", marked_private=True,
                    private=True)
    db.session.add(folder)
    db.session.commit()

    team = person()
    page = team.page
    sign_in(page, "ana@example.org", PASSWORD)
    page.goto(f"/projects/{project.id}/documents/new?folder_id={folder.id}")
    page.get_by_role("textbox", name="Title").fill("Budget")
    box = page.get_by_role("textbox", name="Text")
    box.focus()
    page.keyboard.type("Over to @")
    choices = page.get_by_role("listbox")
    # The team, not the client: the folder is private.
    expect(choices.get_by_role("option")).to_have_text(["Ana Lima", "Bea Bell", "Bo Berg"])
    page.keyboard.type("Bo")
    expect(choices.get_by_role("option")).to_have_text(["Bo Berg"])
    page.keyboard.press("Enter")
    expect(choices).to_be_hidden()
    expect(box).to_have_value("Over to @Bo Berg ")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".prose .mention")).to_have_text("@Bo Berg")
    assert team.errors == []
