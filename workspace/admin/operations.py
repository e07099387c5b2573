"""The people administration's queries: a page of accounts, their projects and roles, and
the pending invitations. Each page runs a fixed number of queries, whatever its size."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, func, or_, select

from workspace.auth.models import User
from workspace.extensions import db
from workspace.projects.models import Invitation, Membership, Project, Role

PAGE_SIZE = 25
INVITATIONS_SHOWN = 100


@dataclass
class PersonRow:
    user: User
    projects: list[tuple[Project, Role]] = field(default_factory=list)


@dataclass
class PeoplePage:
    people: list[PersonRow]
    invitations: list[Invitation]
    page: int
    pages: int
    total: int


def matching(text: str, *columns: ColumnElement[str]) -> ColumnElement[bool]:
    """Columns containing `text`, whatever its case, with % and _ taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(*(func.lower(column).like(f"%{escaped}%", escape="\\") for column in columns))


def people_query(search: str) -> Select[tuple[User]]:
    query = select(User)
    if search:
        query = query.where(matching(search, User.name, User.email))
    return query


def people_page(search: str = "", page: int = 1) -> PeoplePage:
    """One page of accounts matching `search` (name or email), by name; a page past the last
    shows the last."""
    search = search.strip()
    total = db.session.scalar(select(func.count()).select_from(people_query(search).subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    users = db.session.scalars(people_query(search).order_by(func.lower(User.name), User.id)
                               .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    rows = {user.id: PersonRow(user) for user in users}
    for membership, project in db.session.execute(
        select(Membership, Project).join(Project, Project.id == Membership.project_id)
        .where(Membership.user_id.in_(rows)).order_by(func.lower(Project.name), Project.id)
    ):
        rows[membership.user_id].projects.append((project, membership.role))
    return PeoplePage(list(rows.values()), pending_invitations(search), page, pages, total)


def pending_invitations(search: str = "") -> list[Invitation]:
    """Invitations nobody accepted yet, across projects, the oldest first."""
    query = (select(Invitation).where(Invitation.accepted_at.is_(None))
             .options(db.joinedload(Invitation.project)).order_by(Invitation.created_at)
             .limit(INVITATIONS_SHOWN))
    if search.strip():
        query = query.where(matching(search.strip(), Invitation.email))
    return list(db.session.scalars(query))


def pending_invitation(invitation_id: int) -> Invitation | None:
    invitation = db.session.get(Invitation, invitation_id)
    return invitation if invitation is not None and invitation.is_pending else None
