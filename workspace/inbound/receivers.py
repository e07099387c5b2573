"""How email-in addresses and reply keys follow people: joining and leaving projects, closing
and reopening their account. Connected by the app factory."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update

from workspace.auth.models import User
from workspace.auth.signals import account_deactivated, account_reactivated
from workspace.extensions import db
from workspace.inbound.addresses import (
    give_back_email_in_addresses,
    give_email_in_address,
    revoke_addresses,
)
from workspace.inbound.models import EmailInAddress, ReplyKey
from workspace.projects.models import Membership, Project
from workspace.projects.signals import member_joined, member_left


def connect_signals() -> None:
    member_joined.connect(give_address)
    member_left.connect(revoke_member_addresses)
    account_deactivated.connect(close_addresses)
    account_reactivated.connect(give_back_addresses)


def give_address(project: Project, *, membership: Membership, **extra: object) -> None:
    give_email_in_address(membership.user, project)


def revoke_member_addresses(membership: Membership, **extra: object) -> None:
    revoke_addresses(membership.user_id, membership.project_id)


def close_addresses(user: User, *, now: datetime, **extra: object) -> None:
    """A closed account's reply keys are revoked and its email-in addresses deleted."""
    db.session.execute(update(ReplyKey).where(
        ReplyKey.user_id == user.id, ReplyKey.revoked_at.is_(None)).values(revoked_at=now))
    db.session.execute(delete(EmailInAddress).where(EmailInAddress.user_id == user.id))


def give_back_addresses(user: User, **extra: object) -> None:
    give_back_email_in_addresses(user)
