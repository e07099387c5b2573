"""The rules that keep email in safe: every bad email is refused or ignored, and nothing of
it is written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.inbound.conftest import ENGLISH, Story, email_bytes, reply
from workspace.comments.models import Comment
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.inbound.addresses import email_in_address, regenerate_email_in_address
from workspace.inbound.models import ProcessedEmail, RefusalNotice, ReplyKey
from workspace.inbound.operations import Outcome, receive
from workspace.mail.models import OutboxEmail
from workspace.messages.models import Message
from workspace.projects.models import Membership, Role
from workspace.types import utcnow


def written(story: Story) -> tuple[int, ...]:
    return tuple(story.count(model) for model in (Comment, Message, ProjectFile, ProcessedEmail))


def refusals_to(user) -> list[OutboxEmail]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return OutboxEmail.query.filter_by(to_address=user.email,
                                       subject="Your email was not added to Workspace").all()


@pytest.fixture
def posted(story: Story) -> tuple[Story, Message, str]:
    message = story.post()
    return story, message, story.reply_address(story.ana)


def assert_nothing_written(story: Story, raw: bytes, expected: Outcome,
                           recipients: tuple[str, ...] = ()) -> None:
    before = written(story)
    assert receive(raw, recipients) is expected
    assert written(story) == before


def test_malformed_mime_is_refused(posted):
    story, _, address = posted
    raw = (f"From: {story.ana.email}\r\nTo: {address}\r\nSubject: hi\r\nMessage-ID: <m@x>\r\n"
           "Content-Type: multipart/mixed\r\n\r\nno boundary at all\r\n").encode()
    assert_nothing_written(story, raw, Outcome.MALFORMED)


def test_a_header_in_8_bit_without_encoding_is_refused(posted):
    story, _, address = posted
    raw = (f"From: {story.ana.email}\r\nTo: {address}\r\nMessage-ID: <m@x>\r\n".encode()
           + b"Subject: caf\xe9 cr\xe8me\r\n\r\nHello\r\n")
    assert_nothing_written(story, raw, Outcome.MALFORMED)


def test_an_email_without_a_sender_is_refused(posted):
    story, _, address = posted
    raw = f"To: {address}\r\nSubject: hi\r\n\r\nHello\r\n".encode()
    assert_nothing_written(story, raw, Outcome.MALFORMED)


def test_an_empty_reply_is_refused_and_its_sender_told(posted):
    story, _, address = posted
    raw = reply(address, story.ana, "")
    assert_nothing_written(story, raw, Outcome.REFUSED)
    assert "no new text" in refusals_to(story.ana)[0].text_body


def test_an_html_only_email_with_only_a_script_is_refused(posted):
    story, _, address = posted
    raw = email_bytes(address, story.ana.email, "Re: x", "",
                      html="<html><body><script>alert('hi')</script></body></html>")
    assert_nothing_written(story, raw, Outcome.REFUSED)


def test_an_html_only_email_keeps_its_text_as_markdown_and_never_its_script(posted):
    story, message, address = posted
    raw = email_bytes(address, story.ana.email, "Re: x", "", html=(
        "<html><head><script>steal()</script></head><body><p>Looks <b>great</b>, see "
        "<a href='https://example.org/spec'>the spec</a>.</p>"
        "<script>alert(document.cookie)</script><img src=x onerror=alert(1)></body></html>"))
    assert receive(raw) is Outcome.ACCEPTED
    [comment] = story.comments(message)
    assert comment.body.startswith("Looks **great**")
    assert "[the spec](https://example.org/spec)" in comment.body
    assert '<a href="https://example.org/spec"' in comment.body_html
    for dangerous in ("script", "alert", "steal", "onerror"):
        assert dangerous not in comment.body and dangerous not in comment.body_html


def test_a_spoofed_sender_is_refused(posted):
    story, _, address = posted
    forged = reply(address, story.bo, ENGLISH)  # Bo's address on Ana's reply key
    assert_nothing_written(story, forged, Outcome.REFUSED)
    stranger = email_bytes(address, "mallory@evil.example", "Re: x", ENGLISH)
    assert_nothing_written(story, stranger, Outcome.REFUSED)
    assert len(refusals_to(story.bo)) == 1  # a known person is told; a stranger is not
    assert story.count(RefusalNotice) == 1


def test_the_same_email_twice_makes_one_comment(posted):
    story, message, address = posted
    raw = reply(address, story.ana, ENGLISH)
    assert receive(raw) is Outcome.ACCEPTED
    assert_nothing_written(story, raw, Outcome.IGNORED)
    assert_nothing_written(story, raw, Outcome.IGNORED, recipients=(address, address))
    assert len(story.comments(message)) == 1


def test_an_email_without_message_id_is_recognised_by_its_content(posted):
    story, message, address = posted
    raw = reply(address, story.ana, ENGLISH).replace(b"Message-ID:", b"X-Old-Id:")
    assert receive(raw) is Outcome.ACCEPTED
    assert len(story.comments(message)) == 1
    redelivered = b"Delivered-To: " + address.encode() + b"\r\nReceived: by mx2\r\n" + raw
    assert_nothing_written(story, redelivered, Outcome.IGNORED)


@pytest.mark.parametrize("headers", [
    {"Auto_Submitted": "auto-replied"},
    {"Auto_Submitted": "auto-generated"},
    {"Precedence": "bulk"},
    {"Precedence": "list"},
    {"Precedence": "junk"},
    {"Return_Path": "<>"},
    {"X_Workspace_Mail": "1"},
], ids=lambda h: "-".join(f"{k}:{v}" for k, v in h.items()))
def test_automatic_emails_are_ignored(posted, headers):
    story, _, address = posted
    raw = reply(address, story.ana, "I am out of the office until Monday.", **headers)
    assert_nothing_written(story, raw, Outcome.IGNORED)
    assert refusals_to(story.ana) == []


def test_an_empty_envelope_sender_is_a_bounce(posted):
    story, _, address = posted
    raw = reply(address, story.ana, ENGLISH)
    before = written(story)
    assert receive(raw, sender="") is Outcome.IGNORED
    assert written(story) == before


def test_a_delivery_status_report_is_ignored(posted):
    story, _, address = posted
    raw = (f"From: {story.ana.email}\r\nTo: {address}\r\nSubject: Undelivered Mail\r\n"
           "Message-ID: <bounce@x>\r\nMIME-Version: 1.0\r\n"
           'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
           "--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
           "--b\r\nContent-Type: message/delivery-status\r\n\r\n"
           "Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; x@y.z\r\n"
           "Action: failed\r\nStatus: 5.1.1\r\n--b--\r\n").encode()
    assert_nothing_written(story, raw, Outcome.IGNORED)


def test_an_unknown_key_or_another_domain_is_an_unknown_address(posted):
    story, _, address = posted
    local = address.rpartition("@")[0]
    for wrong in ("workspace+" + "a" * 32 + "@example.org", f"{local}@elsewhere.example",
                  "workspace@example.org", "someone@example.org"):
        raw = reply(wrong, story.ana, ENGLISH)
        assert_nothing_written(story, raw, Outcome.UNKNOWN_ADDRESS)


def test_a_revoked_reply_key_is_an_unknown_address(posted):
    story, _, address = posted
    ReplyKey.query.filter_by(user_id=story.ana.id).one().revoked_at = utcnow()
    db.session.commit()
    assert_nothing_written(story, reply(address, story.ana, ENGLISH), Outcome.UNKNOWN_ADDRESS)


def test_a_regenerated_email_in_address_stops_the_old_one(story):
    old = email_in_address(story.ana, story.project)
    new = regenerate_email_in_address(story.ana, story.project)
    assert old != new
    raw = email_bytes(old, story.ana.email, "Minutes", "The minutes of today.")
    assert_nothing_written(story, raw, Outcome.UNKNOWN_ADDRESS)
    assert receive(raw.replace(old.encode(), new.encode())) is Outcome.ACCEPTED


def test_a_person_removed_from_the_project_cannot_reply(posted):
    story, _, address = posted
    Membership.query.filter_by(user_id=story.ana.id).delete()
    db.session.commit()
    assert_nothing_written(story, reply(address, story.ana, ENGLISH), Outcome.REFUSED)


def test_a_person_removed_from_the_project_cannot_email_a_message_in(story):
    address = email_in_address(story.bo, story.project)
    Membership.query.filter_by(user_id=story.bo.id).delete()
    db.session.commit()
    raw = email_bytes(address, story.bo.email, "Minutes", "The minutes of today.")
    assert_nothing_written(story, raw, Outcome.REFUSED)


def test_nothing_comes_into_an_archived_project(posted):
    story, _, address = posted
    story.project.archived_at = utcnow()
    db.session.commit()
    assert_nothing_written(story, reply(address, story.ana, ENGLISH), Outcome.REFUSED)
    assert "archived" in refusals_to(story.ana)[0].text_body


def test_a_client_cannot_reply_about_an_item_that_became_private(posted):
    story, message, _ = posted
    address = story.reply_address(story.cy)
    message.private = True
    db.session.commit()
    assert_nothing_written(story, reply(address, story.cy, ENGLISH), Outcome.REFUSED)


def test_a_reply_about_a_deleted_item_is_refused(posted):
    story, message, address = posted
    from workspace.messages.operations import delete_message

    delete_message(message)
    assert_nothing_written(story, reply(address, story.ana, ENGLISH), Outcome.REFUSED)


def test_an_email_over_the_limit_is_refused_before_it_is_parsed(posted):
    story, _, address = posted
    story.app.config.update(WORKSPACE_MAX_EMAIL_MB=1)
    raw = reply(address, story.ana, "x" * (1024 * 1024))
    assert_nothing_written(story, raw, Outcome.TOO_LARGE)


def test_an_attachment_over_the_upload_limit_is_refused(story):
    story.app.config.update(WORKSPACE_MAX_UPLOAD_MB=0)
    address = email_in_address(story.ana, story.project)
    raw = email_bytes(address, story.ana.email, "Photo", "See the photo.",
                      files=(("big.bin", "application/octet-stream", b"x" * 10),))
    assert_nothing_written(story, raw, Outcome.REFUSED)
    assert "larger than" in refusals_to(story.ana)[0].text_body


def test_a_refused_sender_is_told_at_most_once_an_hour(posted):
    story, _, address = posted
    story.project.archived_at = utcnow()
    db.session.commit()
    for attempt in range(3):
        receive(reply(address, story.ana, f"Attempt {attempt}"))
    assert len(refusals_to(story.ana)) == 1
    RefusalNotice.query.one().sent_at = utcnow() - timedelta(minutes=61)
    db.session.commit()
    receive(reply(address, story.ana, "An hour later"))
    assert len(refusals_to(story.ana)) == 2


def test_leaving_a_project_revokes_the_persons_addresses_there(posted):
    from workspace.comments.operations import add_comment
    from workspace.projects.operations import remove_person

    story, message, _ = posted
    email_in = email_in_address(story.cy, story.project)
    cy_address = story.reply_address(story.cy)
    remove_person(Membership.query.filter_by(user_id=story.cy.id).one())
    assert_nothing_written(story, reply(cy_address, story.cy, ENGLISH), Outcome.UNKNOWN_ADDRESS)
    raw = email_bytes(email_in, story.cy.email, "Minutes", "The minutes.")
    assert_nothing_written(story, raw, Outcome.UNKNOWN_ADDRESS)
    story.make.join(story.project, story.cy, Role.CLIENT)  # back: new addresses, old ones dead
    add_comment(message, "Cy, are you back?", by=story.bo)
    new_address = story.reply_address(story.cy)
    assert new_address != cy_address
    assert receive(reply(new_address, story.cy, ENGLISH)) is Outcome.ACCEPTED
    assert_nothing_written(story, reply(cy_address, story.cy, "Again"), Outcome.UNKNOWN_ADDRESS)


def test_an_attachment_while_the_file_store_is_unreachable_is_retried_later(story, s3_server):
    """Not the sender's fault: nothing written, no refusal sent, the mail server retries."""
    from tests.mail.conftest import free_port
    from tests.s3 import s3_config

    unreachable = f"http://127.0.0.1:{free_port()}"
    story.app.config.update(s3_config(unreachable, "any-bucket"))
    address = email_in_address(story.ana, story.project)
    raw = email_bytes(address, story.ana.email, "Photo", "See the photo.",
                      files=(("photo.bin", "application/octet-stream", b"x" * 10),))
    assert_nothing_written(story, raw, Outcome.TEMPORARY)
    assert refusals_to(story.ana) == []
