"""To-dos in real Chromium: a list, drag and drop, the keyboard fallback, the progress bar."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .test_first_start import sign_in


def texts(page) -> list[str]:
    return page.locator("ul.todos:not(.done) .todo-text > a").all_inner_texts()


def test_create_a_list_add_drag_check_off_and_see_progress(person, make):
    ana = make.user("Ana", email="ana@example.org")
    project = make.project("Launch", owner=ana)
    team = person()
    page = team.page
    sign_in(page, "ana@example.org", PASSWORD)
    page.goto(f"/projects/{project.id}/todolists/new")
    page.get_by_label("Name").fill("Launch week")
    page.get_by_role("button", name="Create the list").click()
    for text in ("Write copy", "Print flyers", "Call press"):
        page.get_by_text("Add a to-do").click()
        page.get_by_label("To-do", exact=True).fill(text)
        page.get_by_role("button", name="Add", exact=True).click()
    assert texts(page) == ["Write copy", "Print flyers", "Call press"]
    expect(page.locator(".progress-text")).to_have_text("0 of 3 done")

    with page.expect_response(lambda r: "/move" in r.url and r.status == 204):
        page.locator("li.todo", has_text="Call press").drag_to(
            page.locator("li.todo", has_text="Write copy"), target_position={"x": 5, "y": 2})
    page.reload()
    assert texts(page) == ["Call press", "Write copy", "Print flyers"]

    page.get_by_role("button", name="Move “Print flyers” up").focus()
    page.keyboard.press("Enter")
    expect(page.locator("ul.todos:not(.done) .todo-text > a").nth(1)).to_have_text("Print flyers")

    page.get_by_role("button", name="Mark “Write copy” as done").click()
    expect(page.locator(".progress-text")).to_have_text("1 of 3 done")
    expect(page.locator("progress").first).to_have_attribute("value", "1")
    expect(page.get_by_text("1 completed to-do")).to_be_visible()
    assert team.errors == []
