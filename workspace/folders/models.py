"""Folders: where a project's documents and files are arranged, nested at any depth.

A folder's `private` is its effective mark: its own (`marked_private`) or its parent's. What
lives in folders (any kind whose model has `folder_id`, `marked_private` and `private`: files
and documents) is private when it is marked so or its folder is; the operations keep every
`private` column, the events' marks and the search entries in step, so that every surface
that already hides a private item (pages, feeds, search, API, downloads) hides it.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.extensions import db
from workspace.i18n import N_
from workspace.items import FeedContent, Itemized, ItemKind, Page, Searched, Visibility, register
from workspace.types import UTCDateTime, utcnow


class Folder(Itemized, db.Model):
    __tablename__ = "folders"
    __table_args__ = (Index("ix_folders_project_id_parent_id", "project_id", "parent_id"),)
    subject_type = "folder"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("folders.id", ondelete="CASCADE"),
                                                  index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    marked_private: Mapped[bool] = mapped_column(default=False)
    private: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()

    @property
    def title(self) -> str:
        return self.name


def feed_html(name: str, description: str) -> str:
    return f"<p>{escape(name)}</p><p>{escape(description)}</p>"


register(ItemKind(
    "folder", Folder, label=_l("Folder"), plural=_l("Folders"), visibility=Visibility.OWN,
    page=Page("folders.show", "folder_id"),
    descriptions={"created": N_("%(actor)s made the folder '%(title)s'"),
                  "edited": N_("%(actor)s renamed or changed the folder '%(title)s'"),
                  "moved": N_("%(actor)s moved '%(title)s' into %(detail)s")},
    feed=FeedContent("name", "description", feed_html),
    search=Searched("name", "description", "updated_at"),
    rank=65,
))
