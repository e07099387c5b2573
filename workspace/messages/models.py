from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.comments.models import Commentable
from workspace.extensions import db
from workspace.i18n import N_
from workspace.items import FeedContent, Itemized, ItemKind, Page, Searched, Visibility, register
from workspace.types import UTCDateTime, utcnow


class Message(Commentable, Itemized, db.Model):
    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_project_id_created_at", "project_id", "created_at"),
        # The board, freshest thread first, read straight from this index.
        Index("ix_messages_project_id_last_activity_at", "project_id", "last_activity_at", "id"),
    )
    subject_type = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    private: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When it was posted or last commented on: a thread with a fresh comment rises.
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    subscriptions: Mapped[list[Subscription]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    def comments_changed(self) -> None:
        self.last_activity_at = self.last_comment_at or self.created_at

    @property
    def subscriber_ids(self) -> set[int]:
        return {subscription.user_id for subscription in self.subscriptions}


class Subscription(db.Model):
    """A person chosen to hear about a message and its comments (the email issue sends)."""

    __tablename__ = "message_subscriptions"
    __table_args__ = (UniqueConstraint("message_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


register(ItemKind(
    "message", Message, label=_l("Message"), plural=_l("Messages"), visibility=Visibility.OWN,
    page=Page("messages.show", "message_id", comments="messages.comment"),
    descriptions={"created": N_("%(actor)s posted '%(title)s'"),
                  "edited": N_("%(actor)s edited '%(title)s'")},
    feed=FeedContent("body_html", None, lambda html, _: html),
    search=Searched("title", "body", "edited_at"),
    reasons={"chosen": _l("You were chosen to hear about this message.")},
    rank=10,
))
