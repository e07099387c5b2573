"""Polling an IMAP mailbox: each email goes through `receive`, then to the `processed` or
the `rejected` folder. An email that failed for a temporary reason stays for the next poll."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from imap_tools import BaseMailBox, MailBox, MailBoxUnencrypted

from workspace.inbound.operations import Outcome, max_bytes, receive

PROCESSED, REJECTED = "processed", "rejected"
KEPT = {Outcome.ACCEPTED, Outcome.IGNORED}


@dataclass
class FetchReport:
    processed: int = 0
    rejected: int = 0
    left: int = 0
    outcomes: list[Outcome] = field(default_factory=list)


def imap_configured() -> bool:
    return bool(current_app.config["WORKSPACE_IMAP_HOST"])


def open_mailbox() -> BaseMailBox:
    config = current_app.config
    kind = MailBox if config["WORKSPACE_IMAP_TLS"] else MailBoxUnencrypted
    box = kind(config["WORKSPACE_IMAP_HOST"], config["WORKSPACE_IMAP_PORT"], timeout=60)
    return box.login(config["WORKSPACE_IMAP_USER"], config["WORKSPACE_IMAP_PASSWORD"],
                     initial_folder=config["WORKSPACE_IMAP_FOLDER"])


def fetch_mail() -> FetchReport:
    """One pass over the mailbox's folder (safe to run twice: a redelivery does nothing)."""
    report = FetchReport()
    with open_mailbox() as box:
        for folder in (PROCESSED, REJECTED):
            if not box.folder.exists(folder):
                box.folder.create(folder)
        sizes = {message.uid: message.size_rfc822 for message in box.fetch(
            headers_only=True, mark_seen=False, bulk=True)}
        for uid, size in sizes.items():
            outcome = Outcome.TOO_LARGE if size > max_bytes() else receive(raw_email(box, uid))
            report.outcomes.append(outcome)
            if outcome is Outcome.TEMPORARY:
                report.left += 1
                continue
            box.move(uid, PROCESSED if outcome in KEPT else REJECTED)
            report.processed += outcome in KEPT
            report.rejected += outcome not in KEPT
    return report


def raw_email(box: BaseMailBox, uid: str) -> bytes:
    """The email's bytes exactly as stored (imap-tools gives only the parsed message)."""
    status, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        raise ConnectionError(f"IMAP FETCH {uid} answered {status}")
    return next(part[1] for part in data if isinstance(part, tuple))
