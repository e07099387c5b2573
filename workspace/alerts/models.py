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
