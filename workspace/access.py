"""Who may see and do what. Every view, feed, download, email and API response asks here.

A person's power in a project comes from their role in it (owner, member, client); a site
administrator who is not a member acts as an owner. A person with no role in a project cannot
learn that it exists: they get 404, never 403. An archived project is read-only for everyone
until an owner unarchives it.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, TypeVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    Subquery,
    and_,
    bindparam,
    func,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import aliased
from werkzeug.exceptions import Forbidden, NotFound

from workspace import items
from workspace.activity.models import Event
from workspace.auth.models import User
from workspace.comments.models import Comment
from workspace.extensions import db
from workspace.projects.models import Membership, Project, Role


class Action(enum.StrEnum):
    VIEW = "view"
    COMMENT = "comment"
    POST = "post"
    PLAN = "plan"
    EDIT_PROJECT = "edit_project"
    MANAGE_PEOPLE = "manage_people"
    ARCHIVE = "archive"
    DELETE_PROJECT = "delete_project"


ALLOWED: dict[Role, frozenset[Action]] = {
    Role.OWNER: frozenset(Action),
    Role.MEMBER: frozenset({Action.VIEW, Action.COMMENT, Action.POST, Action.PLAN}),
    Role.CLIENT: frozenset({Action.VIEW, Action.COMMENT, Action.POST}),
}

# Archiving freezes a project; only reading it and unarchiving it remain possible.
ALLOWED_WHEN_ARCHIVED = frozenset({Action.VIEW, Action.ARCHIVE})


class Item(Protocol):
    """Anything that belongs to a project: a message, a to-do list, a file…"""

    id: int
    project_id: int
    private: bool
    author_id: int | None


ItemT = TypeVar("ItemT", bound=Item)
Q = TypeVar("Q", bound=Select)


class ProjectArchived(Forbidden):
    description = _l("This project is archived: it is read-only until an owner unarchives it.")


class NotAllowed(Forbidden):
    description = _l("Your role in this project does not allow this.")


@dataclass(frozen=True)
class ProjectAccess:
    """A project as seen by one person: what they are in it, and so what they may do."""

    project: Project
    role: Role
    user: User

    def can(self, action: Action | str) -> bool:
        action = Action(action)
        if self.project.is_archived and action not in ALLOWED_WHEN_ARCHIVED:
            return False
        return action in ALLOWED[self.role]

    def require(self, action: Action | str) -> ProjectAccess:
        action = Action(action)
        if action not in ALLOWED[self.role]:
            raise NotAllowed()
        if self.project.is_archived and action not in ALLOWED_WHEN_ARCHIVED:
            raise ProjectArchived()
        return self

    @property
    def sees_private(self) -> bool:
        """Items marked private to the team are hidden from clients."""
        return self.role.is_team

    @property
    def sees_emails(self) -> bool:
        """Clients see the names and roles of a project's people, never their addresses."""
        return self.role.is_team

    @property
    def may_mark_private(self) -> bool:
        return self.role.is_team

    def can_see(self, item: Item) -> bool:
        return item.project_id == self.project.id and (self.sees_private or not item.private)

    def owns(self, item: Item) -> bool:
        return item.author_id == self.user.id

    def can_change(self, item: Item) -> bool:
        """Authors change what they wrote; owners change anything."""
        return not self.project.is_archived and (self.owns(item) or self.role is Role.OWNER)

    def require_change(self, item: Item) -> None:
        if not (self.owns(item) or self.role is Role.OWNER):
            raise NotAllowed()
        if self.project.is_archived:
            raise ProjectArchived()

    def require_team_or_author(self, item: Item) -> None:
        """The team works on each other's items; a client only on their own."""
        if not (self.role.is_team or self.owns(item)):
            raise NotAllowed()
        if self.project.is_archived:
            raise ProjectArchived()

    def require_author(self, item: Item) -> None:
        """Only the author edits what they wrote (owners may delete it, not reword it)."""
        if not self.owns(item):
            raise NotAllowed()
        if self.project.is_archived:
            raise ProjectArchived()

    def may_complete(self, todo_list: Item) -> bool:
        """The team checks to-dos off; clients only where the list's owner allowed it."""
        if self.project.is_archived:
            return False
        return self.role.is_team or bool(getattr(todo_list, "clients_can_complete", False))

    def require_complete(self, todo_list: Item) -> None:
        if not (self.role.is_team or getattr(todo_list, "clients_can_complete", False)):
            raise NotAllowed()
        if self.project.is_archived:
            raise ProjectArchived()

    def visible(self, query: Q, model: type) -> Q:
        """Restrict a query on `model` to the rows of this project this person may see."""
        query = query.where(model.project_id == self.project.id)
        if self.sees_private or "private" not in model.__table__.c:
            return query
        return query.where(model.private.is_(False))

    def item_or_404(self, model: type[ItemT], item_id: int) -> ItemT:
        """Load an item of this project that this person may see, or answer 404."""
        item = db.session.get(model, item_id)
        if item is None or not self.can_see(item):
            raise NotFound()
        return item

    def comment_or_404(self, comment_id: int) -> tuple[Comment, Item]:
        """Load a comment and the item it is on; hidden with that item."""
        comment = db.session.get(Comment, comment_id)
        if comment is None or comment.project_id != self.project.id:
            raise NotFound()
        subject = db.session.get(items.kind(comment.subject_type).model, comment.subject_id)
        if subject is None or not self.can_see(subject):
            raise NotFound()
        return comment, subject

    def events(self) -> Select[tuple[Event]]:
        """The project's events this person may see, newest first."""
        query = select(Event).where(*of_one_project(Event, self.project.id, dialect_name()))
        if not self.sees_private:
            query = query.where(Event.private.is_(False))
        return query.order_by(*newest_of_a_project(Event))


