"""The message board: posting, editing and deleting messages, and who hears about them."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from workspace import items
from workspace.activity import operations as activity
from workspace.comments.following import follow_new_item
from workspace.comments.mentions import Mentions, announce, render_with_mentions, resolve
from workspace.extensions import db
from workspace.files.operations import attach, stored_blobs
from workspace.messages.models import Message, Subscription
from workspace.messages.signals import message_posted
from workspace.projects.access import NotAllowed, ProjectAccess
from workspace.projects.models import Membership, Project
from workspace.types import utcnow

BOARD_PAGE_SIZE = 25


class ClientCannotMarkPrivate(NotAllowed):
    description = _l("Only the team can mark a message private.")


def audience(project: Project, *, private: bool) -> list[Membership]:
    """The people who may hear about a message: the team, and clients unless it is private."""
    memberships = db.session.scalars(
        select(Membership).where(Membership.project_id == project.id)
        .options(db.joinedload(Membership.user))
    ).all()
    return [m for m in memberships if m.role.is_team or not private]


def post_message(access: ProjectAccess, *, title: str, body: str, private: bool,
                 notify: Iterable[int], attachments: Iterable[FileStorage] = ()) -> Message:
    if private and not access.may_mark_private:
        raise ClientCannotMarkPrivate()
    with stored_blobs() as stored:
        message = new_message(access, title=title, body=body, private=private, notify=notify)
        attach(access, attachments, stored, to=message)
        db.session.commit()
    return message


def new_message(access: ProjectAccess, *, title: str, body: str, private: bool,
                notify: Iterable[int]) -> Message:
    now = utcnow()
    body_html, found = render_with_mentions(body, project_id=access.project.id,
                                            private=private, author=access.user)
    message = Message(
        project_id=access.project.id, author=access.user, title=title.strip(), body=body,
        body_html=body_html, private=private, created_at=now, last_activity_at=now,
    )
    message.mentions = found  # not stored: for the view to tell the author
    db.session.add(message)
    allowed = {m.user_id for m in audience(access.project, private=private)}
    message.subscriptions = [Subscription(user_id=uid) for uid in set(notify) & allowed]
    event = activity.record_event("created", message, by=access.user, text=body)
    follow_new_item(message, *(s.user_id for s in message.subscriptions))
    announce(message, event, found)
    message_posted.send(message, event=event)
    return message


def edit_message(access: ProjectAccess, message: Message, *, title: str, body: str,
                 private: bool) -> Mentions:
    """Change a message; changing its private mark changes who sees it and its trail. The
    people it newly mentions are told; returns its mentions."""
    if private != message.private and not access.may_mark_private:
        raise ClientCannotMarkPrivate()
    privacy_changed = private != message.private
    before = resolve(message.body, project_id=access.project.id, private=private,
                     author=access.user)
    message.title, message.body, message.private = title.strip(), body, private
    message.body_html, found = render_with_mentions(body, project_id=access.project.id,
                                                    private=private, author=access.user)
    message.edited_at = utcnow()
    if private:
        team = {m.user_id for m in audience(access.project, private=True)}
        message.subscriptions = [s for s in message.subscriptions if s.user_id in team]
    event = activity.record_event("edited", message, by=access.user, text=body)
    announce(message, event, found, already=before)
    if privacy_changed:
        activity.follow_privacy(message)
    db.session.commit()
    return found


def delete_message(message: Message) -> None:
    """Delete a message with its comments, attachments and trail (`items.delete`)."""
    items.delete(message)
    db.session.commit()


def board_page(access: ProjectAccess, page: int) -> Pagination:
    """A page of the board, the thread posted or commented on last first (as Basecamp
    does), with authors and last commenters in the same query."""
    query = access.visible(select(Message), Message).options(
        db.joinedload(Message.author), db.joinedload(Message.last_commenter)
    ).order_by(Message.last_activity_at.desc(), Message.id.desc())
    return db.paginate(query, page=page, per_page=BOARD_PAGE_SIZE, error_out=False)
