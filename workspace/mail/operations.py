"""Email out: queued in the outbox inside the caller's transaction, delivered by a job.

Without SMTP settings every email is written as an .eml file under instance/outbox/, so a
fresh install loses nothing. On an SMTP failure a message is retried with a growing delay,
and after MAIL_MAX_ATTEMPTS it is marked failed and shown to site administrators.
"""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import ColumnElement, and_, select, update

from workspace.activity.models import Event
from workspace.auth.models import User
from workspace.auth.operations import is_deactivated_address
from workspace.extensions import db
from workspace.mail.models import OutboxEmail
from workspace.projects.access import may_see, role_of
from workspace.types import utcnow

BATCH = 100
# Longer than any SMTP conversation (its timeout is 30 s): a claim this old was abandoned.
CLAIM_LEASE = timedelta(minutes=10)
# On every email Workspace sends: an email coming back with it is one of ours (a loop).
OWN_HEADER = "X-Workspace-Mail"


def enqueue(to: User | str, subject: str, text: str, html: str,
            event: Event | None = None, reply_to: str = "",
            unsubscribe_url: str = "") -> OutboxEmail:
    """Queue an email for a person (or an address); it leaves with the caller's commit."""
    email = OutboxEmail(
        recipient_id=to.id if isinstance(to, User) else None,
        to_address=to.email if isinstance(to, User) else to, subject=subject[:300],
        text_body=text, html_body=html, event=event, reply_to=reply_to,
        unsubscribe_url=unsubscribe_url,
    )
    db.session.add(email)
    return email


@dataclass
class Delivery:
    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def deliver_queued(now: datetime | None = None) -> Delivery:
    """Send what is due in the outbox, once. Each email is claimed by a conditional UPDATE
    before it is sent, so two senders at once (on SQLite too, where SELECT … FOR UPDATE does
    nothing) never send the same email; a sender that dies mid-send leaves a claim that
    expires after CLAIM_LEASE, and the email is sent then."""
    now = now or utcnow()
    report = Delivery()
    while True:
        due = db.session.scalars(
            select(OutboxEmail.id).where(is_due(now)).order_by(OutboxEmail.id).limit(BATCH)
        ).all()
        db.session.commit()
        for email_id in due:
            if claim(email_id, now):
                send_claimed(email_id, now, report)
        if len(due) < BATCH:
            return report


def is_due(now: datetime) -> ColumnElement[bool]:
    """Queued and due, or claimed by a sender that never finished (its lease is over)."""
    return and_(OutboxEmail.status.in_(("queued", "sending")), OutboxEmail.next_attempt_at <= now)


def claim(email_id: int, now: datetime) -> bool:
    """Take an email for this sender; False when another sender took it first."""
    result = db.session.execute(
        update(OutboxEmail).where(OutboxEmail.id == email_id, is_due(now))
        .values(status="sending", next_attempt_at=now + CLAIM_LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def send_claimed(email_id: int, now: datetime, report: Delivery) -> None:
    email = db.session.get(OutboxEmail, email_id, populate_existing=True)
    if email is None:  # its event was deleted meanwhile
        return
    try_to_send(email, now, report)
    db.session.commit()


def still_visible(email: OutboxEmail) -> bool:
    """An item may have turned private, or the person left, since the email was queued."""
    event = email.event
    if event is None or email.recipient_id is None:
        return True
    return may_see(role_of(email.recipient_id, event.project_id), private=event.private)


def try_to_send(email: OutboxEmail, now: datetime, report: Delivery) -> None:
    if not still_visible(email) or is_deactivated_address(email.recipient_id, email.to_address):
        email.status = "withdrawn"
        return
    try:
        transmit(as_message(email))
    except (OSError, smtplib.SMTPException) as error:
        email.attempts += 1
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if email.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            email.status = "failed"
            report.failed.append(email.id)
        else:
            email.status = "queued"
            email.next_attempt_at = now + timedelta(minutes=2 ** email.attempts)
            report.retried.append(email.id)
        current_app.logger.warning("email %s not sent: %s", email.id, email.last_error)
        return
    email.status, email.sent_at = "sent", now
    report.sent.append(email.id)


def as_message(email: OutboxEmail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["WORKSPACE_MAIL_FROM"]
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Date"] = format_datetime(email.created_at)
    message["Message-ID"] = make_msgid(idstring=f"outbox-{email.id}", domain="workspace")
    message["Auto-Submitted"] = "auto-generated"
    message[OWN_HEADER] = "1"
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    if email.unsubscribe_url:  # RFC 8058: one click, a POST, no sign-in
        message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.text_body)
    message.add_alternative(email.html_body, subtype="html")
    return message


def transmit(message: EmailMessage) -> None:
    config = current_app.config
    if not config["WORKSPACE_SMTP_HOST"]:
        write_to_outbox_folder(message)
        return
    with smtplib.SMTP(config["WORKSPACE_SMTP_HOST"], config["WORKSPACE_SMTP_PORT"],
                      timeout=30) as smtp:
        if config["WORKSPACE_SMTP_STARTTLS"]:
            smtp.starttls()
        if config["WORKSPACE_SMTP_USER"]:
            smtp.login(config["WORKSPACE_SMTP_USER"], config["WORKSPACE_SMTP_PASSWORD"])
        smtp.send_message(message)


def write_to_outbox_folder(message: EmailMessage) -> None:
    """No mail server configured: keep the email as a file, written atomically."""
    folder = Path(current_app.instance_path) / "outbox"
    folder.mkdir(parents=True, exist_ok=True)
    name = message["Message-ID"].strip("<>").replace("@", "_")
    temporary = folder / f".{name}.tmp"
    temporary.write_bytes(bytes(message))
    os.replace(temporary, folder / f"{name}.eml")
    current_app.logger.info("email to %s written to %s", message["To"], folder / f"{name}.eml")


def failed_emails() -> list[OutboxEmail]:
    return list(db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.status == "failed")
        .order_by(OutboxEmail.id.desc()).limit(200)
    ))
