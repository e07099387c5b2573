from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.comments.models import Comment, Commentable
from workspace.extensions import db
from workspace.files.sniff import INLINE_TYPES, kind_of
from workspace.i18n import N_
from workspace.items import (
    FeedContent,
    Itemized,
    ItemKind,
    Page,
    References,
    Searched,
    Visibility,
    item_key,
    register,
)
from workspace.types import UTCDateTime, utcnow


class ProjectFile(Commentable, References, Itemized, db.Model):
    """A document of a project, with one or more versions; the newest is the default.

    A file may be attached to an item (a message) or to a comment on one; it is then private
    whenever that item is. A file of its own may be kept in a folder, and is then private
    whenever the folder is. `private` is the effective mark, kept in step by the operations;
    `marked_private` is what the team chose for the file itself.
    """

    __tablename__ = "files"
    __table_args__ = (
        Index("ix_files_project_id_created_at", "project_id", "created_at"),
        Index("ix_files_attached", "attached_type", "attached_id"),
    )
    subject_type = "file"
    item_references = {"attached_item_id": ("attached_type", "attached_id")}

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    marked_private: Mapped[bool] = mapped_column(default=False)
    private: Mapped[bool] = mapped_column(default=False)
    attached_type: Mapped[str | None] = mapped_column(String(32))
    attached_id: Mapped[int | None]
    attached_item_id: Mapped[int | None] = item_key(nullable=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), index=True
    )
    # The folder a file of its own (not an attachment) is kept in; None: the top.
    folder_id: Mapped[int | None] = mapped_column(
        ForeignKey("folders.id", ondelete="SET NULL"), index=True
    )
    # The newest version's facts, copied here so that the files page sorts and filters
    # without touching the versions.
    version_count: Mapped[int] = mapped_column(default=1)
    size: Mapped[int] = mapped_column(default=0)
    content_type: Mapped[str] = mapped_column(String(127), default="application/octet-stream")
    kind: Mapped[str] = mapped_column(String(16), default="other")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    versions: Mapped[list[FileVersion]] = relationship(
        back_populates="file", order_by="FileVersion.number.desc()",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    @property
    def title(self) -> str:
        return self.name

    def item_parent(self) -> int | ColumnElement[int] | None:
        """A file attached to a comment goes with the comment, one attached to an item with
        the item."""
        if self.comment_id is not None:
            return select(Comment.item_id).where(Comment.id == self.comment_id).scalar_subquery()
        return self.attached_item_id

    @property
    def is_image(self) -> bool:
        return self.kind == "image"

    def take_facts_of(self, version: FileVersion) -> None:
        self.size, self.content_type = version.size, version.content_type
        self.kind = kind_of(version.content_type)
        self.updated_at = version.created_at


class FileVersion(db.Model):
    __tablename__ = "file_versions"
    __table_args__ = (UniqueConstraint("file_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id", ondelete="CASCADE"))
    number: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(127))
    original_name: Mapped[str] = mapped_column(String(255))
    thumbnail_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    file: Mapped[ProjectFile] = relationship(back_populates="versions")
    uploader: Mapped[User | None] = relationship()

    @property
    def shown_inline(self) -> bool:
        """Only raster images and PDFs open in the browser; everything else downloads."""
        return self.content_type in INLINE_TYPES


register(ItemKind(
    "file", ProjectFile, label=_l("File"), plural=_l("Files"),
    visibility=Visibility.OWN,  # the effective mark, which may come from what it is attached to
    page=Page("files.show", "file_id", comments="comments.on_file"),
    descriptions={"uploaded": N_("%(actor)s uploaded '%(title)s'"),
                  "new_version": N_("%(actor)s uploaded a new version of '%(title)s'"),
                  "edited": N_("%(actor)s edited the file '%(title)s'"),
                  "moved": N_("%(actor)s moved '%(title)s' into %(detail)s")},
    feed=FeedContent("name", "description",
                     lambda name, text: f"<p>{escape(name)}</p><p>{escape(text)}</p>"),
    search=Searched("name", "description", "updated_at"),
    rank=60,
))
