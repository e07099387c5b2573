"""Documents: Markdown texts a team writes together, every save kept as a version."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.comments.models import Commentable
from workspace.extensions import db
from workspace.i18n import N_
from workspace.items import FeedContent, Itemized, ItemKind, Page, Searched, Visibility, register
from workspace.types import UTCDateTime, utcnow


class Document(Commentable, Itemized, db.Model):
    """A document's latest text, title and facts; its versions hold every text it had.

    `version_count` is the number of the latest version: an edit form carries the number it
    was opened on, and a save on an older one is a conflict, never an overwrite.
    """

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_project_id_updated_at", "project_id", "updated_at"),)
    subject_type = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # The start of the text, for feeds and lists: never the whole (maybe large) body.
    excerpt: Mapped[str] = mapped_column(String(300), default="")
    # `private` is the effective mark: its own (`marked_private`) or its folder's.
    marked_private: Mapped[bool] = mapped_column(default=False)
    private: Mapped[bool] = mapped_column(default=False)
    folder_id: Mapped[int | None] = mapped_column(
        ForeignKey("folders.id", ondelete="SET NULL"), index=True
    )
    version_count: Mapped[int] = mapped_column(default=1)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    editor: Mapped[User | None] = relationship(foreign_keys=[editor_id])


class DocumentVersion(db.Model):
    """One save of a document: its full title and text (simple, and fast to compare), who
    saved it, when, and why (a short note)."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int] = mapped_column(default=0)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


def feed_html(excerpt: str, _: str) -> str:
    return f"<p>{escape(excerpt)}</p>"


register(ItemKind(
    "document", Document, label=_l("Document"), plural=_l("Documents"),
    visibility=Visibility.OWN,
    page=Page("documents.show", "document_id", comments="comments.on_document"),
    descriptions={"created": N_("%(actor)s wrote the document '%(title)s'"),
                  "edited": N_("%(actor)s saved a new version of '%(title)s'"),
                  "revised": N_("%(actor)s saved a new version of '%(title)s': %(detail)s"),
                  "restored": N_("%(actor)s restored an earlier version of '%(title)s'"),
                  "moved": N_("%(actor)s moved '%(title)s' into %(detail)s")},
    feed=FeedContent("excerpt", None, feed_html),
    search=Searched("title", "body", "updated_at"),
    reasons={"new_version": _l("You follow this document: someone saved a new version.")},
    rank=15,
))
