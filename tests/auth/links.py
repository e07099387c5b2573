"""Helpers for the tests of links sent by email (password reset, sign-in link)."""

from __future__ import annotations

import re
from email.message import Message
from urllib.parse import urlsplit

from sqlalchemy import func, select

from tests.mail.conftest import parts
from workspace.auth.models import EmailedToken
from workspace.extensions import db
from workspace.mail.models import OutboxEmail

NEW_PASSWORD = "a brand new password"


def link_path(message: Message, kind: str) -> str:
    """The path of the link (`/password/reset/…` or `/login/link/…`) in an email's text."""
    match = re.search(rf"https?://\S+/{kind}/[A-Za-z0-9_-]+", parts(message)["text/plain"])
    assert match, f"no {kind} link in the email"
    return urlsplit(match.group(0)).path


def rows(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def nothing_sent() -> bool:
    return rows(OutboxEmail) == 0 and rows(EmailedToken) == 0
