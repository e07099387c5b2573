from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from workspace.auth.models import User
from workspace.extensions import db
from workspace.i18n import N_
from workspace.items import (
    FeedContent,
    Itemized,
    ItemKind,
    References,
    Searched,
    Visibility,
    item_key,
    register,
)
from workspace.types import UTCDateTime, utcnow


class Commentable:
    """Columns kept up to date by the comment operations, so that lists of items show
    counts and the last commenter without a query per item."""

    comments_count: Mapped[int] = mapped_column(default=0)
    last_comment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @declared_attr
    def last_commenter_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @declared_attr
    def last_commenter(cls) -> Mapped[User | None]:
        return relationship(foreign_keys=[cls.last_commenter_id])

    def comments_changed(self) -> None:
        """Called by the comment operations once the columns above are up to date, for an
        item that keeps more (a message's place on the board)."""


class Comment(References, Itemized, db.Model):
    """A comment on any commentable item of a project, which it takes its visibility from."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_subject", "subject_type", "subject_id", "id"),)
    item_references = {"subject_item_id": ("subject_type", "subject_id")}

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int]
    subject_item_id: Mapped[int] = item_key()
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship()

    def item_parent(self) -> int | ColumnElement[int]:
        return self.subject_item_id


class Follower(db.Model):
    """A person following an item that takes comments (any kind: the key is its `items` row),
    or, with `following` false, one who chose to stop: then nothing makes them follow again
    but their own act (a comment, a follow, a mention of them, an assignment)."""

    __tablename__ = "followers"
    __table_args__ = (UniqueConstraint("item_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = item_key()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    following: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


# Why a person hears about an item of any kind: because they follow it, or were mentioned in it.
FOLLOWING_REASONS = {
    "following": _l("You follow this item."),
    "mentioned": _l("You were mentioned."),
}


register(ItemKind(
    "comment", Comment, label=_l("Comment"), plural=_l("Comments"),
    visibility=Visibility.SUBJECT, page=None,  # shown on the page of what it is on
    descriptions={"commented": N_("%(actor)s commented on '%(title)s'"),
                  "edited": N_("%(actor)s edited a comment on '%(title)s'")},
    feed=FeedContent("body_html", None, lambda html, _: html),
    search=Searched(None, "body", "edited_at"),
    reasons={"participant": _l("You take part in this conversation."), **FOLLOWING_REASONS},
    rank=20,
))