def effective_role(user: User, membership_role: Role | None) -> Role | None:
    if membership_role is not None:
        return membership_role
    return Role.OWNER if user.is_admin else None


def access_to(user: User, project: Project) -> ProjectAccess | None:
    """The access `user` has to an already loaded project, or None if they may not see it."""
    membership_role = db.session.scalar(
        select(Membership.role).where(
            Membership.project_id == project.id, Membership.user_id == user.id
        )
    )
    role = effective_role(user, membership_role)
    return None if role is None else ProjectAccess(project, role, user)


def project_access(project_id: int, action: Action | str = Action.VIEW,
                   user: User | None = None) -> ProjectAccess:
    """Load a project for `user` (default: the signed-in person) and check `action` on it.

    Raises 404 when the project does not exist or the person has no place in it, and 403 when
    their role or the project's archived state refuses the action. One SQL query.
    """
    user = user or current_user._get_current_object()
    row = db.session.execute(
        select(Project, Membership.role)
        .outerjoin(
            Membership, and_(Membership.project_id == Project.id, Membership.user_id == user.id)
        )
        .where(Project.id == project_id)
    ).first()
    role = effective_role(user, row[1]) if row else None
    if role is None:
        raise NotFound()
    return ProjectAccess(row[0], role, user).require(action)


def visible_projects(user: User) -> Select[tuple[Project]]:
    """The projects `user` may open: their own, or all of them for a site administrator."""
    query = select(Project)
    if not user.is_admin:
        query = query.join(Membership, Membership.project_id == Project.id).where(
            Membership.user_id == user.id
        )
    return query


def visible_across_projects(user: User, model: type[ItemT]) -> Select[tuple[ItemT]]:
    """Rows of `model` in every project `user` may see, without the private ones where they
    are a client: the cross-project version of `ProjectAccess.visible`."""
    return restrict_to_visible(select(model), user, model)


def restrict_to_visible(query: Q, user: User, model: type) -> Q:
    """Restrict a query on `model` (which has `project_id`, and maybe `private`) to the rows
    `user` may see right now: their projects' (all of them for a site administrator), less
    the private ones where they are a client. Search entries carry their subject's mark, so a
    comment on a private item is private too. Membership is read at query time: a person
    removed from a project stops seeing its rows at once."""
    if user.is_admin:
        return query
    query = query.join(
        Membership,
        and_(Membership.project_id == model.project_id, Membership.user_id == user.id),
    )
    if "private" not in model.__table__.c:
        return query
    return query.where(or_(model.private.is_(False), Membership.role != Role.CLIENT))


