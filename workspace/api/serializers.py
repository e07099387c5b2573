"""The JSON shapes of the API: snake_case, no root element, timestamps in ISO 8601 UTC."""

from __future__ import annotations

from datetime import datetime

from flask import url_for

from workspace.access import ProjectAccess
from workspace.activity.models import Event
from workspace.auth.models import User
from workspace.links import event_url
from workspace.messages.models import Message
from workspace.projects.models import Project


def when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def person(user: User | None) -> dict[str, object] | None:
    return {"id": user.id, "name": user.name} if user else None


def me(user: User) -> dict[str, object]:
    token = user.feed_token
    return {
        "id": user.id, "name": user.name, "email": user.email, "locale": user.locale,
        "timezone": user.timezone, "is_admin": user.is_admin,
        "feeds": {
            "atom": url_for("feeds.everything_feed", kind="atom", token=token, _external=True),
            "rss": url_for("feeds.everything_feed", kind="rss", token=token, _external=True),
            "calendar": url_for("feeds.everything_calendar", token=token, _external=True),
        },
    }


def project(item: Project, role: str | None = None) -> dict[str, object]:
    return {
        "id": item.id, "name": item.name, "description": item.description,
        "archived": item.is_archived, "archived_at": when(item.archived_at),
        "created_at": when(item.created_at), "role": role,
        "app_url": url_for("projects.overview", project_id=item.id, _external=True),
    }


def event(item: Event) -> dict[str, object]:
    return {
        "id": item.id, "project_id": item.project_id, "action": item.action,
        "target": {"type": item.target_type, "id": item.target_id},
        "subject": {"type": item.subject_type, "id": item.subject_id},
        "summary": item.describe(), "private": item.private, "creator": person(item.actor),
        "created_at": when(item.created_at), "app_url": event_url(item, external=True),
    }


def message(item: Message, access: ProjectAccess) -> dict[str, object]:
    return {
        "id": item.id, "project_id": item.project_id, "title": item.title, "body": item.body,
        "body_html": item.body_html, "private": item.private, "author": person(item.author),
        "comments_count": item.comments_count, "created_at": when(item.created_at),
        "edited_at": when(item.edited_at),
    }
