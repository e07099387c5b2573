"""A whole conversation from mail clients: a notification goes out through a real SMTP sink,
the reply comes back by LMTP, by `workspace mail receive` or from Dovecot over IMAP, and lands
once, without its quote, and the others hear about it."""

from __future__ import annotations

import smtplib

import pytest
from imap_tools import MailBoxUnencrypted

from tests.inbound.conftest import ENGLISH, FRENCH, PDF, Story, email_bytes, reply
from tests.inbound.dovecot import PASSWORD, USER
from workspace.files.models import ProjectFile
from workspace.inbound.addresses import email_in_address
from workspace.inbound.imap import fetch_mail
from workspace.inbound.models import ReplyKey
from workspace.messages.models import Message
from workspace.scheduler import in_app

CLIENTS = [(client, language) for client in ("gmail", "outlook", "apple")
           for language in ("en", "fr")]


def assert_one_clean_comment(story: Story, message: Message, text: str) -> None:
    comments = story.comments(message)
    assert [(c.author_id, c.body) for c in comments] == [(story.ana.id, text)]
    assert "wrote" not in comments[0].body_html and "Workspace" not in comments[0].body


def assert_the_others_heard(story: Story, text: str) -> None:
    story.notification_to(story.bo)
    to_bo = next(m for m in story.smtp.to(story.bo.email)
                 if "Ana commented on 'Launch plan draft'" in m["Subject"])
    assert text[:20] in to_bo.get_body(("plain",)).get_content()
    assert to_bo["Reply-To"] != story.reply_address(story.ana)


def test_a_notification_carries_a_reply_address_of_its_own_and_says_so(story):
    story.post()
    to_ana, to_cy = story.notification_to(story.ana), story.notification_to(story.cy)
    local, _, domain = to_ana["Reply-To"].rpartition("@")
    assert domain == "example.org" and local.startswith("workspace+")
    assert len(local.removeprefix("workspace+")) >= 26  # 160 random bits in base32
    assert to_ana["Reply-To"] != to_cy["Reply-To"]
    assert to_ana["X-Workspace-Mail"] == "1"
    assert "Reply to this email to comment" in to_ana.get_body(("plain",)).get_content()
    assert "Reply to this email to comment" in to_ana.get_body(("html",)).get_content()


def test_without_an_inbound_address_emails_carry_no_reply_address(story):
    story.app.config.update(WORKSPACE_MAIL_INBOUND_ADDRESS="")
    story.post()
    to_ana = story.notification_to(story.ana)
    assert to_ana["Reply-To"] is None
    assert "Reply" not in to_ana.get_body(("plain",)).get_content()
    assert story.count(ReplyKey) == 0


@pytest.mark.parametrize(("client", "language"), CLIENTS)
def test_a_reply_by_lmtp_becomes_one_comment_without_the_quote(story, lmtp, client, language):
    message = story.post()
    text = ENGLISH if language == "en" else FRENCH
    raw = reply(story.reply_address(story.ana), story.ana, text, client=client,
                language=language)
    with smtplib.LMTP("127.0.0.1", lmtp) as server:
        refused = server.sendmail(story.ana.email, [story.reply_address(story.ana)], raw)
        server.sendmail(story.ana.email, [story.reply_address(story.ana)], raw)  # a retry
    assert refused == {}
    assert_one_clean_comment(story, message, text)
    assert_the_others_heard(story, text)


@pytest.mark.parametrize(("client", "language"), [("gmail", "fr"), ("outlook", "en")])
def test_a_reply_through_workspace_mail_receive(story, runner, client, language):
    message = story.post()
    text = ENGLISH if language == "en" else FRENCH
    raw = reply(story.reply_address(story.ana), story.ana, text, client=client,
                language=language)
    for _ in range(2):  # the mail server delivers it twice
        result = runner.invoke(args=["mail", "receive"], input=raw)
        assert result.exit_code == 0, result.output
    assert_one_clean_comment(story, message, text)
    assert_the_others_heard(story, text)


def test_replies_fetched_from_dovecot_over_imap(story, imap):
    message = story.post()
    address = story.reply_address(story.ana)
    good = reply(address, story.ana, FRENCH, client="apple", language="fr")
    spoofed = reply(address, story.bo, "Not Ana at all", message_id="<spoof@mail.example.org>")
    with MailBoxUnencrypted("127.0.0.1", imap.port).login(USER, PASSWORD) as box:
        for raw in (good, good, spoofed):  # the same email twice, and a forged one
            box.append(raw, "INBOX")
    report = in_app(story.app, fetch_mail)()
    assert (report.processed, report.rejected, report.left) == (2, 1, 0)
    assert in_app(story.app, fetch_mail)().outcomes == []  # nothing left: moved away
    with MailBoxUnencrypted("127.0.0.1", imap.port).login(USER, PASSWORD) as box:
        assert {f.name for f in box.folder.list()} >= {"processed", "rejected"}
        box.folder.set("processed")
        assert len(box.uids()) == 2
        box.folder.set("rejected")
        assert [m.subject for m in box.fetch()] == ["Re: [Launch plan] Bo posted "
                                                     "'Launch plan draft'"]
    assert_one_clean_comment(story, message, FRENCH)
    assert_the_others_heard(story, FRENCH)
    assert [m["Subject"] for m in story.smtp.to(story.bo.email)][-1] == (
        "Your email was not added to Workspace")  # Bo, whose address was forged, is told


