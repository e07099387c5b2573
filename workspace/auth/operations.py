"""Accounts: the first administrator, sign-in, profile and password, links sent by email
(password reset, sign-in link), and deactivation."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from workspace.auth.models import (
    USER_AGENT_LENGTH,
    EmailedToken,
    LoginSession,
    TokenPurpose,
    User,
    new_feed_secret,
    normalize_email,
)
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


class LinkInvalid(Refused):
    status = 404
    message = _l("This link is not valid. Check that you copied it whole, or ask for a new one.")


class LinkUsed(Refused):
    status = 410
    message = _l("This link was already used: each link works once. Ask for a new one.")


class LinkExpired(Refused):
    status = 410
    message = _l("This link has expired. Ask for a new one.")


class AccountDeactivated(Refused):
    status = 403
    message = _l("This account is deactivated. Ask your site administrator to reactivate it.")


class LastAdmin(Refused):
    message = _l("The site keeps at least one active administrator: make someone else "
                 "administrator first.")


class NotYourself(Refused):
    message = _l("You cannot deactivate your own account.")


class NoMailServer(Refused):
    status = 503
    message = _l("This site has no mail server configured, so it cannot email you a link. "
                 "Ask your site administrator to set a new password for you.")


# A secret of 256 random bits, as `secrets.token_urlsafe(32)` writes it.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


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


def set_password(user: User, password: str) -> None:
    """Set a password without the current one (an administrator, or a reset link): every
    browser of this person is signed out."""
    user.set_password(password)
    LoginSession.close_all(user)
    db.session.commit()


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


def record_sign_in(user: User, user_agent: str | None = None) -> str:
    """A person signs in through a page: their browser gets a login session, and the day is
    kept for the people administration. Returns what `open_session` returns."""
    user.last_signed_in_on = utcnow().date()
    return open_session(user, user_agent)


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


# -- links sent by email: password reset and sign-in link -------------------------------------

def mail_server_configured() -> bool:
    return bool(current_app.config["WORKSPACE_SMTP_HOST"])


def issue_token(user: User, purpose: TokenPurpose) -> str:
    """A new single-use link secret for `user` (in the caller's transaction)."""
    minutes = current_app.config["PASSWORD_RESET_MINUTES" if purpose is TokenPurpose.RESET_PASSWORD
                                 else "SIGNIN_LINK_MINUTES"]
    secret, now = secrets.token_urlsafe(32), utcnow()
    db.session.add(EmailedToken(user_id=user.id, purpose=purpose.value,
                                token_hash=EmailedToken.hash(secret), created_at=now,
                                expires_at=now + timedelta(minutes=minutes)))
    return secret


def may_use_sign_in_links(user: User) -> bool:
    """WORKSPACE_SIGNIN_LINKS: `clients` (accounts that are only a client anywhere),
    `everyone`, or `off`."""
    setting = current_app.config["WORKSPACE_SIGNIN_LINKS"]
    if setting == "everyone":
        return True
    if setting == "off":
        return False
    from workspace.access import is_client_only

    return is_client_only(user)


def request_password_reset(email: str) -> None:
    """Email a reset link if an active account has this address; the caller answers the same
    whatever happened, so that nobody learns which addresses have accounts."""
    send_link(email, TokenPurpose.RESET_PASSWORD)


def request_sign_in_link(email: str) -> None:
    """Email a sign-in link if this address's account may use one (see the setting)."""
    send_link(email, TokenPurpose.SIGN_IN)


def send_link(email: str, purpose: TokenPurpose) -> None:
    if not mail_server_configured():
        raise NoMailServer()
    user = User.by_email(email)
    wanted = user is not None and user.is_active and (
        purpose is TokenPurpose.RESET_PASSWORD or may_use_sign_in_links(user))
    if not wanted:
        return
    compose_link_email(user, purpose, issue_token(user, purpose))
    db.session.commit()


LINK_EMAILS = {
    TokenPurpose.RESET_PASSWORD: ("auth.reset_password", "mail/password_reset",
                                  "PASSWORD_RESET_MINUTES"),
    TokenPurpose.SIGN_IN: ("auth.sign_in_link", "mail/sign_in_link", "SIGNIN_LINK_MINUTES"),
}


def compose_link_email(user: User, purpose: TokenPurpose, secret: str) -> None:
    """The email that carries a link, in the person's language, through the outbox."""
    from workspace.mail.operations import enqueue

    endpoint, template, minutes = LINK_EMAILS[purpose]
    with force_locale(user.locale or "en"):
        context = {"user": user, "link": url_for(endpoint, token=secret, _external=True),
                   "minutes": current_app.config[minutes]}
        subject = (_("Set a new password for Workspace") if purpose is TokenPurpose.RESET_PASSWORD
                   else _("Your link to sign in to Workspace"))
        enqueue(user, subject, render_template(f"{template}.txt", **context),
                render_template(f"{template}.html", **context))


def usable_token(secret: str, purpose: TokenPurpose) -> EmailedToken:
    """The token a link carries, if it may still be used; otherwise the reason it may not.
    A token of another purpose is as unknown as one never issued."""
    if not TOKEN_PATTERN.fullmatch(secret):
        raise LinkInvalid()
    token = db.session.scalar(select(EmailedToken).where(
        EmailedToken.token_hash == EmailedToken.hash(secret),
        EmailedToken.purpose == purpose.value))
    if token is None:
        raise LinkInvalid()
    # Deactivation spends every link; the person is told the reason, not just "used".
    if not token.user.is_active:
        raise AccountDeactivated()
    if token.used_at is not None:
        raise LinkUsed()
    if token.is_expired(utcnow()):
        raise LinkExpired()
    return token


def spend(token: EmailedToken) -> None:
    """Mark the link used, once: of two uses at the same moment only one gets through."""
    result = db.session.execute(
        update(EmailedToken).where(EmailedToken.id == token.id, EmailedToken.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise LinkUsed()


def reset_password(secret: str, password: str) -> User:
    """Set a new password through a reset link: the link is spent, with every other link of
    the person, and every browser is signed out (the caller signs this one in)."""
    token = usable_token(secret, TokenPurpose.RESET_PASSWORD)
    spend(token)
    user = token.user
    spend_links_of(user)
    set_password(user, password)
    return user


def sign_in_with_link(secret: str) -> User:
    """Spend a sign-in link; the caller signs its browser in."""
    token = usable_token(secret, TokenPurpose.SIGN_IN)
    spend(token)
    db.session.commit()
    return token.user


def spend_links_of(user: User) -> None:
    db.session.execute(
        update(EmailedToken).where(EmailedToken.user_id == user.id,
                                   EmailedToken.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False))


# -- deactivation -----------------------------------------------------------------------------

def active_admin_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.is_admin.is_(True), User.deactivated_at.is_(None)))


def ensure_other_admin(user: User) -> None:
    if user.is_admin and user.is_active and active_admin_count() <= 1:
        raise LastAdmin()


def deactivate(user: User, *, by: User | None = None) -> None:
    """Close the account, in one transaction: every browser signed out, API tokens revoked,
    feed URLs and email-in addresses dead, queued emails withdrawn and no email sent again.
    What the person wrote stays, with their name."""
    if not user.is_active:
        return
    if by is not None and by.id == user.id:
        raise NotYourself()
    ensure_other_admin(user)
    # The other domains' rows are changed here, in the same transaction, so that no surface
    # stays open for a moment; each surface also refuses a deactivated account on its own.
    from workspace.api.models import ApiToken
    from workspace.inbound.models import EmailInAddress, ReplyKey
    from workspace.mail.models import OutboxEmail

    now = utcnow()
    user.deactivated_at = now
    user.feed_secret = new_feed_secret()
    LoginSession.close_all(user)
    spend_links_of(user)
    db.session.execute(update(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=now))
    db.session.execute(update(ReplyKey).where(
        ReplyKey.user_id == user.id, ReplyKey.revoked_at.is_(None)).values(revoked_at=now))
    db.session.execute(delete(EmailInAddress).where(EmailInAddress.user_id == user.id))
    db.session.execute(update(OutboxEmail).where(
        OutboxEmail.recipient_id == user.id, OutboxEmail.status == "queued")
        .values(status="withdrawn"))
    db.session.commit()


def reactivate(user: User) -> None:
    """Open the account again; its old tokens, feed URLs and addresses stay dead: each of
    its projects gives it a new email-in address."""
    from workspace.inbound.addresses import give_back_email_in_addresses

    user.deactivated_at = None
    give_back_email_in_addresses(user)
    db.session.commit()


def set_site_admin(user: User, is_admin: bool) -> None:
    """Make or remove a site administrator; the last active one stays."""
    if not is_admin:
        ensure_other_admin(user)
    user.is_admin = is_admin
    db.session.commit()


def is_deactivated_address(recipient_id: int | None, address: str) -> bool:
    """Whether an email is for a deactivated account (by its id, or by its address)."""
    condition = (User.id == recipient_id) if recipient_id else (
        User.email == normalize_email(address))
    return bool(db.session.scalar(select(func.count()).select_from(User).where(
        condition, User.deactivated_at.is_not(None))))
