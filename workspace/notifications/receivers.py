"""Who hears of what the other domains announce: their signals' keyword arguments are the
parameters of the notifying operations. Connected by the app factory."""

from __future__ import annotations

from workspace.comments.signals import comment_added, people_mentioned
from workspace.documents.signals import version_saved
from workspace.messages.signals import message_posted
from workspace.notifications import operations
from workspace.projects.signals import invitation_created
from workspace.todos.signals import todo_assigned


def connect_signals() -> None:
    people_mentioned.connect(operations.on_mention)
    comment_added.connect(operations.on_comment)
    message_posted.connect(operations.on_new_message)
    todo_assigned.connect(operations.on_assignment)
    version_saved.connect(operations.on_new_version)
    invitation_created.connect(operations.compose_invitation)