def test_the_imap_command_reports_what_it_did(story, imap, runner):
    story.post()
    with MailBoxUnencrypted("127.0.0.1", imap.port).login(USER, PASSWORD) as box:
        box.append(reply(story.reply_address(story.ana), story.ana, ENGLISH), "INBOX")
    result = runner.invoke(args=["mail", "fetch"])
    assert result.exit_code == 0 and "Processed 1, rejected 0" in result.output


def test_a_forwarded_email_with_a_pdf_becomes_a_message_with_the_file(story, lmtp):
    address = email_in_address(story.cy, story.project)
    raw = email_bytes(address, story.cy.email, "Fwd: TR: Signed quote",
                      "---------- Forwarded message ---------\nHere is the signed quote.\n",
                      files=(("quote.pdf", "application/pdf", PDF),))
    with smtplib.LMTP("127.0.0.1", lmtp) as server:
        server.sendmail(story.cy.email, [address], raw)
    message = Message.query.one()
    assert (message.title, message.author_id) == ("Signed quote", story.cy.id)
    assert "Here is the signed quote." in message.body and not message.private
    attached = ProjectFile.query.one()
    assert (attached.name, attached.attached_id) == ("quote.pdf", message.id)
    assert attached.content_type == "application/pdf"
    assert "Cy posted 'Signed quote'" in story.notification_to(story.ana)["Subject"]


def test_a_french_reader_is_told_in_french(story):
    from workspace.extensions import db
    from workspace.inbound.operations import receive

    story.cy.locale = "fr"
    db.session.commit()
    message = story.post()
    to_cy = story.notification_to(story.cy)
    assert "Répondez à cet e-mail pour commenter." in to_cy.get_body(("plain",)).get_content()
    message.private = True
    db.session.commit()
    receive(reply(to_cy["Reply-To"], story.cy, FRENCH, language="fr"))
    notice = story.notification_to(story.cy)
    assert notice["Subject"].endswith("pas été ajouté à Workspace")
    assert "Vous ne pouvez plus commenter" in notice.get_body(("plain",)).get_content()


def test_replies_to_a_to_do_and_a_milestone_notification_comment_on_them(story, lmtp):
    from datetime import date

    from workspace.alerts.operations import send_due_alerts
    from workspace.comments.models import Comment
    from workspace.milestones.operations import create_milestone
    from workspace.projects.access import project_access
    from workspace.todos.operations import add_todo, create_list
    from workspace.types import utcnow

    access = project_access(story.project.id, user=story.bo)
    todo = add_todo(access, create_list(access, name="Launch"), text="Book the venue",
                    assignee_id=story.ana.id)
    to_do_address = story.reply_address(story.ana)
    milestone = create_milestone(access, title="Beta", due_on=date.today(),
                                 responsible_id=story.ana.id)
    send_due_alerts(utcnow())
    milestone_address = story.reply_address(story.ana)
    assert to_do_address != milestone_address
    with smtplib.LMTP("127.0.0.1", lmtp) as server:
        server.sendmail(story.ana.email, [to_do_address],
                        reply(to_do_address, story.ana, "Booked for the 12th."))
        server.sendmail(story.ana.email, [milestone_address],
                        reply(milestone_address, story.ana, "On track.", language="fr"))
    comments = {(c.subject_type, c.subject_id): c.body for c in Comment.query.all()}
    assert comments == {("todo", todo.id): "Booked for the 12th.",
                        ("milestone", milestone.id): "On track."}


def test_an_email_over_the_limit_in_imap_is_rejected_without_being_fetched(story, imap):
    story.app.config.update(WORKSPACE_MAX_EMAIL_MB=1)
    message = story.post()
    address = story.reply_address(story.ana)
    with MailBoxUnencrypted("127.0.0.1", imap.port).login(USER, PASSWORD) as box:
        box.append(reply(address, story.ana, "x" * (2 * 1024 * 1024)), "INBOX")
    report = in_app(story.app, fetch_mail)()
    assert [outcome.value for outcome in report.outcomes] == ["too_large"]
    assert report.rejected == 1 and story.comments(message) == []


def test_a_client_replies_about_an_item_they_see(story):
    from workspace.inbound.operations import Outcome, receive

    message = story.post()
    address = story.reply_address(story.cy)
    assert receive(reply(address, story.cy, "Fine by us.", client="outlook")) is (
        Outcome.ACCEPTED)
    assert [(c.author_id, c.body) for c in story.comments(message)] == [
        (story.cy.id, "Fine by us.")]
