from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workspace.extensions import db
from workspace.types import UTCDateTime, utcnow

ALERT_KINDS = ("before", "due", "late")


class SentAlert(db.Model):
    """The claim that one alert was sent: unique per milestone, kind and due date, inserted
    before sending, so that no second run sends it again and a new due date starts afresh."""

    __tablename__ = "sent_alerts"
    __table_args__ = (UniqueConstraint("milestone_id", "kind", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[date]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Reminder choices: how long before an item one hears of it. A timed event's reminder is that
# long before it starts; a dated item's (a to-do, an all-day event) is at REMINDER_HOUR, the
# person's time, that many days before ("" on an item: the person's default; "none": none).
REMINDER_CHOICES = ("none", "0m", "15m", "1h", "0d", "1d", "2d", "7d")
DEFAULT_TIMED, DEFAULT_DATED = "15m", "1d"
REMINDER_HOUR = 9


class SentReminder(db.Model):
    """The claim that one person was reminded of one date of an item: unique per item, date
    and person, inserted before the reminder is announced, so that a second run (or a second
    scheduler) sends nothing, and a moved date is reminded of afresh."""

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("item_id", "occurs_at", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    occurs_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReminderDefault(db.Model):
    """A person's default reminders, for the items that leave the choice to them."""

    __tablename__ = "reminder_defaults"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    timed: Mapped[str] = mapped_column(String(8), default=DEFAULT_TIMED)
    dated: Mapped[str] = mapped_column(String(8), default=DEFAULT_DATED)
