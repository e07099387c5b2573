from __future__ import annotations

import email
import email.policy
import socket
from email.message import Message

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """A real SMTP server on loopback, and what it received."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[Message] = []
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app):
    inbox = Inbox(free_port())
    inbox.start()
    app.config.update(WORKSPACE_SMTP_HOST="127.0.0.1", WORKSPACE_SMTP_PORT=inbox.port)
    yield inbox
    inbox.stop()


def parts(message: Message) -> dict[str, str]:
    return {part.get_content_type(): part.get_content()
            for part in message.walk() if not part.is_multipart()}
