from __future__ import annotations

from workspace.extensions import db
from workspace.messages.models import Message


def post(client, project, title="Launch plan", body="Let us **ship**.", **extra):
    data = {"title": title, "body": body, **extra}
    return client.post(f"/projects/{project.id}/messages/new", data=data)


def posted(client, project, title="Launch plan", **extra) -> Message:
    response = post(client, project, title=title, **extra)
    assert response.status_code == 302, response.data
    return db.session.scalars(db.select(Message).order_by(Message.id.desc())).first()


def comment(client, message, body="Agreed."):
    return client.post(f"/projects/{message.project_id}/messages/{message.id}/comments",
                       data={"body": body})
