"""Email in: one pipeline for `workspace mail receive`, the LMTP server and the IMAP poller.

`receive(raw)` turns an email into a comment (a reply to a notification) or a message (an
email sent to a person's email-in address), as that person, through the same operations as
the pages, so that notifications and activity follow. One transaction per email; the
email's fingerprint is written in it, so a second delivery does nothing.
"""

from __future__ import annotations

import enum
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from workspace import items
from workspace.auth.models import User
from workspace.comments.forms import BODY_LIMIT
from workspace.comments.operations import comment_with_files
from workspace.documents.operations import write_document
from workspace.errors import Refused
from workspace.extensions import db
from workspace.files.operations import StoreUnreachable
from workspace.folders.operations import NameTaken
from workspace.inbound.addresses import key_in
from workspace.inbound.models import EmailInAddress, ProcessedEmail, RefusalNotice, ReplyKey
from workspace.inbound.parsing import (
    Malformed,
    addressed_to,
    attachments,
    clean_subject,
    fingerprint,
    from_address,
    is_automatic,
    new_text,
    parse,
    subject_of,
)
from workspace.mail.operations import enqueue
from workspace.messages import operations as messages
from workspace.projects.access import Action, ProjectAccess, ProjectArchived, access_to, team_of
from workspace.types import utcnow

TITLE_LIMIT = 200
# An email whose subject starts with "Document:" (or "Doc:") is filed as a document: its text
# the document's first version, its attachments attached to it.
AS_DOCUMENT = re.compile(r"^(?:document|doc)\s*:\s*", re.IGNORECASE)
NOTICE_INTERVAL = timedelta(hours=1)


class Outcome(enum.StrEnum):
    """What became of an email; the CLI's exit code and the LMTP reply follow from it."""

    ACCEPTED = "accepted"
    IGNORED = "ignored"  # automatic, a loop, or already received
    REFUSED = "refused"  # the sender is told why (at most hourly); nothing written
    UNKNOWN_ADDRESS = "unknown_address"
    MALFORMED = "malformed"
    TOO_LARGE = "too_large"
    TEMPORARY = "temporary"  # not the sender's fault: kept under instance/inbox-failed/

    @property
    def exit_code(self) -> int:
        """sysexits: the mail server bounces 65/67 and retries 75 later."""
        return {Outcome.UNKNOWN_ADDRESS: 67, Outcome.MALFORMED: 65, Outcome.TOO_LARGE: 65,
                Outcome.TEMPORARY: 75}.get(self, 0)

    @property
    def lmtp_reply(self) -> str:
        return {
            Outcome.ACCEPTED: "250 2.0.0 Accepted",
            Outcome.IGNORED: "250 2.0.0 Ignored (automatic or already received)",
            Outcome.REFUSED: "250 2.0.0 Not kept; the sender is told why",
            Outcome.UNKNOWN_ADDRESS: "550 5.1.1 Unknown address",
            Outcome.MALFORMED: "550 5.6.0 Malformed message",
            Outcome.TOO_LARGE: "552 5.3.4 Message too large",
            Outcome.TEMPORARY: "451 4.3.0 Temporary failure, try again later",
        }[self]


# The order in which outcomes of several recipients sum up to one (for the CLI).
PRECEDENCE = [Outcome.TEMPORARY, Outcome.ACCEPTED, Outcome.REFUSED, Outcome.IGNORED,
              Outcome.UNKNOWN_ADDRESS]


class EmailRefused(Refused):
    """The email was understood but may not be kept; `message` tells the sender why."""


NOT_YOUR_ADDRESS = _l("This address belongs to another person: send from the address of "
                      "your Workspace account.")
NOT_ALLOWED = _l("You may no longer comment on this item or post in this project.")
ARCHIVED = ProjectArchived.description  # the pages' own words
EMPTY = _l("The email had no new text to keep.")
TOO_LONG = _l("The text is too long (50,000 characters at most).")
TITLE_TAKEN = _l("A document of that title is already there: send it again with another "
                 "subject.")


