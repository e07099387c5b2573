from __future__ import annotations

from datetime import datetime

from flask_babel import gettext
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace import items
from workspace.auth.models import User
from workspace.extensions import db
from workspace.i18n import translated
from workspace.items import References, item_key
from workspace.projects.models import Project
from workspace.types import UTCDateTime, utcnow


class Event(References, db.Model):
    """One thing that happened in a project: the spine of activity pages, feeds and emails.

    `subject` is the item the event is about (a message); `target` is what changed (the message
    itself, or a comment on it). `private` mirrors the subject's mark, so that one indexed query
    gives the newest events a person may see.
    """

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_project_id_id", "project_id", "id"),
        Index("ix_events_subject", "subject_type", "subject_id"),
    )
    item_references = {"subject_item_id": ("subject_type", "subject_id"),
                       "target_item_id": ("target_type", "target_id")}

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int]
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int]
    subject_item_id: Mapped[int] = item_key()
    target_item_id: Mapped[int] = item_key()
    summary: Mapped[str] = mapped_column(String(200))
    excerpt: Mapped[str] = mapped_column(String(300), default="")
    private: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
    project: Mapped[Project] = relationship()

    @property
    def actor_name(self) -> str | None:
        """As in `activity.queries.EventRow`: None once the account is gone."""
        return self.actor.name if self.actor else None

    @property
    def quote(self) -> str:
        return quote(self.action, self.excerpt)

    def describe(self) -> str:
        return describe(self.action, self.target_type, self.actor_name, self.summary,
                        self.excerpt)


def quote(action: str, excerpt: str) -> str:
    """The text worth quoting: what was written, not the detail of a sentence."""
    return excerpt if action in ("created", "edited", "commented") else ""


def describe(action: str, target_type: str, actor: str | None, summary: str,
             excerpt: str) -> str:
    """The sentence saying what happened, from an event's columns and its actor's name (None:
    a removed account), so that a long list can read them as rows rather than objects."""
    template = items.description(action, target_type)
    actor = actor if actor is not None else gettext("Someone")
    if template is None:
        return f"{actor}: {summary}"
    return translated(template) % {"actor": actor, "title": summary, "detail": excerpt}
