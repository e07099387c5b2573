"""/activity is kept per person and version of their projects: every change shows at once."""

from __future__ import annotations

from workspace.auth.operations import update_profile
from workspace.messages.operations import post_message
from workspace.projects.access import project_access
from workspace.projects.models import Role
from workspace.projects.operations import remove_person


def test_new_events_leaving_and_language_show_at_once(make, client_for):
    ana, bob = make.user("Ana"), make.user("Bob")
    first, second = make.project("First", owner=ana), make.project("Second", owner=ana)
    make.join(first, bob, Role.MEMBER)
    membership = make.join(second, bob, Role.MEMBER)
    client = client_for(bob)
    post_message(project_access(first.id, user=ana), title="Alpha", body="a", private=False,
                 notify=())
    assert "Alpha" in client.get("/activity").text
    post_message(project_access(second.id, user=ana), title="Beta", body="b", private=False,
                 notify=())
    page = client.get("/activity").text
    assert "Alpha" in page and "Beta" in page
    remove_person(membership)
    page = client.get("/activity").text
    assert "Alpha" in page and "Beta" not in page
    assert "Beta" in client_for(ana).get("/activity").text  # another person, another page
    update_profile(bob, name="Bob", locale="fr", timezone="UTC")
    assert "a publié" in client.get("/activity").text