@dataclass(frozen=True)
class Destination:
    """Where an address leads: a person, and an item to comment on or a project to post in."""

    user: User
    access: ProjectAccess | None
    subject: object | None  # None: a new message in the project; False: the item is gone
    target: str  # what a second delivery of the same email must not write to again


def max_bytes() -> int:
    return int(current_app.config["WORKSPACE_MAX_EMAIL_MB"]) * 1024 * 1024


def receive(raw: bytes, recipients: Iterable[str] = (), sender: str | None = None) -> Outcome:
    """Take one email (its raw bytes) for `recipients` (default: read from its headers).
    Never raises for the email's sake: every end is an Outcome."""
    if len(raw) > max_bytes():
        return Outcome.TOO_LARGE
    try:
        message = parse(raw)
    except Malformed:
        return Outcome.MALFORMED
    if is_automatic(message, sender):
        return Outcome.IGNORED
    keys = [key for key in map(key_in, list(recipients) or addressed_to(message)) if key]
    if not keys:
        return Outcome.UNKNOWN_ADDRESS
    outcomes = []
    for key in dict.fromkeys(keys):
        try:
            outcomes.append(deliver(message, raw, key))
        except TemporaryFailure as failure:
            keep_failed(raw, recipients, str(failure))
            return Outcome.TEMPORARY
    return min(outcomes, key=PRECEDENCE.index)


class TemporaryFailure(Exception):
    """Not the sender's fault (the database is down, a bug): the email is kept, and the mail
    server is asked to try again later."""


def deliver(message: EmailMessage, raw: bytes, key: str) -> Outcome:
    """One email for one of our addresses, in one transaction."""
    try:
        destination = destination_of(key)
        if destination is None:
            return Outcome.UNKNOWN_ADDRESS
        seen = f"{destination.target}|{fingerprint(message, raw)}"
        if db.session.scalar(select(ProcessedEmail.id).where(ProcessedEmail.fingerprint == seen)):
            return Outcome.IGNORED
        check(destination, message)
        db.session.add(ProcessedEmail(fingerprint=seen))
        write(destination, message)
        return Outcome.ACCEPTED
    except StoreUnreachable as error:  # the file store is down: not the sender's doing
        db.session.rollback()
        raise TemporaryFailure(str(error.message)) from error
    except Refused as refusal:  # ours, or a file rule (an attachment over the upload limit)
        db.session.rollback()
        tell_sender(from_address(message), refusal.message)
        return Outcome.REFUSED
    except IntegrityError:
        db.session.rollback()  # the same email, written meanwhile by another delivery
        return Outcome.IGNORED
    except Exception as error:
        db.session.rollback()
        current_app.logger.exception("email in: could not take an email")
        raise TemporaryFailure(f"{type(error).__name__}: {error}") from error


def destination_of(key: str) -> Destination | None:
    """The person and item (or project) a key leads to, or None for an unknown or revoked
    key. Whether the person may still write there is checked separately."""
    reply_key = db.session.scalar(select(ReplyKey).where(ReplyKey.key == key))
    if reply_key is not None:
        if reply_key.revoked_at is not None:
            return None
        kind = items.find(reply_key.subject_type)
        subject = db.session.get(kind.model, reply_key.subject_id) if kind else None
        return Destination(reply_key.user, access_to(reply_key.user, reply_key.project),
                           subject if subject is not None else False,
                           f"{reply_key.subject_type}:{reply_key.subject_id}")
    address = db.session.scalar(select(EmailInAddress).where(EmailInAddress.key == key))
    if address is None:
        return None
    return Destination(address.user, access_to(address.user, address.project), None,
                       f"project:{address.project_id}")


