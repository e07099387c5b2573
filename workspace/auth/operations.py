"""Accounts: the first administrator, sign-in, profile and password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from workspace.auth.models import User, normalize_email
from workspace.errors import Conflict, Refused
from workspace.extensions import db

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
    """Set a new password; every other session of this person is signed out."""
    if not user.check_password(current):
        raise WrongPassword()
    user.set_password(new)
    db.session.commit()


def update_profile(user: User, *, name: str, locale: str | None, timezone: str) -> None:
    user.name = name.strip()
    user.locale = locale or None
    user.timezone = timezone
    db.session.commit()
