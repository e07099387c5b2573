"""Mentions in real Chromium, keyboard only: "@" offers the people who may see the item, the
arrow keys and Enter pick one, and the saved comment links them."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from workspace.extensions import db
from workspace.messages.models import Message

from .test_first_start import sign_in


def test_typing_at_offers_who_may_see_the_item_and_the_keyboard_picks(person, make):
    ana = make.user("Ana Lima", email="ana@example.org")
    bo, bea = make.user("Bo Berg", email="bo@example.org"), make.user("Bea Bell")
    cy = make.user("Cy Client", email="cy@example.org")
    project = make.project("Launch", owner=ana, members=(bo, bea), clients=(cy,))
    message = Message(project_id=project.id, author=ana, title="Budget", body="b",
                      body_html="b", private=True)
    db.session.add(message)
    db.session.commit()

    team = person()
    page = team.page
    sign_in(page, "ana@example.org", PASSWORD)
    page.goto(f"/projects/{project.id}/messages/{message.id}")
    box = page.get_by_role("textbox", name="Comment")
    box.focus()
    page.keyboard.type("Over to @B")
    choices = page.get_by_role("listbox")
    expect(choices.get_by_role("option")).to_have_text(["Bea Bell", "Bo Berg"])
    expect(choices.get_by_text("Cy Client")).to_have_count(0)  # a client: private item
    page.keyboard.press("ArrowDown")
    expect(choices.get_by_role("option", name="Bo Berg")).to_have_attribute(
        "aria-selected", "true")
    page.keyboard.press("Enter")
    expect(choices).to_be_hidden()
    expect(box).to_have_value("Over to @Bo Berg ")
    page.keyboard.type("please")
    for _ in range(8):  # on to the button, past the attachments and the preview
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Add the comment":
            break
    page.keyboard.press("Enter")
    expect(page.locator(".comment .mention")).to_have_text("@Bo Berg")
    assert team.errors == []
