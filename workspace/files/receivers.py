"""How files follow what happens to what they hang on: attached to a new comment, private
with their item. Connected by the app factory."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, literal, or_, select, update
from werkzeug.datastructures import FileStorage

from workspace.activity.models import Event
from workspace.activity.signals import private_mark_changed
from workspace.comments.models import Comment
from workspace.comments.signals import uploads_attached
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.files.operations import attach, stored_blobs
from workspace.projects.access import ProjectAccess


def connect_signals() -> None:
    uploads_attached.connect(store_attachments)
    private_mark_changed.connect(follow_subject_privacy)


def store_attachments(subject: object, *, comment: Comment, access: ProjectAccess,
                      uploads: Iterable[FileStorage], **extra: object) -> None:
    """Store the files that came with a comment, attached to it; what was stored is removed
    if this fails."""
    with stored_blobs() as stored:
        attach(access, uploads, stored, to=subject, comment=comment)
        db.session.flush()


def follow_subject_privacy(subject_type: str, *, subject_ids: object, private: bool,
                           **extra: object) -> None:
    """The files attached to items take their new mark (a file keeps its own mark when it has
    one), and so do the files' own events ("uploaded")."""
    attached = and_(ProjectFile.attached_type == subject_type,
                    ProjectFile.attached_id.in_(subject_ids))
    db.session.execute(
        update(ProjectFile).where(attached)
        .values(private=or_(ProjectFile.marked_private, literal(private)))
    )
    db.session.execute(
        update(Event)
        .where(Event.subject_type == "file",
               Event.subject_id.in_(select(ProjectFile.id).where(attached)))
        .values(private=select(ProjectFile.private)
                .where(ProjectFile.id == Event.subject_id).scalar_subquery())
    )
