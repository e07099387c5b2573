"""Templates: kept in a table of their own, never as items, so that no activity, feed,
search entry, alert, notification or API item list can ever see one. Their content is the
template document (`schema`), checked before it is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.extensions import db
from workspace.types import UTCDateTime, utcnow


class ProjectTemplate(db.Model):
    """A project, or one to-do list, kept to start others from. `kind` is "project" or
    "todolist"; `content` is the checked document (workspace_template version 1)."""

    __tablename__ = "project_templates"
    __table_args__ = (Index("ix_project_templates_kind_name", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[dict] = mapped_column(JSON)
    # The to-dos' notes rendered to HTML when the template is stored, by their Markdown: a
    # project made from it copies them instead of rendering thousands again.
    rendered_notes: Mapped[dict] = mapped_column(JSON, default=dict)
    todo_count: Mapped[int] = mapped_column(default=0)
    # The project it was saved from: its team sees it (projects.access.sees_template).
    source_project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship()

    @property
    def is_list(self) -> bool:
        return self.kind == "todolist"

    def __repr__(self) -> str:
        return f"<ProjectTemplate {self.id} {self.name!r}>"
