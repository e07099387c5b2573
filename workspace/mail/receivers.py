"""The emails other domains ask for by their signals, and what an account's closing does to
the outbox. Connected by the app factory."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update

from workspace.auth.models import TokenPurpose, User
from workspace.auth.signals import account_deactivated, link_issued
from workspace.extensions import db
from workspace.mail.models import OutboxEmail
from workspace.mail.operations import enqueue


def connect_signals() -> None:
    link_issued.connect(compose_link_email)
    account_deactivated.connect(withdraw_queued_emails)


LINK_EMAILS = {
    TokenPurpose.RESET_PASSWORD: ("auth.reset_password", "mail/password_reset",
                                  "PASSWORD_RESET_MINUTES"),
    TokenPurpose.SIGN_IN: ("auth.sign_in_link", "mail/sign_in_link", "SIGNIN_LINK_MINUTES"),
}


def compose_link_email(user: User, *, purpose: TokenPurpose, secret: str,
                       **extra: object) -> None:
    """The email that carries a link, in the person's language, through the outbox."""
    endpoint, template, minutes = LINK_EMAILS[purpose]
    with force_locale(user.locale or "en"):
        context = {"user": user, "link": url_for(endpoint, token=secret, _external=True),
                   "minutes": current_app.config[minutes]}
        subject = (_("Set a new password for Workspace") if purpose is TokenPurpose.RESET_PASSWORD
                   else _("Your link to sign in to Workspace"))
        enqueue(user, subject, render_template(f"{template}.txt", **context),
                render_template(f"{template}.html", **context))


def withdraw_queued_emails(user: User, *, now: datetime, **extra: object) -> None:
    """No email is sent to a closed account, not even one queued before."""
    db.session.execute(update(OutboxEmail).where(
        OutboxEmail.recipient_id == user.id, OutboxEmail.status == "queued")
        .values(status="withdrawn"))
