"""The person a browser's session cookie signs in, with their count of unread notifications
(shown in the header of every page): one query, for the app's user loader."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, select, update

from workspace.activity.models import Event
from workspace.auth.models import LoginSession, User
from workspace.extensions import db
from workspace.notifications.models import Notification
from workspace.projects.access import member_may_see
from workspace.projects.models import Membership
from workspace.types import utcnow


def unread_of(user_id: ColumnElement[int] | int) -> Select[tuple[int]]:
    """How many of a person's notifications are unread, counting only those they may still
    see: a project they left or an item since made private to a client counts for nothing,
    as it leaves no line on /notifications."""
    return (select(func.count()).select_from(Notification)
            .join(Event, Event.id == Notification.event_id)
            .join(Membership, and_(Membership.project_id == Event.project_id,
                                   Membership.user_id == user_id))
            .where(Notification.user_id == user_id, Notification.read_at.is_(None),
                   member_may_see(Event.private)))


def signed_in_statement() -> Select[tuple[User, LoginSession, int]]:
    """A browser's person, its sign-in and the person's unread notifications (for the
    header of every page): one round trip. Built once: only its parameters change."""
    unread = unread_of(User.id).correlate(User).scalar_subquery()
    return (select(User, LoginSession.id, LoginSession.last_seen_on, unread)
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(User.id == bindparam("user_id"), LoginSession.key_hash == bindparam("key"),
                   User.deactivated_at.is_(None)))


SIGNED_IN = signed_in_statement()


def user_for_session(session_id: str) -> User | None:
    """The person a session cookie's id signs in, in one query; None once signed out."""
    user_id, _, key = session_id.partition(":")
    if not user_id.isdigit() or not key:
        return None
    row = db.session.execute(
        SIGNED_IN, {"user_id": int(user_id), "key": LoginSession.hash(key)}).first()
    if row is None:
        return None
    user, login_session_id, last_seen_on, user.unread_notifications = row
    user.login_key = key
    note_seen(login_session_id, last_seen_on)
    return user


def note_seen(login_session_id: int, last_seen_on: date | None) -> None:
    """At most one write a day per browser."""
    today = utcnow().date()
    if last_seen_on != today:
        db.session.execute(update(LoginSession).where(LoginSession.id == login_session_id)
                           .values(last_seen_on=today))
        db.session.commit()
