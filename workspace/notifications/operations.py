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
from sqlalchemy import and_, bindparam, select

from workspace import items
from workspace.activity.models import Event
from workspace.activity.queries import EventRow, event_rows
from workspace.auth.models import User
from workspace.comments.following import follower_ids
from workspace.comments.models import FOLLOWING_REASONS, Comment
from workspace.extensions import db, read
from workspace.links import event_url
from workspace.mail.operations import enqueue
from workspace.notifications import delivery
from workspace.notifications.models import Notification, ProjectMute
from workspace.notifications.sessions import unread_of
from workspace.notifications.stopping import stop_url
from workspace.projects.access import may_see, member_may_see
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


def notify(event: Event, candidates: Iterable[int], reason: str,
           urgent: Iterable[int] = ()) -> None:
    """Record the notification for each person concerned and queue their email (or keep it
    for their next recap: notifications.delivery): once per event, whatever the number of
    reasons (the first given wins: a mention before following). `urgent`: people whose email
    leaves at once, whatever their schedule, working hours or snooze."""
    from workspace.inbound.addresses import reply_addresses

    told = getattr(event, "notified_ids", None)  # not a column: this event's, in this request
    if told is None:
        told = event.notified_ids = set()
    candidates = set(candidates) - told
    told.update(candidates)
    muted = set(db.session.scalars(
        select(ProjectMute.user_id).where(ProjectMute.project_id == event.project_id)
    ))
    people = audience(event, candidates)
    wanting_email = {user.id for user in people
                     if user.email_notifications and user.id not in muted}
    schedules, urgent, now = delivery.settings_of(wanting_email), set(urgent), utcnow()
    emailed = []
    for user in people:
        notification = Notification(user_id=user.id, event=event)
        db.session.add(notification)
        if user.id not in wanting_email:
            continue
        planned = delivery.plan(
            user, schedules.get(user.id) or delivery.default_settings(user.id),
            mentioned=reason == "mentioned", urgent=user.id in urgent, now=now)
        if planned.waits:
            notification.waiting = True
        else:
            emailed.append((user, planned.send_at))
    reply_to = reply_addresses([user for user, _ in emailed], event)  # one query for all
    for user, send_at in emailed:
        compose(event, user, reason, reply_to.get(user.id, ""), send_at=send_at)


def compose(event: Event, user: User, reason: str, reply_to: str = "",
            send_at: datetime | None = None) -> None:
    """The email for one person, in their language, with their own reply address when
    email in is on (see workspace.inbound). `reason` is one of the reasons of the kind of
    the event's target."""
    reasons = {**FOLLOWING_REASONS, **items.kind(event.target_type).reasons}
    if not isinstance(event.subject_item_id, int):  # filled by the event's INSERT
        db.session.flush()
    with force_locale(user.locale or "en"):
        stop = stop_url(user.id, event.subject_item_id)
        context = {
            "event": event, "user": user, "reason": str(reasons[reason]), "reply_to": reply_to,
            "item_url": event_url(event, external=True), "stop_url": stop,
            "settings_url": url_for("notifications.settings", _external=True),
            "description": event.describe(),
        }
        subject = f"[{event.project.name}] {context['description']}"
        email = enqueue(user, subject, render_template("mail/notification.txt", **context),
                        render_template("mail/notification.html", **context), event=event,
                        reply_to=reply_to, unsubscribe_url=stop)
    if send_at is not None:  # outside the person's working hours, or while they snooze
        email.next_attempt_at = send_at


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

def on_mention(item: object, event: Event, mentioned: list[int],
               urgent: Iterable[int] = ()) -> None:
    """The people called in by a mention: at once, whatever their schedule (but within their
    working hours, unless the mention is urgent)."""
    notify(event, mentioned, "mentioned", urgent)


def on_new_message(message: object, event: Event) -> None:
    notify(event, message.subscriber_ids, "chosen")


def on_comment(subject: object, comment: Comment, event: Event) -> None:
    """The item's followers (its author, its commenters, the people chosen or assigned, those
    who chose to follow), less those who stopped."""
    notify(event, follower_ids(subject.item_id), "following")


def on_assignment(todo: object, event: Event) -> None:
    notify(event, [todo.assignee_id], "assigned")


def on_new_version(document: object, event: Event) -> None:
    """A document's followers (its author, those who saved a version, commented or were
    mentioned), less those who stopped."""
    notify(event, follower_ids(document.item_id), "new_version")


# -- reading ------------------------------------------------------------------------------------

def unread_count(user: User) -> int:
    """As loaded with the person's sign-in, or counted now."""
    if user.unread_notifications is not None:
        return user.unread_notifications
    return db.session.scalar(unread_of(user.id))


class Listed(NamedTuple):
    """A notification as the /notifications page lists it: when, whether read, whether its
    email waits for the person's next bundle or recap, and its event (with its actor's and
    project's names)."""

    created_at: datetime
    read_at: datetime | None
    waiting: bool
    event: EventRow


# The /notifications page's query, built once: plain columns, no objects to build. Only what
# the person may still see: a project they left, an item since made private to a client,
# leave no line.
SEEN_BY_READER = and_(Membership.project_id == Event.project_id,
                      Membership.user_id == bindparam("user_id"))
LATEST = (
    event_rows(select(Event).join(Notification, Notification.event_id == Event.id)
               .join(Membership, SEEN_BY_READER), project_names=True)
    .add_columns(Notification.created_at.label("notified_at"), Notification.read_at,
                 Notification.waiting)
    .where(Notification.user_id == bindparam("user_id"),
           member_may_see(Event.private))
    .order_by(Notification.id.desc()).limit(50)
)


def latest(user: User) -> list[Listed]:
    """The person's 50 newest notifications, with their events' actors and projects."""
    return [Listed(notified_at, read_at, waiting, EventRow(*event))
            for *event, notified_at, read_at, waiting
            in read(LATEST, {"user_id": user.id})]


class ItemGroup(NamedTuple):
    """The notifications of one item, newest first, as the page shows them together."""

    first: Listed
    notifications: list[Listed]


def by_item(listed: list[Listed]) -> list[ItemGroup]:
    """Group the page's notifications by item, each group where its newest one falls."""
    groups: dict[tuple[str, int], ItemGroup] = {}
    for notification in listed:
        key = (notification.event.subject_type, notification.event.subject_id)
        if key not in groups:
            groups[key] = ItemGroup(notification, [])
        groups[key].notifications.append(notification)
    return list(groups.values())


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
