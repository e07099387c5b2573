from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.extensions import db
from workspace.types import UTCDateTime, utcnow


class Role(enum.StrEnum):
    OWNER = "owner"
    MEMBER = "member"
    CLIENT = "client"

    @property
    def is_team(self) -> bool:
        """Owners and members form the team; clients are guests."""
        return self is not Role.CLIENT


RoleColumn = Enum(
    Role, native_enum=False, length=16, values_callable=lambda roles: [r.value for r in roles]
)


class Project(db.Model):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changes with anything the project's pages show that no newer event reveals (an edit,
    # a deletion, a new mark, people): see projects/versions.py. Part of the feeds' validators
    # and of the key of the overview's kept panels.
    activity_version: Mapped[int] = mapped_column(default=0)
    # Milestone alerts: judged in the project's timezone, sent as the owners set them.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    alert_days_before: Mapped[int] = mapped_column(default=2)
    alert_on_the_day: Mapped[bool] = mapped_column(default=True)
    alert_when_late: Mapped[bool] = mapped_column(default=True)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="project", cascade="all, delete-orphan", passive_deletes=True
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="project", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.name!r}>"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(RoleColumn)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class Invitation(db.Model):
    """A single-use link that brings one email address into a project with a role."""

    __tablename__ = "invitations"
    __table_args__ = (Index("ix_invitations_project_email", "project_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(RoleColumn)
    # Only a hash of the secret is stored, so a database leak does not leak working links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    project: Mapped[Project] = relationship(back_populates="invitations")
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at
