"""A NUL character typed or pasted into a form is dropped, on both databases: PostgreSQL
cannot store one, and it used to answer 500."""

from workspace.messages.models import Message

from .messages.helpers import comment, posted


def test_text_with_a_nul_character_is_kept_without_it(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    message = posted(client, project, title="Plan\x00 B", body="Step\x00 one")
    assert (message.title, message.body) == ("Plan B", "Step one")
    assert comment(client, message, "Yes\x00!").status_code == 302
    response = client.get(f"/projects/{project.id}/messages/{message.id}")
    assert "Yes!" in response.text and "\x00" not in response.text
    found = client.get(f"/projects/{project.id}/search?q=%00plan")
    assert found.status_code == 200
    assert Message.query.count() == 1
