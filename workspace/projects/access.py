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
from typing import Protocol, TypeVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Row,
    Select,
    and_,
    bindparam,
    or_,
    select,
    true,
)
from werkzeug.exceptions import Forbidden, NotFound

from workspace.auth.models import User
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
    SAVE_TEMPLATE = "save_template"  # owners; an archived project too: it changes nothing


ALLOWED: dict[Role, frozenset[Action]] = {
    Role.OWNER: frozenset(Action),
    Role.MEMBER: frozenset({Action.VIEW, Action.COMMENT, Action.POST, Action.PLAN}),
    Role.CLIENT: frozenset({Action.VIEW, Action.COMMENT, Action.POST}),
}

# Archiving freezes a project; only reading it and unarchiving it remain possible.
ALLOWED_WHEN_ARCHIVED = frozenset({Action.VIEW, Action.ARCHIVE, Action.SAVE_TEMPLATE})


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

    def may_work_on(self, item: Item) -> bool:
        """The team works on each other's items; a client only on their own."""
        return not self.project.is_archived and (self.role.is_team or self.owns(item))

    def require_team_or_author(self, item: Item) -> None:
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

    def item_or_404(self, model: type[ItemT], item_id: int, *options: object) -> ItemT:
        """Load an item of this project that this person may see, or answer 404; `options`
        load what its page shows with it (its people, its list), so that its template
        reads no more."""
        item = db.session.get(model, item_id, options=options)
        if item is None or not self.can_see(item):
            raise NotFound()
        return item


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
        PROJECT_WITH_ROLE, {"project_id": project_id, "user_id": user.id}).first()
    return access_from(user, *(row or (None, None))).require(action)


# Built once: building a statement costs more than running this one. Parameters: the
# project's and the person's ids.
PROJECT_WITH_ROLE = (
    select(Project, Membership.role)
    .outerjoin(Membership, and_(Membership.project_id == Project.id,
                                Membership.user_id == bindparam("user_id")))
    .where(Project.id == bindparam("project_id"))
)


def with_project_role(people: Select, project_id: int | BindParameter) -> Select:
    """`people` (a query on users) with the project `project_id` and each person's role in it
    (None, None if there is no such project; None if they have no place in it), for
    `access_from`: a reader who is not signed in and the project, in one query."""
    return (people.add_columns(Project, Membership.role)
            .outerjoin_from(User, Project, Project.id == project_id)
            .outerjoin_from(Project, Membership, and_(Membership.project_id == Project.id,
                                                      Membership.user_id == User.id)))


def access_from(user: User, project: Project | None, membership_role: Role | None,
                ) -> ProjectAccess:
    """What `user` may do in `project`, given their role in it; 404 if they may not see it."""
    role = effective_role(user, membership_role) if project is not None else None
    if role is None:
        raise NotFound()
    return ProjectAccess(project, role, user)


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


def project_versions(user: User) -> Select[tuple[int, int, Role | None]]:
    """Per project `user` may see: its id, its version (projects/versions.py) and the person's
    role in it (None for a site administrator outside it), by id."""
    here = and_(Membership.project_id == Project.id, Membership.user_id == user.id)
    return (select(Project.id, Project.activity_version, Membership.role)
            .join(Membership, here, isouter=user.is_admin).order_by(Project.id))


def rows_digest(rows: list[Row]) -> str:
    """A short fingerprint of the rows of `project_versions` or of
    `activity.streams.visible_streams`, for a validator or a key: it changes whenever any of
    their values does."""
    listing = ";".join(".".join(str(value) for value in row) for row in rows)
    return hashlib.sha256(listing.encode()).hexdigest()


def may_see(role: Role | None, *, private: bool) -> bool:
    """Whether someone with `role` in a project (None: not in it) may see an item there."""
    return role is not None and (role.is_team or not private)


def member_may_see(private: ColumnElement[bool]) -> ColumnElement[bool]:
    """`may_see` in SQL, for rows joined to the reader's membership of their project."""
    return or_(private.is_(False), Membership.role != Role.CLIENT)


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


def may_use_templates(user: User) -> bool:
    """Templates are for the site's team: people who may create projects, and are site
    administrators or owners or members of a project. A client-only account never uses one,
    whatever WORKSPACE_PROJECT_CREATORS says."""
    if not may_create_projects(user):
        return False
    members_create = current_app.config["WORKSPACE_PROJECT_CREATORS"] == "members"
    return user.is_admin or members_create or is_team_member_anywhere(user)


def require_template_user(user: User) -> None:
    """Template pages and resources: to anyone else they do not exist."""
    if not may_use_templates(user):
        raise NotFound()


def sees_template(user: User, created_by: ColumnElement[int],
                  source_project: ColumnElement[int]) -> ColumnElement[bool]:
    """Which templates `user` sees (the SQL condition, on a template's creator and source
    project columns): the ones they saved or imported, and those saved from a project whose
    team (owners and members) they are on now; a site administrator sees every one. A
    template holds what its project held, so it is shared as the project is, never beyond:
    a person of project A cannot use project B's template by its id."""
    if user.is_admin:
        return true()
    return or_(created_by == user.id, source_project.in_(
        select(Membership.project_id).where(Membership.user_id == user.id,
                                            Membership.role != Role.CLIENT)))


def may_delete_template(user: User, created_by_id: int | None) -> bool:
    """A template is deleted by the person who saved or imported it, or a site administrator."""
    return user.is_admin or created_by_id == user.id


def require_site_admin(user: User) -> None:
    """Pages for site administrators only; to everyone else they do not exist."""
    if not user.is_admin:
        raise NotFound()
