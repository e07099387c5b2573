"""Calendar events: timed, all-day or over several days, once or recurring, with exceptions.

An event is stored in UTC with its IANA timezone, which its recurrence is expanded in. An
exception changes or cancels one occurrence of a recurring event, named by the occurrence's
original start (its RECURRENCE-ID in a calendar)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
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
from workspace.schedule.recurrence import Timing
from workspace.types import UTCDateTime, utcnow


class CalendarEvent(Commentable, Itemized, Revised, db.Model):
    """Something that happens at a time: a meeting, a trip, a holiday. `last_ends_at` is when
    its last occurrence ends (None for a rule that never ends), so that a calendar's window
    reads an index range."""

    __tablename__ = "calendar_events"
    __table_args__ = (
        Index("ix_calendar_events_project_id_last_ends_at_starts_at",
              "project_id", "last_ends_at", "starts_at"),
    )
    subject_type = "event"
    revised_columns = ("title", "place", "notes", "starts_at", "ends_at", "all_day",
                       "timezone", "rule", "private")

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    notes_html: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    all_day: Mapped[bool] = mapped_column(default=False)
    timezone: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str | None] = mapped_column(String(300))  # an RRULE's value
    last_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    private: Mapped[bool] = mapped_column(default=False)
    # When its attendees are reminded (alerts.models.REMINDER_CHOICES); None: their default.
    remind: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    attendances: Mapped[list[Attendance]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    exceptions: Mapped[list[EventException]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True,
        order_by="EventException.original_start",
    )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def timing(self) -> Timing:
        return Timing(self.starts_at, self.ends_at, self.tz, self.all_day, self.rule)

    @property
    def attendee_ids(self) -> set[int]:
        return {attendance.user_id for attendance in self.attendances}

    @property
    def first_day(self) -> date:
        return self.starts_at.astimezone(self.tz).date()

    @property
    def last_day(self) -> date:
        """The last day it takes (an all-day event's end is the next day's midnight)."""
        end = self.ends_at.astimezone(self.tz)
        return (end - timedelta(days=1)).date() if self.all_day else end.date()


class Attendance(db.Model):
    """A person attending an event."""

    __tablename__ = "event_attendances"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship()


class EventException(db.Model):
    """One occurrence of a recurring event, changed or cancelled: `original_start` is where
    the rule puts it (UTC), the other columns what it is instead. Its `notes` are None when
    they are the event's (as they follow the event's when those change)."""

    __tablename__ = "event_exceptions"
    __table_args__ = (UniqueConstraint("event_id", "original_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"))
    original_start: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str | None] = mapped_column(Text)
    notes_html: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revision: Mapped[int] = mapped_column(default=0, server_default="0")


register(ItemKind(
    "event", CalendarEvent, label=_l("Event"), plural=_l("Events"), visibility=Visibility.OWN,
    page=Page("schedule.show", "event_id", comments="comments.on_event"),
    descriptions={
        "created": N_("%(actor)s added the event '%(title)s'"),
        "edited": N_("%(actor)s edited the event '%(title)s'"),
        "occurrence_changed": N_("%(actor)s changed one date of the event '%(title)s'"),
        "occurrence_cancelled": N_("%(actor)s cancelled one date of the event '%(title)s'"),
        "reminder": N_("Reminder: the event '%(title)s' is coming up"),
    },
    feed=FeedContent("notes_html", None, lambda html, _: html),
    search=Searched("title", "notes", "edited_at"),
    reasons={"reminder": _l("You attend this event and asked to be reminded of it.")},
    rank=55,
))