def visible_to(user: User, model: type) -> ColumnElement[bool]:
    """The condition `restrict_to_visible` applies, as membership subqueries rather than a
    join: for a query that must be driven from another of its conditions (search drives from
    the full-text matches; given a join, SQLite would read every entry of the person's
    projects and check each against the matches)."""
    if user.is_admin:
        return true()
    places = select(Membership.project_id).where(Membership.user_id == user.id)
    condition = model.project_id.in_(places)
    if "private" not in model.__table__.c:
        return condition
    team_places = places.where(Membership.role != Role.CLIENT)
    return and_(condition, or_(model.private.is_(False), model.project_id.in_(team_places)))


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


def project_versions(user: User) -> Select[tuple[int, int, Role | None]]:
    """Per project `user` may see: its id, its version (projects/versions.py) and the person's
    role in it (None for a site administrator outside it), by id."""
    here = and_(Membership.project_id == Project.id, Membership.user_id == user.id)
    return (select(Project.id, Project.activity_version, Membership.role)
            .join(Membership, here, isouter=user.is_admin).order_by(Project.id))


def rows_digest(rows: list[Row]) -> str:
    """A short fingerprint of the rows of `project_versions` or `visible_streams`, for a
    validator or a key: it changes whenever any of their values does."""
    listing = ";".join(".".join(str(value) for value in row) for row in rows)
    return hashlib.sha256(listing.encode()).hexdigest()


def visible_streams(user: User) -> Select[tuple[int, int, Role | None, int | None]]:
    """project_versions, and the id of the newest event the person may see in each project,
    found by walking that project's (project_id, id) index backwards, whatever its size."""
    query = project_versions(user)
    newest = select(Event.id).where(*of_one_project(Event, Project.id, dialect_name()))
    if not user.is_admin:
        newest = newest.where(or_(Event.private.is_(False), Membership.role != Role.CLIENT))
    newest_id = newest.order_by(*newest_of_a_project(Event)).limit(1).scalar_subquery()
    return query.add_columns(newest_id.label("newest_event_id"))


def may_see(role: Role | None, *, private: bool) -> bool:
    """Whether someone with `role` in a project (None: not in it) may see an item there."""
    return role is not None and (role.is_team or not private)


def role_of(user_id: int, project_id: int) -> Role | None:
    return db.session.scalar(select(Membership.role).where(
        Membership.project_id == project_id, Membership.user_id == user_id))


def team_of(project_id: int) -> Select[tuple[int]]:
    """The ids of the project's team: the people who see its private items."""
    return select(Membership.user_id).where(
        Membership.project_id == project_id, Membership.role != Role.CLIENT)


def is_team_member_anywhere(user: User) -> bool:
    """Owner or member of at least one project."""
    return db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.role != Role.CLIENT).limit(1)) is not None


def is_client_only(user: User) -> bool:
    """Only ever a guest: no site administration, and a client wherever they are."""
    return not user.is_admin and not is_team_member_anywhere(user)


def may_create_projects(user: User) -> bool:
    """WORKSPACE_PROJECT_CREATORS: `members` (administrators, and owners or members of at
    least one project), `admins`, or `everyone`."""
    setting = current_app.config["WORKSPACE_PROJECT_CREATORS"]
    if user.is_admin or setting == "everyone":
        return True
    return setting == "members" and is_team_member_anywhere(user)


class MayNotCreateProjects(Forbidden):
    description = _l("Only the site's team may create projects. Ask a site administrator.")


def require_project_creator(user: User) -> None:
    if not may_create_projects(user):
        raise MayNotCreateProjects()


def require_site_admin(user: User) -> None:
    """Pages for site administrators only; to everyone else they do not exist."""
    if not user.is_admin:
        raise NotFound()
