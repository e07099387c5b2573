from __future__ import annotations

from workspace.documents.models import Document
from workspace.extensions import db


def write(client, project, title="Brief", body="The plan.\n", **extra):
    return client.post(f"/projects/{project.id}/documents/new",
                       data={"title": title, "body": body, **extra})


def written(client, project, title="Brief", body="The plan.\n", **extra) -> Document:
    response = write(client, project, title=title, body=body, **extra)
    assert response.status_code == 302, response.text
    return db.session.scalars(db.select(Document).order_by(Document.id.desc())).first()


def save(client, document, body, *, base=None, title=None, **extra):
    return client.post(
        f"/projects/{document.project_id}/documents/{document.id}/edit",
        data={"title": title or document.title, "body": body,
              "base": document.version_count if base is None else base, **extra})


def base_url(document) -> str:
    return f"/projects/{document.project_id}/documents/{document.id}"