def check(destination: Destination, message: EmailMessage) -> None:
    """The rules, judged now: the sender owns the address, and may still write there."""
    if from_address(message) != destination.user.email.lower():
        raise EmailRefused(NOT_YOUR_ADDRESS)
    if not destination.user.is_active:
        raise EmailRefused(NOT_ALLOWED)
    access = destination.access
    if access is None or destination.subject is False:
        raise EmailRefused(NOT_ALLOWED)
    if access.project.is_archived:
        raise EmailRefused(ARCHIVED)
    if destination.subject is None:
        allowed = access.can(Action.POST)
    else:
        allowed = access.can(Action.COMMENT) and access.can_see(destination.subject)
    if not allowed:
        raise EmailRefused(NOT_ALLOWED)


def write(destination: Destination, message: EmailMessage) -> None:
    """The comment or the message, with its files, through the pages' own operations (which
    commit, with the ProcessedEmail row already in the session)."""
    access, reply = destination.access, destination.subject is not None
    text, files = new_text(message, reply=reply), attachments(message)
    if len(text) > BODY_LIMIT:
        raise EmailRefused(TOO_LONG)
    if not text and (reply or not files):
        raise EmailRefused(EMPTY)
    if reply:
        comment_with_files(access, destination.subject, text, files)
    else:
        post_email_message(access, message, text, files)


def post_email_message(access: ProjectAccess, message: EmailMessage, text: str,
                       files: list[FileStorage]) -> None:
    subject = clean_subject(subject_of(message))
    as_document = AS_DOCUMENT.match(subject)
    title = subject[as_document.end() if as_document else 0:][:TITLE_LIMIT].strip()
    with force_locale(access.user.locale or "en"):
        title = title or _("Email from %(name)s", name=access.user.name)
        note = _("Filed by email")
    if as_document:
        try:
            write_document(access, title=title, body=text, private=False, note=note,
                           attachments=files)
        except NameTaken:
            raise EmailRefused(TITLE_TAKEN) from None
        return
    team = db.session.scalars(team_of(access.project.id)).all()
    messages.post_message(access, title=title, body=text, private=False, notify=team,
                          attachments=files)


# -- refusals and failures ----------------------------------------------------------------

def tell_sender(address: str, reason: str | LazyString) -> None:
    """One short email to a known person whose email was refused, at most once an hour.
    Unknown senders (and forged ones) get nothing."""
    try:
        user = User.by_email(address) if address else None
        if user is None:
            return
        notice = db.session.scalar(select(RefusalNotice).where(RefusalNotice.address == address))
        now = utcnow()
        if notice is not None and notice.sent_at > now - NOTICE_INTERVAL:
            return
        if notice is None:
            db.session.add(RefusalNotice(address=address, sent_at=now))
        else:
            notice.sent_at = now
        compose_refusal(user, reason)
        db.session.commit()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("email in: could not tell %s about a refusal", address)


def compose_refusal(user: User, reason: str | LazyString) -> None:
    with force_locale(user.locale or "en"):
        context = {"user": user, "reason": str(reason)}  # in the person's language
        enqueue(user, _("Your email was not added to Workspace"),
                render_template("mail/refused.txt", **context),
                render_template("mail/refused.html", **context))


def failed_folder() -> Path:
    return Path(current_app.instance_path) / "inbox-failed"


def keep_failed(raw: bytes, recipients: Iterable[str], reason: str) -> Path:
    """Keep an email we could not take through no fault of its sender, for a replay with
    `workspace mail receive < file`; its envelope recipients go in front as Delivered-To."""
    folder = failed_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(raw).hexdigest()[:32]  # the same email failing again: one file
    trace = b"".join(f"Delivered-To: {address}\r\n".encode() for address in recipients)
    temporary = folder / f".{name}.tmp"
    temporary.write_bytes(trace + raw)
    os.replace(temporary, folder / f"{name}.eml")
    (folder / f"{name}.reason").write_text(f"{utcnow().isoformat()} {reason}\n")
    return folder / f"{name}.eml"
