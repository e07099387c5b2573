"""An LMTP server for the mail server to hand emails to, answering for each recipient."""

from __future__ import annotations

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import Envelope, Session
from flask import Flask

from workspace.inbound.operations import max_bytes, receive
from workspace.web import in_app


class InboundHandler:
    """Hands each email to `receive`, once per recipient, inside the application."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    async def handle_DATA(self, server: LMTP, session: Session, envelope: Envelope) -> str:
        raw = bytes(envelope.original_content or b"")
        replies = []
        for recipient in envelope.rcpt_tos:
            outcome = in_app(self.app, lambda r=recipient: receive(
                raw, recipients=[r], sender=envelope.mail_from))()
            replies.append(outcome.lmtp_reply)
        return "\r\n".join(replies)


class LMTPController(Controller):
    def factory(self) -> LMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)


def lmtp_server(app: Flask, host: str, port: int) -> LMTPController:
    """An LMTP server on host:port (not started); emails over WORKSPACE_MAX_EMAIL_MB are
    answered 552 while they arrive, before anything holds them whole."""
    with app.app_context():
        limit = max_bytes()
    return LMTPController(InboundHandler(app), hostname=host, port=port,
                          data_size_limit=limit, enable_SMTPUTF8=True)
