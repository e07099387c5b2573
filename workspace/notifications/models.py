from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.activity.models import Event
from workspace.extensions import db
from workspace.types import UTCDateTime, utcnow


class Notification(db.Model):
    """An event someone should hear about, shown in-app whatever their email settings."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Its email waits for the person's next bundle or recap (their delivery schedule).
    waiting: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship()


class ProjectMute(db.Model):
    """A person who turned off email for one project."""

    __tablename__ = "project_mutes"
    __table_args__ = (UniqueConstraint("user_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)


AT_ONCE, HOURLY, DAILY = "at_once", "hourly", "daily"
SCHEDULES = (AT_ONCE, HOURLY, DAILY)


class DeliverySettings(db.Model):
    """When a person's emails leave: at once, in an hourly bundle, or in one daily recap at
    `recap_hour` of their timezone; only on `work_days` (ISO weekdays as digits, "" for every
    day) between `work_start` and `work_end` (local hours, None for all day); and not before
    `snoozed_until`. A person without a row gets everything at once, at any time."""

    __tablename__ = "delivery_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    schedule: Mapped[str] = mapped_column(String(16), default=AT_ONCE)
    recap_hour: Mapped[int] = mapped_column(default=17)
    work_days: Mapped[str] = mapped_column(String(7), default="")
    work_start: Mapped[int | None]
    work_end: Mapped[int | None]
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SentRecap(db.Model):
    """The claim that a person's bundle or recap of one period was sent: unique, inserted
    before it is written, so that two schedulers at once send it exactly once."""

    __tablename__ = "sent_recaps"
    __table_args__ = (UniqueConstraint("user_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
