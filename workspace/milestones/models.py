from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
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


class Milestone(Commentable, Itemized, Revised, db.Model):
    """A date that matters to a project. `due_on` is a calendar date, not an instant: it is
    late once that day has passed where the reader is, and alerts count days to it."""

    __tablename__ = "milestones"
    __table_args__ = (
        Index("ix_milestones_project_id_due_on", "project_id", "due_on"),
        Index("ix_milestones_project_id_completed_at", "project_id", "completed_at"),
    )
    subject_type = "milestone"
    # What calendars show of it:
    revised_columns = ("title", "notes", "due_on", "completed_at", "responsible_id")
    private = False  # milestones are shared with clients; lists carry the private mark

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date]
    responsible_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    notes_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    responsible: Mapped[User | None] = relationship(foreign_keys=[responsible_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    project: Mapped[Project] = relationship()

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def is_late(self, today: date) -> bool:
        return not self.is_completed and self.due_on < today


register(ItemKind(
    "milestone", Milestone, label=_l("Milestone"), plural=_l("Milestones"),
    visibility=Visibility.NEVER,
    page=Page("milestones.show", "milestone_id", comments="comments.on_milestone"),
    descriptions={
        "created": N_("%(actor)s added the milestone '%(title)s'"),
        "edited": N_("%(actor)s edited the milestone '%(title)s'"),
        "completed": N_("%(actor)s completed the milestone '%(title)s'"),
        "reopened": N_("%(actor)s reopened the milestone '%(title)s'"),
        "alert_before": N_("Milestone '%(title)s' is due in %(detail)s days"),
        "alert_due": N_("Milestone '%(title)s' is due today"),
        "alert_late": N_("Milestone '%(title)s' is late"),
    },
    feed=FeedContent("notes_html", None, lambda html, _: html),
    search=Searched("title", "notes", "edited_at"),
    reasons={"milestone": _l("You are responsible for this milestone, or on its team.")},
    rank=50,
))
