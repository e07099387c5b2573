"""The events a person may see: in one project, and the newest across all of theirs.

Visibility is decided as in workspace/projects/access.py (an event carries its item's private
mark); these are the queries of the activity pages, the feeds and the API that read events.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Subquery,
    bindparam,
    func,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import aliased

from workspace.activity.models import Event
from workspace.auth.models import User
from workspace.extensions import db
from workspace.projects.access import ProjectAccess, member_may_see, project_versions
from workspace.projects.models import Membership, Project, Role


def project_events(access: ProjectAccess) -> Select[tuple[Event]]:
    """The project's events this person may see, newest first."""
    statement = events_of_one_project(dialect_name(), access.sees_private)
    return statement.params(project_id=access.project.id)


@lru_cache(maxsize=8)
def events_of_one_project(dialect: str, sees_private: bool) -> Select[tuple[Event]]:
    """project_events' statement, built once for each database and visibility (building it
    costs more than running it); parameter: `project_id`."""
    query = select(Event).where(*of_one_project(Event, PROJECT_ID, dialect))
    if not sees_private:
        query = query.where(Event.private.is_(False))
    return query.order_by(*newest_of_a_project(Event))


PROJECT_ID = bindparam("project_id", type_=Integer)


def newest_visible_events(user: User, limit: int, *, before: int | None = None,
                          after: int | None = None) -> Select[tuple[Event]]:
    """The `limit` newest events `user` may see across their projects, with ids between
    `after` and `before` (both excluded), newest first.

    Sorting every visible event to keep a few costs as much as the person's projects hold;
    this reads at most `limit` events a project, through the (project_id, id) index, so its
    cost follows the number of projects, never the number of events (tests read the plans)."""
    statement = newest_events_statement(dialect_name(), user.is_admin,
                                        limit, before is not None, after is not None)
    return statement.params(viewer_id=user.id, before_id=before, after_id=after)


@lru_cache(maxsize=128)
def newest_events_statement(dialect: str, admin: bool, limit: int, bounded_before: bool,
                            bounded_after: bool) -> Select[tuple[Event]]:
    """newest_visible_events' statement, built once for each shape (building it costs more
    than running it); the person and the bounds are parameters."""

    def seen(events: type[Event], places: Subquery) -> list[ColumnElement[bool]]:
        conditions = [*of_one_project(events, places.c.project_id, dialect),
                      or_(places.c.team, events.private.is_(False))]
        if bounded_before:
            conditions.append(events.id < bindparam("before_id"))
        if bounded_after:
            conditions.append(events.id > bindparam("after_id"))
        return conditions

    places, newest_first = places_for(admin), aliased(Event)
    if dialect == "postgresql":
        # Each project's `limit` newest (a LATERAL join), then the newest of those.
        per_project = (select(newest_first.id).where(*seen(newest_first, places))
                       .order_by(*newest_of_a_project(newest_first)).limit(limit).lateral())
        ids = select(per_project.c.id).select_from(places).join(per_project, true()).subquery()
        return (select(Event).join(ids, Event.id == ids.c.id)
                .order_by(Event.id.desc()).limit(limit))
    # SQLite has no LATERAL. Each project's `limit`-th newest visible event is a floor at or
    # below the answer's oldest (that project alone has `limit` events above it): the newest
    # floor bounds what is read from every project.
    around = places_for(admin)
    project_floor = (select(newest_first.id).where(*seen(newest_first, around))
                     .order_by(*newest_of_a_project(newest_first)).offset(limit - 1).limit(1)
                     .scalar_subquery())
    floor = select(func.max(func.coalesce(project_floor, 0))).select_from(around)
    return (select(Event).join(places, Event.project_id == places.c.project_id)
            .where(*seen(Event, places), Event.id >= floor.scalar_subquery())
            .order_by(Event.id.desc()).limit(limit))


def of_one_project(events: type[Event], project_id: object,
                   dialect: str) -> tuple[ColumnElement[bool], ...]:
    """The events of one project, to be read newest first (`newest_of_a_project`), spelled as
    a range of the (project_id, id) index (ids are positive) so that PostgreSQL reads them
    through it, with or without the project's id at hand. With `project_id = x`, it knows the
    project is fixed, so that ordering by id alone will do, and may walk the primary key
    backwards through every newer event of other projects (a quiet project's feed read 6,000
    events for 51); with `project_id` between x and x, its generic plan sorts all the
    project's events. SQLite reads `project_id = x` through the index (tests read both plans),
    and a range of row values far slower."""
    if dialect != "postgresql":
        return (events.project_id == project_id,)
    return (tuple_(events.project_id, events.id) > tuple_(project_id, 0),
            tuple_(events.project_id, events.id) < tuple_(project_id + 1, 0))


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def newest_of_a_project(events: type[Event]) -> tuple[ColumnElement, ...]:
    return events.project_id.desc(), events.id.desc()


def places_for(admin: bool) -> Subquery:
    """(project_id, team) for each project the person of parameter `viewer_id` may see:
    every project for a site administrator (seeing private items), their memberships for
    everyone else."""
    if admin:
        return select(Project.id.label("project_id"), true().label("team")).subquery()
    return select(Membership.project_id, (Membership.role != Role.CLIENT).label("team")).where(
        Membership.user_id == bindparam("viewer_id")).subquery()


def visible_streams(user: User) -> Select[tuple[int, int, Role | None, int | None]]:
    """project_versions, and the id of the newest event the person may see in each project,
    found by walking that project's (project_id, id) index backwards, whatever its size."""
    query = project_versions(user)
    newest = select(Event.id).where(*of_one_project(Event, Project.id, dialect_name()))
    if not user.is_admin:
        newest = newest.where(member_may_see(Event.private))
    newest_id = newest.order_by(*newest_of_a_project(Event)).limit(1).scalar_subquery()
    return query.add_columns(newest_id.label("newest_event_id"))
