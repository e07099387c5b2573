"""Twenty people writing at once to two gunicorn workers, with the scheduler sending the
emails they cause: nobody meets an error ("database is locked" or any other), every message
and comment is there afterwards, and every email leaves exactly once. A few seconds in
`make test`; 30 seconds in `make soak`."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from tests.mail.conftest import Inbox, free_port
from workspace.comments.models import Comment
from workspace.extensions import db
from workspace.mail.models import OutboxEmail
from workspace.messages.models import Message

from .server import Deployment, Visitor

WRITERS = 20


@dataclass
class Record:
    """What the writers were told was saved, and anything else they were told."""

    messages: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, text: str) -> None:
        with self.lock:
            getattr(self, kind).append(text)


def write_until(deadline: float, visitor: Visitor, project_id: int, number: int,
                notify: list[int], record: Record) -> None:
    """Post a message, comment on it, read it back; again and again until the deadline."""
    turn = 0
    try:
        while time.monotonic() < deadline:
            title = f"writer {number} turn {turn}"
            posted = visitor.post(f"/projects/{project_id}/messages/new",
                                  data={"title": title, "body": "Load test.", "notify": notify})
            if posted.status_code != 302:
                record.note("problems", f"post: {posted.status_code} {posted.text[:300]}")
                return
            record.note("messages", title)
            message = urlsplit(posted.headers["Location"]).path
            body = f"comment by writer {number} on turn {turn}"
            commented = visitor.post(f"{message}/comments", data={"body": body})
            if commented.status_code != 302:
                record.note("problems", f"comment: {commented.status_code}")
                return
            record.note("comments", body)
            if (page := visitor.get(message)).status_code != 200 or body not in page.text:
                record.note("problems", f"read: {page.status_code}")
                return
            turn += 1
    except Exception as error:
        record.note("problems", f"{type(error).__name__}: {error}")


def run_writers(deployment: Deployment, users: list, project_id: int,  # type: ignore[type-arg]
                seconds: float, notify: list[int]) -> Record:
    record = Record()
    visitors = [Visitor(deployment.url, user.email) for user in users]
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=write_until,
                                args=(deadline, visitor, project_id, number, notify, record))
               for number, visitor in enumerate(visitors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return record


def wait_for_the_outbox_to_empty(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        waiting = db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail).where(
            OutboxEmail.status != "sent"))
        if waiting == 0:
            return
        time.sleep(0.05)
    raise AssertionError(f"{waiting} email(s) still not sent")


def twenty_writers(make, database_url: str, tmp_path, seconds: float) -> None:  # type: ignore[no-untyped-def]
    users = [make.user(f"Writer {number}") for number in range(WRITERS)]
    project = make.project(owner=users[0], members=tuple(users[1:]))
    inbox = Inbox(free_port())
    inbox.start()
    deployment = Deployment(database_url, tmp_path / "instance", tmp_path / "uploads",
                            scheduler=True)
    deployment.env.update(WORKSPACE_SMTP_HOST="127.0.0.1", WORKSPACE_SMTP_PORT=str(inbox.port))
    (tmp_path / "instance").mkdir()
    try:
        with deployment:
            record = run_writers(deployment, users, project.id, seconds,
                                 notify=[users[0].id, users[1].id])
            wait_for_the_outbox_to_empty()
    finally:
        inbox.stop()
    assert record.problems == []
    assert deployment.errors_logged() == []
    assert len(record.messages) >= WRITERS
    db.session.rollback()
    assert sorted(db.session.scalars(db.select(Message.title))) == sorted(record.messages)
    assert sorted(db.session.scalars(db.select(Comment.body))) == sorted(record.comments)
    emails = db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail))
    assert emails > 0
    received = Counter(message["Message-ID"] for message in inbox.messages)
    assert len(received) == emails and set(received.values()) == {1}


def test_twenty_writers_for_a_few_seconds(make, database_url, tmp_path):
    twenty_writers(make, database_url, tmp_path, seconds=5)


@pytest.mark.soak
@pytest.mark.timeout(600)
def test_twenty_writers_for_thirty_seconds(make, database_url, tmp_path):
    twenty_writers(make, database_url, tmp_path, seconds=30)
