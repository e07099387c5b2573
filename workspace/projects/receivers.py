"""What the projects domain answers for the domains below it. Connected by the app factory."""

from __future__ import annotations

from workspace.auth.models import User
from workspace.auth.signals import asked_if_client_only
from workspace.projects.access import is_client_only


def connect_signals() -> None:
    asked_if_client_only.connect(answer_client_only)


def answer_client_only(user: User, **extra: object) -> bool:
    return is_client_only(user)
