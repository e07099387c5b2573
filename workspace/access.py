"""Who may see and do what. Every view, feed, download, email and API response asks here.

A person's power in a project comes from their role in it (owner, member, client); a site
administrator who is not a member acts as an owner. A person with no role in a project cannot
learn that it exists: they get 404, never 403. An archived project is read-only for everyone
until an owner unarchives it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, and_, select
from werkzeug.exceptions import Forbidden, NotFound

from workspace.auth.models import User
from workspace.extensions import db
from workspace.projects.models import Membership, Project, Role


class Action(enum.StrEnum):
    VIEW = "view"
    COMMENT = "comment"
    POST = "post"
    EDIT_PROJECT = "edit_project"
    MANAGE_PEOPLE = "manage_people"
    ARCHIVE = "archive"
    DELETE_PROJECT = "delete_project"


ALLOWED: dict[Role, frozenset[Action]] = {
    Role.OWNER: frozenset(Action),
    Role.MEMBER: frozenset({Action.VIEW, Action.COMMENT, Action.POST}),
    Role.CLIENT: frozenset({Action.VIEW, Action.COMMENT, Action.POST}),
}

# Archiving freezes a project; only reading it and unarchiving it remain possible.
ALLOWED_WHEN_ARCHIVED = frozenset({Action.VIEW, Action.ARCHIVE})


class ProjectArchived(Forbidden):
    description = _l("This project is archived: it is read-only until an owner unarchives it.")


class NotAllowed(Forbidden):
    description = _l("Your role in this project does not allow this.")


@dataclass(frozen=True)
class ProjectAccess:
    """A project as seen by one person: what they are in it, and so what they may do."""

    project: Project
    role: Role

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
    return None if role is None else ProjectAccess(project, role)


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
    return ProjectAccess(row[0], role).require(action)


def visible_projects(user: User) -> Select[tuple[Project]]:
    """The projects `user` may open: their own, or all of them for a site administrator."""
    query = select(Project)
    if not user.is_admin:
        query = query.join(Membership, Membership.project_id == Project.id).where(
            Membership.user_id == user.id
        )
    return query
