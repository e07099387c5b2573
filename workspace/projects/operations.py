"""Projects and the people in them: each function is one business action in one transaction."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, select

from workspace.auth.models import User, normalize_email
from workspace.auth.operations import create_user
from workspace.errors import Conflict, Refused
from workspace.extensions import db
from workspace.projects.access import ProjectArchived
from workspace.projects.models import Invitation, Membership, Project, Role
from workspace.projects.signals import invitation_created, member_joined, member_left
from workspace.types import utcnow


class LastOwner(Refused):
    message = _l("A project keeps at least one owner: make someone else owner first.")


class AlreadyMember(Conflict):
    message = _l("This person is already in the project.")


class AlreadyInvited(Conflict):
    message = _l("This person is already invited; renew the invitation to get a new link.")


class NameMismatch(Refused):
    message = _l("The name you typed does not match the project's name.")


class InvitationUsed(Refused):
    status = 410
    message = _l("This invitation has already been used. Ask the project's owner for a new one.")


class InvitationExpired(Refused):
    status = 410
    message = _l("This invitation has expired. Ask the project's owner for a new one.")


class WrongAccount(Refused):
    status = 403
    message = _l(
        "This invitation was sent to another email address. Sign out, then open the link again."
    )


# -- projects ---------------------------------------------------------------------------------

def create_project(name: str, description: str, *, by: User) -> Project:
    """Create a project whose first owner is its creator."""
    project = Project(name=name.strip(), description=description.strip())
    db.session.add(project)
    join_project(project, by, Role.OWNER)
    db.session.commit()
    return project


def update_project(project: Project, *, name: str, description: str) -> None:
    project.name = name.strip()
    project.description = description.strip()
    db.session.commit()


def update_alert_settings(project: Project, *, timezone: str, days_before: int,
                          on_the_day: bool, when_late: bool) -> None:
    project.timezone, project.alert_days_before = timezone, days_before
    project.alert_on_the_day, project.alert_when_late = on_the_day, when_late
    db.session.commit()


def archive_project(project: Project) -> None:
    if not project.is_archived:
        project.archived_at = utcnow()
        db.session.commit()


def unarchive_project(project: Project) -> None:
    project.archived_at = None
    db.session.commit()


def delete_project(project: Project, *, confirmation: str) -> None:
    """Delete a project and everything in it, once its name has been typed to confirm."""
    if confirmation.strip() != project.name:
        raise NameMismatch()
    db.session.delete(project)
    db.session.commit()


# -- people -----------------------------------------------------------------------------------

def join_project(project: Project, user: User, role: Role) -> Membership:
    """Put `user` in `project`, in the caller's transaction, with what a member has from the
    first day (`member_joined`: their email-in address): every membership is made here."""
    membership = Membership(project=project, user=user, role=role)
    db.session.add(membership)
    member_joined.send(project, membership=membership)
    return membership


def owner_memberships(project: Project) -> list[Membership]:
    """The owners, locked until the transaction ends so two owners cannot both step down."""
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.project_id == project.id, Membership.role == Role.OWNER)
            .with_for_update()
        )
    )


def ensure_other_owner(membership: Membership) -> None:
    owners = owner_memberships(membership.project)
    if membership.role is Role.OWNER and len(owners) <= 1:
        raise LastOwner()


def change_role(membership: Membership, role: Role) -> None:
    if role is not Role.OWNER:
        ensure_other_owner(membership)
    membership.role = role
    db.session.commit()


def remove_person(membership: Membership) -> None:
    ensure_other_owner(membership)
    member_left.send(membership)
    db.session.delete(membership)
    db.session.commit()


ROLE_ORDER = case({Role.OWNER: 0, Role.MEMBER: 1}, value=Membership.role, else_=2)


def people_of(project: Project) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.project_id == project.id)
            .join(Membership.user)
            .options(db.contains_eager(Membership.user))
            .order_by(ROLE_ORDER, func.lower(User.name))
        )
    )


def add_known_person(project: Project, email: str, role: Role) -> Membership | None:
    """Add the person who has an account with `email` at once; None if nobody has one."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        return None
    if db.session.scalar(select(Membership.id).where(Membership.project_id == project.id,
                                                     Membership.user_id == user.id)):
        raise AlreadyMember()
    membership = join_project(project, user, role)
    db.session.commit()
    return membership


# -- invitations ------------------------------------------------------------------------------

def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


def invite(project: Project, email: str, role: Role, *, by: User) -> tuple[Invitation, str]:
    """Invite `email` into `project`; returns the invitation and its secret link token."""
    email = normalize_email(email)
    already_member = db.session.scalar(
        select(func.count()).select_from(Membership).join(Membership.user)
        .where(Membership.project_id == project.id, User.email == email)
    )
    if already_member:
        raise AlreadyMember()
    if db.session.scalar(pending_invitations(project).where(Invitation.email == email)):
        raise AlreadyInvited()
    token = new_invitation_token()
    invitation = Invitation(
        project=project, email=email, role=role, invited_by=by,
        token_hash=Invitation.hash_token(token), expires_at=expiry(),
    )
    db.session.add(invitation)
    send_invitation(invitation, token)
    db.session.commit()
    return invitation, token


def send_invitation(invitation: Invitation, token: str) -> None:
    """Email the link too (the owner also sees it once, to send it another way)."""
    invitation_created.send(invitation,
                            link=url_for("people.invitation", token=token, _external=True))


def expiry() -> datetime:
    return utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"])


def pending_invitations(project: Project) -> Select[tuple[Invitation]]:
    return (
        select(Invitation)
        .where(Invitation.project_id == project.id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at)
    )


def renew_invitation(invitation: Invitation) -> str:
    """Give a pending invitation a new link and a new expiry date; the old link stops working."""
    token = new_invitation_token()
    invitation.token_hash = Invitation.hash_token(token)
    invitation.expires_at = expiry()
    send_invitation(invitation, token)
    db.session.commit()
    return token


def cancel_invitation(invitation: Invitation) -> None:
    db.session.delete(invitation)
    db.session.commit()


def invitation_for_token(token: str) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(Invitation.token_hash == Invitation.hash_token(token))
    )


def ensure_usable(invitation: Invitation) -> None:
    if not invitation.is_pending:
        raise InvitationUsed()
    if invitation.is_expired(utcnow()):
        raise InvitationExpired()
    if invitation.project.is_archived:
        raise ProjectArchived()


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Bring `user` into the project; the link is spent. A person already in keeps their role."""
    ensure_usable(invitation)
    if user.email != invitation.email:
        raise WrongAccount()
    membership = db.session.scalar(
        select(Membership).where(
            Membership.project_id == invitation.project_id, Membership.user_id == user.id
        )
    )
    if membership is None:
        membership = join_project(invitation.project, user, invitation.role)
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    db.session.commit()
    return membership


def accept_invitation_as_new_user(invitation: Invitation, *, name: str, password: str) -> User:
    """Create the invited person's account and bring them into the project."""
    ensure_usable(invitation)
    user = create_user(invitation.email, name, password)
    accept_invitation(invitation, user)
    return user
