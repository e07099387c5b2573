"""Who hears about what: in-app notifications for everyone concerned, and email for those who
want it. Called inside the transaction of the change, so nothing is announced that did not
happen, and nothing that happened goes unannounced."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from workspace import items
from workspace.activity.models import Event
from workspace.activity.queries import EventRow, event_rows
from workspace.auth.models import User
from workspace.comments.following import follower_ids
from workspace.comments.models import FOLLOWING_REASONS, Comment
from workspace.extensions import db
from workspace.links import event_url
from workspace.mail.operations import enqueue
from workspace.notifications.models import Notification, ProjectMute
from workspace.notifications.stopping import stop_url
from workspace.projects.access import may_see
from workspace.projects.models import Membership
from workspace.types import utcnow


def audience(event: Event, candidates: Iterable[int]) -> list[User]:
    """Of `candidates`, the people in the project who may see the event, minus its author."""
    wanted = set(candidates) - {event.actor_id}
    if not wanted:
        return []
    rows = db.session.execute(
        select(User, Membership.role).join(Membership, Membership.user_id == User.id)
        .where(Membership.project_id == event.project_id, User.id.in_(wanted))
    ).all()
    return [user for user, role in rows if may_see(role, private=event.private)]


def notify(event: Event, candidates: Iterable[int], reason: str) -> None:
    """Record the notification for each person concerned and queue their email: once per
    event, whatever the number of reasons (the first given wins: a mention before following)."""
    from workspace.inbound.addresses import reply_addresses

    told = getattr(event, "notified_ids", None)  # not a column: this event's, in this request
    if told is None:
        told = event.notified_ids = set()
    candidates = set(candidates) - told
    told.update(candidates)
    muted = set(db.session.scalars(
        select(ProjectMute.user_id).where(ProjectMute.project_id == event.project_id)
    ))
    emailed = []
    for user in audience(event, candidates):
        db.session.add(Notification(user_id=user.id, event=event))
        if user.email_notifications and user.id not in muted:
            emailed.append(user)
    reply_to = reply_addresses(emailed, event)  # one query for everyone's reply keys
    for user in emailed:
        compose(event, user, reason, reply_to.get(user.id, ""))


def compose(event: Event, user: User, reason: str, reply_to: str = "") -> None:
    """The email for one person, in their language, with their own reply address when
    email in is on (see workspace.inbound). `reason` is one of the reasons of the kind of
    the event's target."""
    reasons = {**FOLLOWING_REASONS, **items.kind(event.target_type).reasons}
    with force_locale(user.locale or "en"):
        stop = stop_url(user.id, event.subject_item_id)
        context = {
            "event": event, "user": user, "reason": str(reasons[reason]), "reply_to": reply_to,
            "item_url": event_url(event, external=True), "stop_url": stop,
            "settings_url": url_for("notifications.settings", _external=True),
            "description": event.describe(),
        }
        subject = f"[{event.project.name}] {context['description']}"
        enqueue(user, subject, render_template("mail/notification.txt", **context),
                render_template("mail/notification.html", **context), event=event,
                reply_to=reply_to, unsubscribe_url=stop)


def compose_invitation(invitation: object, link: str) -> None:
    """The invitation email, in the inviter's language (the invitee's is not known yet)."""
    inviter = invitation.invited_by
    context = {"invitation": invitation, "link": link, "inviter": inviter,
               "days": current_app.config["INVITATION_DAYS"]}
    subject = _("%(name)s invites you to %(project)s",
                name=inviter.name if inviter else "Workspace", project=invitation.project.name)
    enqueue(invitation.email, subject, render_template("mail/invitation.txt", **context),
            render_template("mail/invitation.html", **context))


# -- the rules --------------------------------------------------------------------------------

def on_mention(item: object, event: Event, mentioned: list[int]) -> None:
    """The people called in by a mention: at once, whatever else they hear."""
    notify(event, mentioned, "mentioned")


def on_new_message(message: object, event: Event) -> None:
    notify(event, message.subscriber_ids, "chosen")


def on_comment(subject: object, comment: Comment, event: Event) -> None:
    """The item's followers (its author, its commenters, the people chosen or assigned, those
    who chose to follow), less those who stopped."""
    notify(event, follower_ids(subject.item_id), "following")


def on_assignment(todo: object, event: Event) -> None:
    notify(event, [todo.assignee_id], "assigned")


# -- reading ------------------------------------------------------------------------------------

def unread_count(user: User) -> int:
    """As loaded with the person's sign-in, or counted now."""
    if user.unread_notifications is not None:
        return user.unread_notifications
    return db.session.scalar(
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


class Listed(NamedTuple):
    """A notification as the /notifications page lists it: when, whether read, and its event
    (with its actor's and project's names)."""

    created_at: datetime
    read_at: datetime | None
    event: EventRow


# The /notifications page's query, built once: plain columns, no objects to build.
LATEST = (
    event_rows(select(Event).join(Notification, Notification.event_id == Event.id),
               project_names=True)
    .add_columns(Notification.created_at.label("notified_at"), Notification.read_at)
    .where(Notification.user_id == bindparam("user_id"))
    .order_by(Notification.id.desc()).limit(50)
)


def latest(user: User) -> list[Listed]:
    """The person's 50 newest notifications, with their events' actors and projects."""
    return [Listed(notified_at, read_at, EventRow(*event))
            for *event, notified_at, read_at in db.session.execute(LATEST, {"user_id": user.id})]


def mark_all_read(user: User) -> None:
    db.session.execute(
        Notification.__table__.update()
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()


def set_email_preferences(user: User, *, enabled: bool, muted_projects: set[int]) -> None:
    user.email_notifications = enabled
    db.session.execute(ProjectMute.__table__.delete().where(ProjectMute.user_id == user.id))
    db.session.add_all(ProjectMute(user_id=user.id, project_id=project_id)
                       for project_id in muted_projects)
    db.session.commit()
