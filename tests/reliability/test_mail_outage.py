"""The mail server goes away for a while: nothing is lost, and when it is back every email
leaves exactly once, even with two senders (two schedulers, or cron beside the scheduler)."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import timedelta

import pytest

from tests.mail.conftest import Inbox, free_port
from workspace.extensions import db
from workspace.mail.models import OutboxEmail
from workspace.mail.operations import deliver_queued, enqueue
from workspace.types import utcnow

EMAILS = 40


class SlowInbox(Inbox):
    """A real SMTP server that takes a moment per message, as a busy one does: two senders
    then overlap for certain."""

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.01)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def inbox(app):  # type: ignore[no-untyped-def]
    sink = SlowInbox(free_port())
    app.config.update(WORKSPACE_SMTP_HOST="127.0.0.1", WORKSPACE_SMTP_PORT=sink.port)
    yield sink
    sink.stop()


def queue_emails(count: int) -> None:
    for number in range(count):
        enqueue(f"person{number}@example.org", f"Email {number}", "text", "<p>html</p>")
    db.session.commit()


def deliver_at(app, moment) -> object:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        return deliver_queued(moment)


def senders_at_once(app, moment, count: int = 2) -> list[object]:  # type: ignore[no-untyped-def]
    """Run `count` deliveries at the same moment, each with its own database connection."""
    reports: list[object] = []
    start = threading.Barrier(count)

    def send() -> None:
        start.wait()
        reports.append(deliver_at(app, moment))

    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return reports


def test_two_senders_at_once_send_each_email_once(app, inbox):
    inbox.start()
    queue_emails(EMAILS)
    reports = senders_at_once(app, utcnow())
    assert sum(len(report.sent) for report in reports) == EMAILS
    received = Counter(message["To"] for message in inbox.messages)
    assert len(received) == EMAILS and set(received.values()) == {1}
    statuses = db.session.scalars(db.select(OutboxEmail.status))
    assert set(statuses) == {"sent"}


def test_a_mail_server_down_for_a_while_then_back_gets_every_email_once(app, inbox):
    queue_emails(EMAILS)
    now = utcnow()
    # Down: two passes fail, each pushing the next attempt further (2, then 4 minutes).
    assert len(deliver_at(app, now).retried) == EMAILS
    assert deliver_at(app, now + timedelta(minutes=1)).retried == []  # not due again yet
    assert len(deliver_at(app, now + timedelta(minutes=3)).retried) == EMAILS
    assert db.session.scalar(db.select(db.func.min(OutboxEmail.attempts))) == 2
    inbox.start()
    reports = senders_at_once(app, now + timedelta(minutes=10))
    assert sum(len(report.sent) for report in reports) == EMAILS
    assert deliver_at(app, now + timedelta(days=1)).sent == []
    received = Counter(message["To"] for message in inbox.messages)
    assert len(received) == EMAILS and set(received.values()) == {1}


def test_an_email_claimed_by_a_sender_that_died_is_sent_once_its_claim_expires(app, inbox):
    inbox.start()
    queue_emails(1)
    email = db.session.scalars(db.select(OutboxEmail)).one()
    now = utcnow()
    # What a sender killed between its claim and the SMTP conversation leaves behind.
    email.status, email.next_attempt_at = "sending", now + timedelta(minutes=10)
    db.session.commit()
    assert deliver_at(app, now).sent == []
    assert deliver_at(app, now + timedelta(minutes=11)).sent == [email.id]
    assert len(inbox.messages) == 1
