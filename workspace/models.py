"""Every model, imported in one place so that the schema (and Alembic) sees them all."""

from workspace.activity.models import Event
from workspace.alerts.models import ReminderDefault, SentAlert, SentReminder
from workspace.api.models import ApiToken
from workspace.auth.models import LoginSession, User
from workspace.comments.models import Comment, Follower
from workspace.documents.models import Document, DocumentVersion
from workspace.files.models import FileVersion, ProjectFile
from workspace.folders.models import Folder
from workspace.inbound.models import EmailInAddress, ProcessedEmail, RefusalNotice, ReplyKey
from workspace.mail.models import OutboxEmail
from workspace.messages.models import Message, Subscription
from workspace.milestones.models import Milestone
from workspace.notifications.models import (
    DeliverySettings,
    Notification,
    ProjectMute,
    SentRecap,
)
from workspace.project_templates.models import ProjectTemplate
from workspace.projects import versions  # noqa: F401 (keeps the projects' versions in step)
from workspace.projects.models import Invitation, Membership, Project
from workspace.schedule.models import Attendance, CalendarEvent, EventException
from workspace.search.models import SearchEntry
from workspace.todos.models import Todo, TodoList

__all__ = [
    "ApiToken",
    "Attendance",
    "CalendarEvent",
    "Comment",
    "DeliverySettings",
    "Document",
    "DocumentVersion",
    "EmailInAddress",
    "Event",
    "EventException",
    "FileVersion",
    "Folder",
    "Follower",
    "Invitation",
    "LoginSession",
    "Membership",
    "Message",
    "Milestone",
    "Notification",
    "OutboxEmail",
    "ProcessedEmail",
    "Project",
    "ProjectFile",
    "ProjectMute",
    "ProjectTemplate",
    "RefusalNotice",
    "ReminderDefault",
    "ReplyKey",
    "SearchEntry",
    "SentAlert",
    "SentRecap",
    "SentReminder",
    "Subscription",
    "Todo",
    "TodoList",
    "User",
]
