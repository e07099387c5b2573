"""Accounts: the first administrator, sign-in, profile and password."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from workspace.auth.models import USER_AGENT_LENGTH, LoginSession, User, normalize_email
from workspace.errors import Conflict, Refused
from workspace.extensions import db
from workspace.notifications.models import Notification
from workspace.types import utcnow

# Flask-Login's default life of a "remember me" cookie.
SESSION_IDLE_LIMIT = timedelta(days=365)

# Checked when the email is unknown, so that a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


class EmailTaken(Conflict):
    message = _l("An account with this email address already exists.")


class SetupDone(Refused):
    status = 404
    message = _l("This workspace is already set up.")


class WrongPassword(Refused):
    message = _l("The current password is not correct.")


def create_user(email: str, name: str, password: str, *, is_admin: bool = False) -> User:
    user = User(email=normalize_email(email), name=name.strip(), is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise EmailTaken() from None
    return user


def create_first_admin(email: str, name: str, password: str) -> User:
    """Create the site administrator; refused once any account exists."""
    if User.any_exists():
        raise SetupDone()
    user = create_user(email, name, password, is_admin=True)
    db.session.commit()
    return user


def sign_up(email: str, name: str, password: str) -> User:
    user = create_user(email, name, password)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = User.by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if user.check_password(password) else None


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password; every session of this person is signed out (the caller signs the
    current browser in again)."""
    if not user.check_password(current):
        raise WrongPassword()
    user.set_password(new)
    LoginSession.close_all(user)
    db.session.commit()


def open_session(user: User, user_agent: str | None = None) -> str:
    """Record a newly signed-in browser; returns the id its session cookie is to hold (the
    key is also kept on `user`, for Flask-Login's `get_id`)."""
    key = LoginSession.new_key()
    db.session.add(LoginSession(user_id=user.id, key_hash=LoginSession.hash(key),
                                last_seen_on=utcnow().date(),
                                user_agent=(user_agent or None) and user_agent[:USER_AGENT_LENGTH]))
    db.session.commit()
    user.login_key = key
    return user.get_id()


def close_session(user: User) -> None:
    """Sign out the browser `user` was loaded for: a copy of its cookie is worthless after."""
    if user.login_key:
        db.session.execute(delete(LoginSession).where(
            LoginSession.key_hash == LoginSession.hash(user.login_key)))
        db.session.commit()


def sessions_of(user: User) -> list[LoginSession]:
    """Where this person is signed in, the latest first."""
    return list(db.session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id)
        .order_by(LoginSession.created_at.desc(), LoginSession.id.desc())
    ))


def close_other_sessions(user: User) -> int:
    """Sign out every browser of this person but the one `user` was loaded for."""
    result = db.session.execute(delete(LoginSession).where(
        LoginSession.user_id == user.id,
        LoginSession.key_hash != LoginSession.hash(user.login_key)))
    db.session.commit()
    return result.rowcount


def signed_in_statement() -> Select[tuple[User, LoginSession, int]]:
    """A browser's person, its sign-in and the person's unread notifications (for the
    header of every page): one round trip. Built once: only its parameters change."""
    unread = (select(func.count()).select_from(Notification)
              .where(Notification.user_id == User.id, Notification.read_at.is_(None))
              .correlate(User).scalar_subquery())
    return (select(User, LoginSession, unread)
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(User.id == bindparam("user_id"), LoginSession.key_hash == bindparam("key")))


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
    user, login_session, user.unread_notifications = row
    user.login_key = key
    note_seen(login_session)
    return user


def note_seen(login_session: LoginSession) -> None:
    """At most one write a day per browser."""
    today = utcnow().date()
    if login_session.last_seen_on != today:
        login_session.last_seen_on = today
        db.session.commit()


def forget_idle_sessions(idle_for: timedelta = SESSION_IDLE_LIMIT) -> int:
    """Delete the sign-ins no browser has used for `idle_for` (by default the life of a
    "remember me" cookie): a browser that comes back after that signs in again, and a cookie
    copied long ago is worth nothing. Returns how many were deleted."""
    last_day = utcnow().date() - idle_for
    result = db.session.execute(delete(LoginSession).where(
        func.coalesce(LoginSession.last_seen_on, func.date(LoginSession.created_at)) < last_day))
    db.session.commit()
    return result.rowcount


def update_profile(user: User, *, name: str, locale: str | None, timezone: str) -> None:
    user.name = name.strip()
    user.locale = locale or None
    user.timezone = timezone
    db.session.commit()
