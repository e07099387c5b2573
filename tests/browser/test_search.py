"""Search in real Chromium: the header box, inside a project then across all of them."""

import pytest
from playwright.sync_api import expect

from tests.conftest import BACKENDS, PASSWORD
from workspace.messages.operations import post_message
from workspace.projects.access import project_access

from .test_first_start import sign_in


@pytest.mark.parametrize("database_url", BACKENDS[:1], indirect=True)
def test_search_from_the_header_box(person, make):
    ana, cy = make.user("Ana", email="ana@example.org"), make.user("Cy", email="cy@example.org")
    launch = make.project("Launch", owner=ana, clients=(cy,))
    other = make.project("Other", owner=ana, clients=(cy,))
    for project, title, private in ((launch, "Échéance du lancement", False),
                                    (launch, "Budget et échéance", True),
                                    (other, "Autre échéance", False)):
        post_message(project_access(project.id, user=ana), title=title, body="Voir le plan.",
                     private=private, notify=())

    client = person()
    page = client.page
    sign_in(page, "cy@example.org", PASSWORD)
    page.goto(f"/projects/{launch.id}")
    page.get_by_role("searchbox", name="Search in this project").fill("echeance")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    expect(page.locator(".search-result mark").first).to_have_text("Échéance")
    expect(page.get_by_text("Budget et échéance")).to_have_count(0)

    page.get_by_role("link", name="Search all projects instead").click()
    expect(page.get_by_role("heading", name="2 results")).to_be_visible()
    page.get_by_role("link", name="Autre échéance").click()
    expect(page.get_by_role("heading", name="Autre échéance")).to_be_visible()
    assert client.errors == []
