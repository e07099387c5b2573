"""The foundation's journey in real Chromium: first start to a teammate in the project."""

from playwright.sync_api import expect


def sign_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_first_start_create_project_invite_and_join(person):
    ana = person()
    page = ana.page
    page.goto("/")
    expect(page.get_by_role("heading", name="Set up your workspace")).to_be_visible()
    page.get_by_label("Your name").fill("Ana Admin")
    page.get_by_label("Email address").fill("ana@example.org")
    page.get_by_label("Password", exact=True).fill("a long password")
    page.get_by_label("Repeat the password").fill("a long password")
    page.get_by_role("button", name="Create the administrator account").click()

    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name").fill("Launch")
    page.get_by_label("Description").fill("Everything about the launch")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="Launch", exact=True)).to_be_visible()

    page.get_by_role("navigation", name="Project").get_by_role("link", name="People").click()
    page.get_by_label("Their email address").fill("bo@example.org")
    page.get_by_label("Role", exact=True).select_option("member")
    page.get_by_role("button", name="Invite", exact=True).click()
    link = page.locator("#invitation-link").input_value()
    assert "/invitations/" in link

    bo = person()
    bo.page.goto(link)
    expect(bo.page.get_by_role("heading", name="Join Launch")).to_be_visible()
    bo.page.get_by_label("Your name").fill("Bo Builder")
    bo.page.get_by_label("Password", exact=True).fill("another long one")
    bo.page.get_by_label("Repeat the password").fill("another long one")
    bo.page.get_by_role("button", name="Create my account and join").click()
    expect(bo.page.get_by_role("heading", name="Launch", exact=True)).to_be_visible()
    people = bo.page.get_by_role("region", name="People")
    expect(people).to_contain_text("Ana Admin")
    expect(people).to_contain_text("Bo Builder")
    assert ana.errors == [] and bo.errors == []
