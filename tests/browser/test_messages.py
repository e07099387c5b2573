"""Messages in real Chromium: Markdown with preview, a comment, and a client kept out."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from workspace.extensions import db

from .test_first_start import sign_in


def test_post_preview_comment_and_hide_private_from_a_client(person, make):
    ana, cy = make.user("Ana", email="ana@example.org"), make.user("Cy", email="cy@example.org")
    project = make.project("Launch", owner=ana, clients=(cy,))

    team = person()
    page = team.page
    sign_in(page, "ana@example.org", PASSWORD)
    page.goto(f"/projects/{project.id}/messages/new")
    page.get_by_label("Title").fill("Launch plan")
    page.get_by_label("Message").fill(
        "We ship on **Friday**.\n\n| day | task |\n|---|---|\n| Fri | ship |"
    )
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview")
    expect(preview.locator("strong")).to_have_text("Friday")
    expect(preview.locator("table td").first).to_have_text("Fri")
    expect(page.get_by_label("Title")).to_have_value("Launch plan")
    page.get_by_role("button", name="Post the message").click()
    expect(page.get_by_role("heading", name="Launch plan")).to_be_visible()
    expect(page.locator(".prose strong")).to_have_text("Friday")

    page.get_by_role("textbox", name="Comment").fill("Sounds _good_")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.locator(".comment em")).to_have_text("good")

    page.goto(f"/projects/{project.id}/messages/new")
    page.get_by_label("Title").fill("Budget, team only")
    page.get_by_label("Message").fill("Numbers")
    page.get_by_label("Private to the team").check()
    page.get_by_role("button", name="Post the message").click()
    expect(page.locator(".private-mark", has_text="Private to the team")).to_be_visible()

    client = person()
    sign_in(client.page, "cy@example.org", PASSWORD)
    client.page.goto(f"/projects/{project.id}/messages")
    expect(client.page.get_by_role("link", name="Launch plan")).to_be_visible()
    expect(client.page.get_by_text("Budget, team only")).to_have_count(0)
    client.page.goto(f"/projects/{project.id}")
    expect(client.page.get_by_text("Budget, team only")).to_have_count(0)
    assert team.errors == [] and client.errors == []


def test_a_link_to_an_older_comment_opens_the_page_that_holds_it(person, make, monkeypatch):
    from workspace.comments import operations as comments
    from workspace.messages.models import Message

    monkeypatch.setattr(comments, "THREAD_PAGE", 2)
    ana = make.user("Ana", email="ana@example.org")
    project = make.project("Launch", owner=ana)
    message = Message(project_id=project.id, author=ana, title="Plan", body="b", body_html="b")
    db.session.add(message)
    db.session.commit()
    posted = [comments.add_comment(message, f"Point number {n}", by=ana) for n in range(5)]
    oldest = posted[0].id

    team = person()
    page = team.page
    sign_in(page, "ana@example.org", PASSWORD)
    page.goto(f"/projects/{project.id}/messages/{message.id}#comment-{oldest}")
    expect(page.locator(f"#comment-{oldest}")).to_contain_text("Point number 0")
    assert f"before={oldest + 1}" in page.url
    page.goto(f"/projects/{project.id}/messages/{message.id}#comment-{posted[-1].id}")
    expect(page.locator(".comment")).to_have_count(2)
    assert "before=" not in page.url
    assert team.errors == []
