"""Email in adds no query per recipient to notifying people."""

from __future__ import annotations

from flask import Flask

from tests.conftest import count_queries
from tests.inbound.conftest import INBOUND
from workspace.extensions import db
from workspace.inbound.models import ReplyKey
from workspace.messages import operations as messages
from workspace.projects.access import project_access


def test_reply_keys_of_all_recipients_are_read_in_one_query(app: Flask, make) -> None:  # type: ignore[no-untyped-def]
    app.config.update(WORKSPACE_MAIL_INBOUND_ADDRESS=INBOUND)
    owner = make.user("Ana")
    members = [make.user(f"Member {number}") for number in range(6)]
    project = make.project("Launch plan", owner=owner, members=members)
    access = project_access(project.id, user=owner)

    def reply_key_reads(notified: int) -> int:
        with count_queries() as counter:
            messages.post_message(access, title=f"To {notified}", body="Hello", private=False,
                                  notify=[member.id for member in members[:notified]])
        return sum(1 for statement in counter.statements
                   if statement.lstrip().upper().startswith("SELECT") and "reply_keys" in statement)

    assert reply_key_reads(1) == reply_key_reads(6) == 1
    assert db.session.query(ReplyKey).count() == 1 + 6
