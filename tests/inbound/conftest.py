"""Email in, as a story: Bo posts a message, Ana and Cy (a client) are notified through a real
SMTP sink, and answer from their mail clients; the answers come back by LMTP, by
`workspace mail receive`, or from a real Dovecot over IMAP."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.utils import make_msgid
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import IN_CI, Factory, skip_or_fail
from tests.inbound.dovecot import DOVECOT, Dovecot, start_dovecot
from tests.mail.conftest import Inbox, free_port, smtp  # noqa: F401 (the SMTP sink fixture)
from workspace.auth.models import User
from workspace.comments.models import Comment
from workspace.extensions import db
from workspace.inbound.lmtp import lmtp_server
from workspace.mail.operations import deliver_queued
from workspace.messages import operations as messages
from workspace.messages.models import Message as BoardMessage
from workspace.projects.access import project_access
from workspace.projects.models import Project

INBOUND = "workspace@example.org"
ENGLISH = "Sounds good, I will send the draft on Monday."
FRENCH = "D'accord, j'envoie le brouillon lundi."

# How mail clients write a reply: the new text on top, then the quoted notification.
QUOTES = {
    ("gmail", "en"): "\n\nOn Tue, Nov 24, 2026 at 10:00 AM Workspace <workspace@localhost> "
                     "wrote:\n\n> {quoted}\n>\n> Open it: https://workspace.test/\n",
    ("gmail", "fr"): "\n\nLe mar. 24 nov. 2026 à 10:00, Workspace <workspace@localhost> a "
                     "écrit :\n\n> {quoted}\n>\n> Ouvrir : https://workspace.test/\n",
    ("outlook", "en"): "\n\n________________________________\nFrom: Workspace "
                       "<workspace@localhost>\nSent: Tuesday, November 24, 2026 10:00 AM\n"
                       "To: {name} <{email}>\nSubject: [Launch plan] Bo posted\n\n{quoted}\n",
    ("outlook", "fr"): "\n\n________________________________\nDe : Workspace "
                       "<workspace@localhost>\nEnvoyé : mardi 24 novembre 2026 10:00\n"
                       "À : {name} <{email}>\nObjet : [Launch plan] Bo posted\n\n{quoted}\n",
    ("apple", "en"): "\n\nSent from my iPhone\n\n> On 24 Nov 2026, at 10:00, Workspace "
                     "<workspace@localhost> wrote:\n>\n> {quoted}\n",
    ("apple", "fr"): "\n\nEnvoyé de mon iPhone\n\n> Le 24 nov. 2026 à 10:00, Workspace "
                     "<workspace@localhost> a écrit :\n>\n> {quoted}\n",
}
QUOTED = "Bo posted 'Launch plan draft'"


@dataclass
class Story:
    """Ana owns the project, Bo is a member and posts, Cy is a client."""

    app: Flask
    smtp: Inbox
    make: Factory
    project: Project
    ana: User
    bo: User
    cy: User

    def post(self, title: str = "Launch plan draft", *, private: bool = False) -> BoardMessage:
        access = project_access(self.project.id, user=self.bo)
        message = messages.post_message(access, title=title, body="What do you think?",
                                        private=private,
                                        notify=[self.ana.id, self.cy.id])
        deliver_queued()
        return message

    def notification_to(self, user: User) -> Message:
        deliver_queued()
        received = self.smtp.to(user.email)
        assert received, f"no email reached {user.email}"
        return received[-1]

    def reply_address(self, user: User) -> str:
        return str(self.notification_to(user)["Reply-To"])

    def comments(self, message: BoardMessage) -> list[Comment]:
        db.session.expire_all()
        return list(db.session.scalars(select(Comment).where(
            Comment.subject_type == "message", Comment.subject_id == message.id)
            .order_by(Comment.id)))

    def count(self, model: type) -> int:
        db.session.expire_all()
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def story(app: Flask, make: Factory, smtp: Inbox) -> Story:  # noqa: F811
    app.config.update(WORKSPACE_MAIL_INBOUND_ADDRESS=INBOUND)
    ana, bo, cy = make.user("Ana"), make.user("Bo"), make.user("Cy")
    project = make.project("Launch plan", owner=ana, members=(bo,), clients=(cy,))
    return Story(app, smtp, make, project, ana, bo, cy)


def reply(to: str, sender: User, text: str, *, client: str = "gmail", language: str = "en",
          subject: str = "Re: [Launch plan] Bo posted 'Launch plan draft'",
          message_id: str | None = None, **headers: str) -> bytes:
    """A reply as `client` writes it in `language`: new text above the quoted notification."""
    body = text + QUOTES[(client, language)].format(quoted=QUOTED, name=sender.name,
                                                    email=sender.email)
    return email_bytes(to, sender.email, subject, body, message_id=message_id, **headers)


def email_bytes(to: str, sender: str, subject: str, body: str, *,
                message_id: str | None = None, html: str | None = None,
                files: tuple[tuple[str, str, bytes], ...] = (), **headers: str) -> bytes:
    message = EmailMessage(policy=policy.SMTP)
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = message_id or make_msgid(domain="mail.example.org")
    message["Date"] = "Tue, 24 Nov 2026 10:05:00 +0000"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    if html is not None and not body:
        message.set_content(html, subtype="html")
    else:
        message.set_content(body)
        if html is not None:
            message.add_alternative(html, subtype="html")
    for name, content_type, content in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


@pytest.fixture
def lmtp(app: Flask) -> Iterator[int]:
    """A real LMTP server of ours on a loopback port; yields the port."""
    port = free_port()
    server = lmtp_server(app, "127.0.0.1", port)
    server.start()
    yield port
    server.stop()


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    """One Dovecot per test module (it starts in about a second)."""
    if not DOVECOT.exists():
        skip_or_fail("Dovecot is not installed (apt-get install dovecot-imapd)")
    server = start_dovecot(Path(tempfile.mkdtemp(prefix="workspace-dovecot-")))
    yield server
    server.stop()


@pytest.fixture
def imap(dovecot: Dovecot, app: Flask) -> Dovecot:
    """The module's Dovecot with an empty mailbox, and the app set to poll it."""
    from imap_tools import MailBoxUnencrypted

    from tests.inbound.dovecot import PASSWORD, USER

    with MailBoxUnencrypted("127.0.0.1", dovecot.port).login(USER, PASSWORD) as box:
        for folder in ("processed", "rejected"):
            if box.folder.exists(folder):
                box.folder.delete(folder)
        if uids := box.uids():
            box.delete(uids)
    app.config.update(dovecot.settings)
    return dovecot


__all__ = ["IN_CI", "PDF", "Story", "email_bytes", "reply"]
