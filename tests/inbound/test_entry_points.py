"""The three ways in answer the mail server in its own terms: sysexits for `workspace mail
receive`, a reply per recipient for LMTP; an email that fails through no fault of its sender
is kept and can be replayed."""

from __future__ import annotations

import os
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.inbound.conftest import ENGLISH, INBOUND, email_bytes, reply
from workspace.inbound.addresses import email_in_address
from workspace.messages.models import Message

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def posted(story):  # type: ignore[no-untyped-def]
    message = story.post()
    return story, message, story.reply_address(story.ana)


def run_receive(runner, raw: bytes, *options: str):  # type: ignore[no-untyped-def]
    return runner.invoke(args=["mail", "receive", *options], input=raw)


def test_mail_receive_exits_with_sysexits_codes(posted, runner):
    story, message, address = posted
    raw = reply(address, story.ana, ENGLISH)
    assert run_receive(runner, raw).exit_code == 0
    assert run_receive(runner, raw).exit_code == 0  # again: ignored
    assert len(story.comments(message)) == 1
    auto = reply(address, story.ana, "Away", Auto_Submitted="auto-replied")
    assert run_receive(runner, auto).exit_code == 0
    unknown = reply("workspace+" + "b" * 32 + "@example.org", story.ana, ENGLISH)
    assert run_receive(runner, unknown).exit_code == 67
    assert run_receive(runner, b"From: \xff\xfe\r\nSubject: \xe9\r\n\r\nx").exit_code == 65
    story.app.config.update(WORKSPACE_MAX_EMAIL_MB=1)
    big = reply(address, story.ana, "y" * (1024 * 1024 + 10))
    result = run_receive(runner, big)
    assert result.exit_code == 65 and "too_large" in result.output


def test_mail_receive_takes_the_envelope_recipient_over_the_headers(story, runner):
    address = email_in_address(story.ana, story.project)
    raw = email_bytes("team@example.org", story.ana.email, "Fwd: Minutes", "Minutes attached.")
    assert run_receive(runner, raw).exit_code == 67  # no address of ours in the headers
    result = run_receive(runner, raw, "--recipient", address, "--sender", story.ana.email)
    assert result.exit_code == 0, result.output
    assert [m.title for m in Message.query.all()] == ["Minutes"]


def test_an_unreachable_database_answers_75_and_keeps_the_email_for_a_replay(
        posted, runner, tmp_path):
    story, message, address = posted
    raw = reply(address, story.ana, ENGLISH)
    environment = {**os.environ, "WORKSPACE_INSTANCE_PATH": str(tmp_path),
                   "WORKSPACE_SECRET_KEY": "x", "WORKSPACE_MAIL_INBOUND_ADDRESS": INBOUND,
                   "WORKSPACE_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none"}
    done = subprocess.run([sys.executable, "-m", "workspace.cli", "mail", "receive",
                           "--recipient", address], input=raw, env=environment, cwd=ROOT,
                          capture_output=True, timeout=60)
    assert done.returncode == 75, done.stderr.decode()[-2000:]
    [kept] = (tmp_path / "inbox-failed").glob("*.eml")
    assert "OperationalError" in kept.with_suffix(".reason").read_text()
    assert story.comments(message) == []
    replayed = run_receive(runner, kept.read_bytes())  # `workspace mail receive < kept`
    assert replayed.exit_code == 0, replayed.output
    assert [c.body for c in story.comments(message)] == [ENGLISH]


def test_lmtp_answers_for_each_recipient(posted, lmtp):
    story, message, address = posted
    unknown = "workspace+" + "c" * 32 + "@example.org"
    raw = reply(address, story.ana, ENGLISH)
    with smtplib.LMTP("127.0.0.1", lmtp) as server:
        server.ehlo_or_helo_if_needed()
        server.mail(story.ana.email)
        server.rcpt(address)
        server.rcpt(unknown)
        first = server.data(raw)
        second = server.getreply()
    assert first[0] == 250 and second[0] == 550
    assert len(story.comments(message)) == 1


def test_lmtp_refuses_an_email_over_the_limit_while_it_arrives(story, app):
    from tests.mail.conftest import free_port
    from workspace.inbound.lmtp import lmtp_server

    app.config.update(WORKSPACE_MAX_EMAIL_MB=1)
    port = free_port()
    server = lmtp_server(app, "127.0.0.1", port)
    server.start()
    try:
        address = email_in_address(story.ana, story.project)
        raw = email_bytes(address, story.ana.email, "Big", "z" * (2 * 1024 * 1024))
        with smtplib.LMTP("127.0.0.1", port) as client, pytest.raises(
                (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)) as declared:
            client.sendmail(story.ana.email, [address], raw)  # declares SIZE: refused at once
        assert declared.value.smtp_code == 552
        with smtplib.LMTP("127.0.0.1", port) as client:
            client.ehlo_or_helo_if_needed()
            client.mail(story.ana.email)  # no SIZE declared: refused at the end of DATA
            client.rcpt(address)
            assert client.data(raw)[0] == 552
        assert story.count(Message) == 0
    finally:
        server.stop()


def test_lmtp_bounces_nothing_back_for_an_automatic_email(posted, lmtp):
    story, message, address = posted
    raw = reply(address, story.ana, "Out of office", Auto_Submitted="auto-replied")
    with smtplib.LMTP("127.0.0.1", lmtp) as server:
        assert server.sendmail("", [address], raw) == {}
    assert story.comments(message) == []


def test_the_lmtp_command_serves_until_it_is_stopped(posted, database_url, tmp_path):
    import signal
    import socket
    import time

    from tests.mail.conftest import free_port

    story, message, address = posted
    port = free_port()
    environment = {**os.environ, "WORKSPACE_INSTANCE_PATH": str(tmp_path),
                   "WORKSPACE_SECRET_KEY": "x", "WORKSPACE_MAIL_INBOUND_ADDRESS": INBOUND,
                   "WORKSPACE_DATABASE_URL": database_url}
    server = subprocess.Popen([sys.executable, "-m", "workspace.cli", "mail", "lmtp",
                               "--listen", f"127.0.0.1:{port}"], env=environment, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.1)
        with smtplib.LMTP("127.0.0.1", port) as client:
            assert client.sendmail(story.ana.email, [address],
                                   reply(address, story.ana, ENGLISH)) == {}
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=15) == 0, server.stdout.read().decode()[-2000:]
    assert [c.body for c in story.comments(message)] == [ENGLISH]
