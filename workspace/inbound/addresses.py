"""The addresses email comes in by: `<local>+<key>@<domain>`, built from
WORKSPACE_MAIL_INBOUND_ADDRESS. A key is found in the database, never computed."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import delete, select, update

from workspace import items
from workspace.auth.models import User
from workspace.extensions import db
from workspace.inbound.models import EmailInAddress, ReplyKey, new_key
from workspace.projects.access import Action, ProjectAccess
from workspace.projects.models import Membership, Project
from workspace.types import utcnow


def inbound_address() -> str:
    return str(current_app.config.get("WORKSPACE_MAIL_INBOUND_ADDRESS") or "").strip()


def address_for(key: str) -> str:
    local, _, domain = inbound_address().rpartition("@")
    return f"{local}+{key}@{domain}"


def key_in(address: str) -> str | None:
    """The key of one of our addresses, or None for any other address."""
    ours_local, _, ours_domain = inbound_address().lower().rpartition("@")
    local, _, domain = address.strip().strip("<>").lower().rpartition("@")
    base, plus, key = local.partition("+")
    if not ours_local or not plus or base != ours_local or domain != ours_domain or not key:
        return None
    return key


def reply_addresses(users: list[User], event: object) -> dict[int, str]:
    """The address each of `users` answers a notification about `event`'s item at, by user
    id; empty when email in is off or the item takes no comments. One key per person and
    item, kept; the existing keys of all of them are read in one query."""
    kind = items.find(event.subject_type)
    if not users or not inbound_address() or kind is None or not kind.takes_comments:
        return {}
    found = {reply_key.user_id: reply_key for reply_key in db.session.scalars(
        select(ReplyKey).where(
            ReplyKey.user_id.in_([user.id for user in users]),
            ReplyKey.subject_type == event.subject_type,
            ReplyKey.subject_id == event.subject_id))}
    addresses = {}
    for user in users:
        reply_key = found.get(user.id)
        if reply_key is None:
            reply_key = ReplyKey(key=new_key(), user_id=user.id, project_id=event.project_id,
                                 subject_type=event.subject_type, subject_id=event.subject_id)
            db.session.add(reply_key)
        elif reply_key.revoked_at is not None:  # back in the project: a new key, never the old
            reply_key.key, reply_key.revoked_at = new_key(), None
        addresses[user.id] = address_for(reply_key.key)
    return addresses


def revoke_addresses(user_id: int, project_id: int) -> None:
    """A person leaves a project: their reply keys there are revoked and their email-in
    address is forgotten, in the caller's transaction."""
    db.session.execute(update(ReplyKey).where(
        ReplyKey.user_id == user_id, ReplyKey.project_id == project_id,
        ReplyKey.revoked_at.is_(None)).values(revoked_at=utcnow()))
    db.session.execute(delete(EmailInAddress).where(
        EmailInAddress.user_id == user_id, EmailInAddress.project_id == project_id))


def give_email_in_address(user: User, project: Project) -> None:
    """A person joins a project: their own address there, in the caller's transaction, so
    that no page has to make one while it shows it."""
    db.session.add(EmailInAddress(user=user, project=project))


def give_back_email_in_addresses(user: User) -> None:
    """A reopened account: a new address in each of its projects that has none (the old
    ones were deleted with the account's closing and stay dead), in the caller's transaction."""
    db.session.add_all(
        EmailInAddress(user_id=user.id, project_id=project_id)
        for project_id in db.session.scalars(select(Membership.project_id).where(
            Membership.user_id == user.id,
            ~select(EmailInAddress.id).where(EmailInAddress.user_id == user.id,
                                             EmailInAddress.project_id == Membership.project_id)
            .exists())))


def shown_email_in_address(access: ProjectAccess) -> str | None:
    """What the project page's panel shows the person: "" when email in is off or they may
    not post, None when they may but have no address (a site administrator outside the
    project), else their address. Read only: addresses are made when a person joins."""
    if not inbound_address() or not access.can(Action.POST):
        return ""
    key = db.session.scalar(select(EmailInAddress.key).where(
        EmailInAddress.user_id == access.user.id, EmailInAddress.project_id == access.project.id))
    return None if key is None else address_for(key)


def email_in_address(user: User, project: Project) -> str:
    """The person's own address for sending email into the project (made if missing)."""
    row = address_row(user, project)
    if row in db.session.new:
        db.session.commit()
    return address_for(row.key)


def regenerate_email_in_address(user: User, project: Project) -> str:
    """Give the person a new address for the project; the old one stops working at once."""
    row = address_row(user, project)
    row.key = new_key()
    db.session.commit()
    return address_for(row.key)


def address_row(user: User, project: Project) -> EmailInAddress:
    """The person's email-in row for the project; a new one, not yet saved, if none yet."""
    row = db.session.scalar(select(EmailInAddress).where(
        EmailInAddress.user_id == user.id, EmailInAddress.project_id == project.id))
    if row is None:
        row = EmailInAddress(key=new_key(), user_id=user.id, project_id=project.id)
        db.session.add(row)
    return row
