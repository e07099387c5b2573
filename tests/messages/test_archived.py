from workspace.extensions import db
from workspace.messages.models import Message
from workspace.types import utcnow

from .helpers import comment, post, posted


def test_an_archived_project_refuses_messages_and_comments_and_still_shows_them(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    message = posted(client, project, title="Kept")
    project.archived_at = utcnow()
    db.session.commit()
    base = f"/projects/{project.id}/messages"
    refused = [
        post(client, project, title="New"),
        comment(client, message),
        client.post(f"{base}/{message.id}/edit", data={"title": "Changed", "body": "x"}),
        client.post(f"{base}/{message.id}/delete"),
    ]
    for response in refused:
        assert response.status_code == 403
        assert b"archived" in response.data
    assert [m.title for m in db.session.scalars(db.select(Message))] == ["Kept"]
    assert message.comments_count == 0
    assert b"Kept" in client.get(f"{base}/{message.id}").data
