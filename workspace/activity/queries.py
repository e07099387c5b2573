"""Reading the activity stream: the newest events, grouped by day in the reader's timezone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from itertools import groupby
from typing import NamedTuple

from flask_babel import to_user_timezone
from sqlalchemy import Row, Select

from workspace.activity.models import Event, describe
from workspace.activity.streams import (
    dialect_name,
    events_of_one_project,
    newest_visible_events,
)
from workspace.auth.models import User
from workspace.conditional import Freshness
from workspace.extensions import db
from workspace.projects.access import ProjectAccess, project_versions, rows_digest
from workspace.projects.models import Project


def newest(query: Select[tuple[Event]], limit: int, before: int | None = None) -> list[Event]:
    """The newest events of `query`, with their actors' and projects' names, in one query."""
    if before:
        query = query.where(Event.id < before)
    query = query.options(db.joinedload(Event.actor).load_only(User.name),
                          db.joinedload(Event.project).load_only(Project.name))
    return list(db.session.scalars(query.limit(limit)))


class EventRow(NamedTuple):
    """An event as a long list reads it (`read_events`): its columns, its actor's name (None
    once the account is gone) and, if asked for, its project's. A named tuple, as a Row's
    attributes cost a lookup by name each (about 1 µs; a dozen an event)."""

    id: int
    project_id: int
    actor_id: int | None
    action: str
    subject_type: str
    subject_id: int
    target_type: str
    target_id: int
    summary: str
    excerpt: str
    private: bool
    created_at: datetime
    actor_name: str | None
    project_name: str | None = None

    def describe(self) -> str:
        return describe(self.action, self.target_type, self.actor_name, self.summary,
                        self.excerpt)


EVENT_COLUMNS = tuple(getattr(Event, name) for name in EventRow._fields[:-2])


def read_events(query: Select[tuple[Event]], *, project_names: bool = False) -> list[EventRow]:
    """`query`'s events as `EventRow`s: fifty rows cost a fraction of fifty objects with two
    related ones each, in the same single statement."""
    return [EventRow(*row) for row in db.session.execute(event_rows(query, project_names)).all()]


def event_rows(query: Select[tuple[Event]], project_names: bool) -> Select:
    """`query` (events, with their filters and order) selecting `EventRow`'s columns."""
    columns = [*EVENT_COLUMNS, User.name.label("actor_name")]
    if project_names:
        columns.append(Project.name.label("project_name"))
    rows = (query.with_only_columns(*columns, maintain_column_froms=False)
            .outerjoin_from(Event, User, Event.actor_id == User.id))
    if project_names:
        rows = rows.outerjoin_from(Event, Project, Event.project_id == Project.id)
    return rows


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
    return f"{user.id}.{rows_digest(rows)}"


# What a feed or calendar of one project reads of its events: statements built once for each
# database and visibility (building them costs more than running them), whose parameter is
# `project_id`.

@lru_cache(maxsize=8)
def newest_of_one_project(dialect: str, sees_private: bool) -> Select:
    events = events_of_one_project(dialect, sees_private)
    return events.with_only_columns(Event.id, Event.created_at).limit(1)


@lru_cache(maxsize=8)
def latest_of_one_project(dialect: str, sees_private: bool, limit: int) -> Select:
    events = events_of_one_project(dialect, sees_private)
    return event_rows(events.limit(limit), project_names=True)


def one_project_freshness(access: ProjectAccess, version: str) -> Freshness:
    """`freshness` of the project's events that `access` may see."""
    statement = newest_of_one_project(dialect_name(), access.sees_private)
    newest = db.session.execute(statement, {"project_id": access.project.id}).first()
    return fresh_from(newest, version)


def project_latest(access: ProjectAccess, limit: int) -> list[EventRow]:
    """The `limit` newest events of the project that `access` may see, with its name."""
    statement = latest_of_one_project(dialect_name(), access.sees_private, limit)
    rows = db.session.execute(statement, {"project_id": access.project.id})
    return [EventRow(*row) for row in rows]


def freshness(events: Select[tuple[Event]], version: str) -> Freshness:
    """Validators from the newest visible event (one indexed query) and `version`, which
    changes when events vanish or change visibility."""
    newest = db.session.execute(
        events.with_only_columns(Event.id, Event.created_at).limit(1)
    ).first()
    return fresh_from(newest, version)


def fresh_from(newest: Row | None, version: str) -> Freshness:
    newest_id, newest_at = newest if newest else (0, None)
    return Freshness(f"{version}.{newest_id}", newest_at)


def everything_freshness(user: User) -> Freshness:
    """Validators of everything a person may see across their projects (the all-projects feed
    and the API's events): their newest visible event and their projects' versions."""
    return freshness(newest_visible_events(user, 1), stream_version(user))
