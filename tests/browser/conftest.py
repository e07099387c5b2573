"""Real Chromium (Debian's package) driven by Playwright, against the app served on loopback."""

from __future__ import annotations

import io
import os
import shutil
from datetime import date

import pytest

from tests.api.test_routes import call
from tests.conftest import PASSWORD, skip_or_fail
from workspace.api.tokens import create_token
from workspace.projects.models import Role

CHROMIUM = os.environ.get("WORKSPACE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not shutil.which(CHROMIUM):
        skip_or_fail(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except Exception as error:
            skip_or_fail(f"Chromium did not start: {error}")
        yield chromium
        chromium.close()


class Person:
    """One person's own browser context, collecting console errors as the pages run."""

    def __init__(self, browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
        self.context = browser.new_context(base_url=base_url)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))


@pytest.fixture
def person(browser, live_server):  # type: ignore[no-untyped-def]
    """Call `person()` for each person in the story; each gets a separate browser context."""
    people: list[Person] = []

    def new_person() -> Person:
        people.append(Person(browser, live_server))
        return people[-1]

    yield new_person
    for someone in people:
        someone.context.close()


def poster(client, token: str, base: str):  # type: ignore[no-untyped-def]
    """`post(url, body)` through the API under `base`, answering the created item's JSON."""

    def post(url: str, body: dict | None = None, **kwargs: object) -> dict:
        response = call(client, "POST", f"{base}{url}", token, body, **kwargs)
        assert response.status_code == 201, response.json
        return response.json

    return post


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    """Through the login form, as a person does; waits for the page after it."""
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")


@pytest.fixture
def project_to_check(make, client):
    """A project with one of everything, seen by Ana (owner) and Cy (client)."""
    ana = make.user("Ana", email="ana@example.org")
    bo = make.user("Bo", email="bo@example.org")
    cy = make.user("Cy", email="cy@example.org")
    project = make.project("Launch", owner=ana, members=(bo,), clients=(cy,))
    token, base = create_token(bo, "setup")[1], f"/projects/{project.id}"
    post = poster(client, token, base)

    message = post("/messages", {"title": "Launch plan", "body": "**Bold** plan",
                                 "notify": [ana.id, cy.id]})
    post(f"/messages/{message['id']}/comments", {"body": "Looks good"})
    todo_list = post("/todolists", {"name": "This week"})
    for text in ("Write copy", "Print flyers"):
        todo = post(f"/todolists/{todo_list['id']}/todos",
                    {"text": text, "assignee_id": ana.id, "due_on": "2031-01-10"})
    call(client, "POST", f"{base}/todos/{todo['id']}/complete", token)
    post("/milestones", {"title": "Beta", "due_on": "2031-01-20", "responsible_id": ana.id})
    file = post("/files", data={"files": (io.BytesIO(b"%PDF-1.4 brochure"), "brochure.pdf")},
                content_type="multipart/form-data")[0]
    folder = post("/folders", {"name": "Specs"})
    document = versioned_document(client, token, base, post, "Brief", "The plan for **May**.\n",
                                  "The plan for **June**, with a budget.\n", folder)
    return {"project": project, "message": message, "list": todo_list, "file": file,
            "folder": folder, "document": document, "people": {"owner": ana, "client": cy}}


def versioned_document(client, token: str, base: str, post, title: str, first: str,  # type: ignore[no-untyped-def]
                       second: str, folder: dict) -> dict:
    """A document with two versions, in `folder`."""
    document = post("/documents", {"title": title, "body": first, "note": "first draft"})
    url = f"{base}/documents/{document['id']}"
    assert call(client, "PATCH", url, token, {"body": second, "base_version": 1,
                                              "note": "moved"}).status_code == 200
    assert call(client, "POST", f"{url}/move", token,
                {"folder_id": folder["id"]}).status_code == 200
    return document


def pages_for(seed: dict, role: str) -> list[str]:
    base = f"/projects/{seed['project'].id}"
    pages = [
        "/", base, f"{base}/messages", f"{base}/messages/{seed['message']['id']}",
        f"{base}/messages/new", f"{base}/todolists",
        f"{base}/todolists/{seed['list']['id']}", f"{base}/milestones",
        f"{base}/milestones/calendar", f"{base}/files", f"{base}/files/{seed['file']['id']}",
        f"{base}/people", f"{base}/activity", "/activity", "/assignments", "/notifications",
        f"{base}/folders", f"{base}/folders/{seed['folder']['id']}", f"{base}/documents",
        f"{base}/documents/{seed['document']['id']}",
        f"{base}/documents/{seed['document']['id']}/versions",
        f"{base}/documents/{seed['document']['id']}/versions/1",
        f"{base}/documents/{seed['document']['id']}/compare",
        f"{base}/documents/{seed['document']['id']}/compare?view=inline",
        f"{base}/documents/{seed['document']['id']}/edit", f"{base}/documents/new",
        "/settings/profile", "/settings/password", "/settings/notifications",
        "/settings/feeds", "/settings/tokens", "/settings/sessions", "/api/docs",
        "/no/such/page",
        "/search?q=launch", "/search?q=nothing-like-it", f"{base}/search?q=plan*",
        "/search?q=plan&from=someday",
        f"{base}/schedule", "/schedule", "/schedule?mine=1", "/settings/reminders",
    ]
    if role == "owner":
        pages += [f"{base}/folders/{seed['folder']['id']}/edit",
                  f"{base}/edit", f"{base}/todolists/new", f"{base}/milestones/new",
                  f"{base}/delete", f"{base}/events/new"]
    return pages


# One unbroken word as long as a title may be: nothing a person types may widen a page.
LONG_WORD = ("Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamten" * 3)[:200]


@pytest.fixture
def project_with_long_words(project_to_check, make, client):
    """`project_to_check` whose project, people, and one of everything carry 200-character
    words (120 where a name stops at 120): in titles, names, file names, comments, bodies,
    search excerpts and the calendar's cells; a message and the new list are private to the
    team, so that their mark shows too."""
    seed = project_to_check
    project, ana = seed["project"], seed["people"]["owner"]
    name = LONG_WORD[:120]
    project.name, project.description = name, LONG_WORD
    make.join(project, make.user(name, email="long@example.org"), Role.MEMBER)
    post = poster(client, create_token(ana, "long words")[1], f"/projects/{project.id}")

    message = post("/messages", {"title": LONG_WORD, "body": f"{LONG_WORD} {LONG_WORD}"})
    post("/messages", {"title": LONG_WORD[::-1], "body": "Budget", "private": True})
    post(f"/messages/{message['id']}/comments", {"body": LONG_WORD})
    todo_list = post("/todolists", {"name": name, "description": LONG_WORD, "private": True})
    post(f"/todolists/{todo_list['id']}/todos",
         {"text": LONG_WORD, "assignee_id": ana.id, "due_on": date.today().isoformat()})
    post("/milestones", {"title": LONG_WORD, "due_on": date.today().isoformat(),
                         "responsible_id": ana.id})
    for private in (False, True):  # a weekly event with a long title and place, on the schedule
        post("/schedule/events", {"title": LONG_WORD, "place": LONG_WORD, "private": private,
                                  "starts_on": date.today().isoformat(), "starts_time": "09:00",
                                  "timezone": "Europe/Paris", "repeat": "weekly",
                                  "attendee_ids": [ana.id]})
    file = post("/files", data={"files": (io.BytesIO(b"%PDF-1.4 long"), f"{LONG_WORD}.pdf"),
                                "description": LONG_WORD},
                content_type="multipart/form-data")[0]
    folder = post("/folders", {"name": LONG_WORD, "private": True})
    document = versioned_document(client, create_token(ana, "long document")[1],
                                  f"/projects/{project.id}", post, LONG_WORD,
                                  f"{LONG_WORD} one\n\n{LONG_WORD}\n",
                                  f"{LONG_WORD} two\n\n{LONG_WORD[::-1]}\n", folder)
    return {**seed, "message": message, "list": todo_list, "file": file, "folder": folder,
            "document": document}


def long_word_pages(seed: dict, role: str) -> list[str]:
    """Every page of `pages_for`, and searches whose results and excerpts hold the long word."""
    base = f"/projects/{seed['project'].id}"
    prefix = LONG_WORD[:12]
    return [*pages_for(seed, role), f"/search?q={prefix}*", f"{base}/search?q={prefix}*"]
