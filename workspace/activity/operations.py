"""Recording events, always inside the transaction of the change they describe."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import and_, literal, or_, select, update

from workspace.activity.models import Event
from workspace.auth.models import User
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.projects.versions import project_changed

EXCERPT_LENGTH = 280


class Subject(Protocol):
    """What events and comments hang on: a message today, to-dos and milestones later."""

    id: int
    item_id: int
    project_id: int
    private: bool
    subject_type: str

    @property
    def title(self) -> str: ...


def excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[: EXCERPT_LENGTH - 1] + "…"


def record_event(action: str, subject: Subject, *, by: User | None,
                 target_type: str | None = None, target_id: int | None = None,
                 text: str = "") -> Event:
    """Add an event to the session; the caller's commit writes it with the change itself.
    `by` is None for what the site does on its own (a milestone's alert)."""
    db.session.flush()  # the subject and target need their ids
    event = Event(
        project_id=subject.project_id, actor=by, action=action,
        subject_type=subject.subject_type, subject_id=subject.id,
        target_type=target_type or subject.subject_type, target_id=target_id or subject.id,
        subject_item_id=subject.item_id,
        # Another target's item (a comment's) is read by the INSERT (items.References).
        target_item_id=None if target_type else subject.item_id,
        summary=subject.title[:200], excerpt=excerpt(text), private=subject.private,
    )
    db.session.add(event)
    return event


def stream_changed(project_id: int) -> None:
    """Note that events vanished or changed visibility, which adds no newer event: the feeds'
    validators include the project's version, so readers see the change."""
    project_changed(db.session(), {project_id})


def follow_privacy(subject: Subject) -> None:
    """Give every event about `subject` its current private mark."""
    follow_privacy_of(subject.project_id, subject.subject_type, [subject.id],
                      private=subject.private)


def follow_privacy_of(project_id: int, subject_type: str, subject_ids: object, *,
                      private: bool) -> None:
    """Give the events of many subjects (ids as a list or a subquery) the same mark, and the
    files attached to them (a file keeps its own mark when it has one)."""
    db.session.execute(
        update(Event)
        .where(Event.subject_type == subject_type, Event.subject_id.in_(subject_ids))
        .values(private=private)
    )
    attached = and_(ProjectFile.attached_type == subject_type,
                    ProjectFile.attached_id.in_(subject_ids))
    db.session.execute(
        update(ProjectFile).where(attached)
        .values(private=or_(ProjectFile.marked_private, literal(private)))
    )
    # The attached files' own events ("uploaded") follow their file's new mark.
    db.session.execute(
        update(Event)
        .where(Event.subject_type == "file",
               Event.subject_id.in_(select(ProjectFile.id).where(attached)))
        .values(private=select(ProjectFile.private)
                .where(ProjectFile.id == Event.subject_id).scalar_subquery())
    )
    stream_changed(project_id)
