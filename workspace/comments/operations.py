"""Commenting on an item: each function is one transaction that also records the event."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import case, desc, func, select
from werkzeug.datastructures import FileStorage

from workspace import items
from workspace.activity import operations as activity
from workspace.activity.operations import Subject
from workspace.auth.models import User
from workspace.comments import following, mentions
from workspace.comments.models import Comment
from workspace.comments.signals import comment_added, uploads_attached
from workspace.extensions import db
from workspace.projects.access import ProjectAccess
from workspace.types import utcnow


def comments_on(subject: Subject) -> list[Comment]:
    """Every comment on `subject`, oldest first, with their authors: one query."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.subject_type == subject.subject_type, Comment.subject_id == subject.id)
            .options(db.joinedload(Comment.author))
            .order_by(Comment.id)
        )
    )


# A thread shows its newest comments; a link shows the ones before, a page of them at a time,
# so that a long discussion does not make its page heavy (and slow) to load.
THREAD_PAGE = 50


@dataclass
class Thread:
    """A page of the comments on an item: `comments` oldest first, `earlier` how many come
    before the first of them, `total` how many the item has, `before` the id the page ends
    before (None: the newest comments)."""

    comments: list[Comment]
    earlier: int
    total: int
    before: int | None = None
    # The people following the item who may see it (following.followers_of), when loaded.
    followers: list[User] = field(default_factory=list)


def thread_of(subject: Subject, before: int | None = None, size: int | None = None) -> Thread:
    """The `size` comments on `subject` that come just before the comment `before` (or the
    newest ones), with their authors, and the counts around them: two queries."""
    size = size or THREAD_PAGE
    of_subject = (Comment.subject_type == subject.subject_type,
                  Comment.subject_id == subject.id)
    query = select(Comment).where(*of_subject)
    if before is not None:
        query = query.where(Comment.id < before)
    shown = list(db.session.scalars(
        query.options(db.joinedload(Comment.author)).order_by(desc(Comment.id)).limit(size)
    ))[::-1]
    first_id = shown[0].id if shown else (before or 0)
    total, earlier = db.session.execute(
        select(func.count(), func.count(case((Comment.id < first_id, 1)))).where(*of_subject)
    ).one()
    return Thread(shown, earlier, total, before)


def add_comment(subject: Subject, body: str, *, by: User,
                before_commit: Callable[[Comment], object] | None = None) -> Comment:
    """Comment on `subject`; `before_commit` adds to the same transaction (attachments).
    The comment's `mentions` (not stored) say what its @mentions resolved to."""
    body_html, found = mentions_in(body, subject, by)
    comment = Comment(
        project_id=subject.project_id, subject_type=subject.subject_type, subject_id=subject.id,
        subject_item_id=subject.item_id, author=by, body=body, body_html=body_html,
    )
    comment.mentions = found
    db.session.add(comment)
    subject.comments_count += 1
    subject.last_comment_at = comment.created_at = utcnow()
    subject.last_commenter = by
    subject.comments_changed()
    db.session.flush()
    event = activity.record_event("commented", subject, by=by, target_type="comment",
                                  target_id=comment.id, text=body)
    following.follow(subject.item_id, [subject.author_id], deliberate=False)
    following.follow(subject.item_id, [by.id])
    mentions.announce(subject, event, found)
    comment_added.send(subject, comment=comment, event=event)
    if before_commit is not None:
        before_commit(comment)
    db.session.commit()
    return comment


def comment_with_files(access: ProjectAccess, subject: Subject, body: str,
                       uploads: Iterable[FileStorage]) -> Comment:
    """Comment on an item with files attached, in one transaction."""
    return add_comment(subject, body, by=access.user, before_commit=lambda comment: (
        uploads_attached.send(subject, comment=comment, access=access, uploads=uploads)))


def mentions_in(body: str, subject: Subject, by: User) -> tuple[str, mentions.Mentions]:
    """A comment's HTML and mentions: it is seen by whoever sees what it is on."""
    return mentions.render_with_mentions(body, project_id=subject.project_id,
                                         private=bool(getattr(subject, "private", False)),
                                         author=by)


def edit_comment(comment: Comment, subject: Subject, body: str, *,
                 by: User) -> mentions.Mentions:
    """Reword a comment; only the people it newly mentions are told. Returns its mentions."""
    before = mentions_in(comment.body, subject, by)[1]
    comment.body = body
    comment.body_html, found = mentions_in(body, subject, by)
    comment.edited_at = utcnow()
    event = activity.record_event("edited", subject, by=by, target_type="comment",
                                  target_id=comment.id, text=body)
    mentions.announce(subject, event, found, already=before)
    db.session.commit()
    return found


def delete_comment(comment: Comment, subject: Subject) -> None:
    """Delete a comment with its attachments and events; the item's count and last commenter
    follow."""
    items.delete(comment)
    latest = db.session.scalar(
        select(Comment)
        .where(Comment.subject_type == subject.subject_type, Comment.subject_id == subject.id)
        .order_by(desc(Comment.id))
        .limit(1)
    )
    subject.comments_count = max(subject.comments_count - 1, 0)
    subject.last_comment_at = latest.created_at if latest else None
    subject.last_commenter_id = latest.author_id if latest else None
    subject.comments_changed()
    db.session.commit()
