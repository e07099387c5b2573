"""Reading the activity stream: the newest events, grouped by day in the reader's timezone."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from itertools import groupby

from flask_babel import to_user_timezone
from sqlalchemy import Select

from workspace.access import project_versions
from workspace.activity.models import Event
from workspace.auth.models import User
from workspace.extensions import db
from workspace.projects.models import Project


def newest(query: Select[tuple[Event]], limit: int, before: int | None = None) -> list[Event]:
    """The newest events of `query`, with their actors' and projects' names, in one query."""
    if before:
        query = query.where(Event.id < before)
    query = query.options(db.joinedload(Event.actor).load_only(User.name),
                          db.joinedload(Event.project).load_only(Project.name))
    return list(db.session.scalars(query.limit(limit)))


def by_day(events: Sequence[Event]) -> list[tuple[date, list[Event]]]:
    """Group events (newest first) by their day in the reader's timezone."""
    return [
        (day, list(group))
        for day, group in groupby(events, key=lambda e: to_user_timezone(e.created_at).date())
    ]


def stream_version(user: User) -> str:
    """Changes when the person joins or leaves a project, changes role, or anything changes in
    one of their projects (each project's version: projects/versions.py)."""
    rows = db.session.execute(project_versions(user)).all()
    listing = ";".join(".".join(str(value) for value in row) for row in rows)
    return f"{user.id}.{hashlib.sha256(listing.encode()).hexdigest()}"
