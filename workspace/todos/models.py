from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.comments.models import Commentable
from workspace.extensions import db
from workspace.i18n import N_
from workspace.items import (
    FeedContent,
    Itemized,
    ItemKind,
    Page,
    Revised,
    Searched,
    Visibility,
    register,
)
from workspace.projects.models import Project
from workspace.types import UTCDateTime, utcnow


class TodoList(Itemized, db.Model):
    __tablename__ = "todo_lists"
    __table_args__ = (Index("ix_todo_lists_project_id_position", "project_id", "position"),)
    subject_type = "todolist"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestones.id", ondelete="SET NULL"), index=True
    )
    private: Mapped[bool] = mapped_column(default=False)
    clients_can_complete: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
    # A list may lead to a milestone; milestones sit above to-dos (their pages show their
    # lists' progress), so the class is named, not imported.
    milestone: Mapped[Milestone | None] = relationship(  # noqa: F821
        "Milestone", passive_deletes=True)

    @property
    def title(self) -> str:
        return self.name


class Todo(Commentable, Itemized, Revised, db.Model):
    """An action to take. `private` mirrors its list's mark, kept in step by the operations,
    so that every query filters to-dos the way it filters other items."""

    __tablename__ = "todos"
    __table_args__ = (
        Index("ix_todos_list_id_position", "list_id", "position"),
        Index("ix_todos_assignee_id_completed_at", "assignee_id", "completed_at"),
        # Calendars: to-dos due within a window, and open dated ones, per project. They also
        # serve every query on a project's to-dos (a project_id index alone would be redundant).
        Index("ix_todos_project_id_due_on", "project_id", "due_on"),
        Index("ix_todos_project_id_completed_at_due_on", "project_id", "completed_at", "due_on"),
        # A series of repeating to-dos has one to-do per date: never two next ones.
        UniqueConstraint("series_id", "due_on", name="uq_todos_series_id_due_on"),
    )
    subject_type = "todo"
    revised_columns = ("text", "notes", "due_on", "completed_at", "repeat")  # what calendars show

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    list_id: Mapped[int] = mapped_column(ForeignKey("todo_lists.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")
    notes_html: Mapped[str] = mapped_column(Text, default="")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[date | None]
    # "Repeat every …" (an RRULE value) and the series: the first to-do's id, set once one
    # has been completed (workspace/todos/repeats.py).
    repeat: Mapped[str | None] = mapped_column(String(100))
    series_id: Mapped[int | None]
    # When its assignee is reminded (alerts.models.REMINDER_CHOICES); None: their default.
    remind: Mapped[str | None] = mapped_column(String(8))
    private: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    todo_list: Mapped[TodoList] = relationship()
    project: Mapped[Project] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])

    @property
    def title(self) -> str:
        return self.text

    def item_parent(self) -> ColumnElement[int]:
        """A to-do goes with its list."""
        return select(TodoList.item_id).where(TodoList.id == self.list_id).scalar_subquery()

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def is_late(self, today: date) -> bool:
        return not self.is_completed and self.due_on is not None and self.due_on < today


register(ItemKind(
    "todolist", TodoList, label=_l("To-do list"), plural=_l("To-do lists"),
    visibility=Visibility.OWN, page=Page("todos.show_list", "list_id"),
    descriptions={"created": N_("%(actor)s created the to-do list '%(title)s'"),
                  "edited": N_("%(actor)s edited the to-do list '%(title)s'")},
    feed=FeedContent("description", None,
                     lambda text, _: f"<p>{escape(text)}</p>" if text else ""),
    search=Searched("name", "description", None),
    rank=30,
))
register(ItemKind(
    "todo", Todo, label=_l("To-do"), plural=_l("To-dos"), visibility=Visibility.OWN,
    page=Page("todos.show", "todo_id", comments="comments.on_todo"),
    descriptions={
        "created": N_("%(actor)s added the to-do '%(title)s'"),
        "edited": N_("%(actor)s edited the to-do '%(title)s'"),
        "assigned": N_("%(actor)s assigned '%(title)s' to %(detail)s"),
        "completed": N_("%(actor)s completed '%(title)s'"),
        "reopened": N_("%(actor)s reopened '%(title)s'"),
        "moved": N_("%(actor)s moved '%(title)s' to %(detail)s"),
        "reminder": N_("Reminder: the to-do '%(title)s' is due soon"),
    },
    feed=FeedContent("text", "notes_html", lambda text, notes: f"<p>{escape(text)}</p>{notes}"),
    search=Searched("text", "notes", "edited_at"),
    reasons={"assigned": _l("This to-do is assigned to you."),
             "reminder": _l("This to-do is assigned to you and you asked to be reminded.")},
    rank=40,
))
