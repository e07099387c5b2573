"""Reminders of events and dated to-dos: each person concerned (an event's attendees, or its
followers when nobody attends; a to-do's assignee) hears of each date once, when their
reminder says (the item's choice, or else their default), through the notifications and the
outbox like milestone alerts.

`send_due_reminders(now)` is the whole job, called by the scheduler next to the milestone
alerts; it is safe to run twice or in two processes at once: each reminder is claimed by
inserting its unique SentReminder row before it is announced, in the same transaction, and a
claim that loses the race is skipped. Only the items whose dates fall in the next LOOKAHEAD
are read, through the window indexes, however many there are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workspace.activity import operations as activity
from workspace.alerts.models import (
    DEFAULT_DATED,
    DEFAULT_TIMED,
    REMINDER_HOUR,
    ReminderDefault,
    SentReminder,
)
from workspace.auth.models import User
from workspace.comments.models import Follower
from workspace.extensions import claimed, db, done_once
from workspace.notifications.operations import notify
from workspace.projects.access import may_see
from workspace.projects.models import Membership, Project, Role
from workspace.schedule.models import CalendarEvent
from workspace.schedule.queries import occurrences, overlapping
from workspace.todos.models import Todo

REMINDER = "reminder"
FOLLOWING = "following"
# The longest reminder ahead (7 days) and a day for the timezones furthest from UTC.
LOOKAHEAD = timedelta(days=9)
CHOICE = re.compile(r"([0-9]+)([mhd])")


@dataclass(frozen=True)
class Due:
    """One reminder that applies: of `item`'s date `occurs_at` (UTC; a dated item's day at
    midnight UTC), for `user`, at `remind_at`."""

    item: CalendarEvent | Todo
    occurs_at: datetime
    user: User
    remind_at: datetime
    reason: str = "reminder"  # why they hear of it: the kind's reason, or "following"


def remind_at(choice: str, occurs_at: datetime, *, dated: bool, day: date | None,
              tz: ZoneInfo) -> datetime | None:
    """When a reminder chosen as `choice` goes off: None for "none". A dated item's (its
    `day`) is at REMINDER_HOUR in the person's timezone, so many days before."""
    match = CHOICE.fullmatch(choice or "")
    if match is None:
        return None
    amount, unit = int(match[1]), match[2]
    if dated and day is not None:
        days = amount if unit == "d" else 0
        local = datetime.combine(day - timedelta(days=days), time(REMINDER_HOUR), tzinfo=tz)
        return local.astimezone(UTC)
    ahead = {"m": timedelta(minutes=amount), "h": timedelta(hours=amount),
             "d": timedelta(days=amount)}[unit]
    return occurs_at - ahead


def defaults_of(user_ids: set[int]) -> dict[int, ReminderDefault]:
    if not user_ids:
        return {}
    rows = db.session.scalars(select(ReminderDefault).where(ReminderDefault.user_id.in_(
        sorted(user_ids))))
    return {row.user_id: row for row in rows}


def choice_for(item_choice: str | None, default: ReminderDefault | None, *, dated: bool) -> str:
    if item_choice:
        return item_choice
    if dated:
        return default.dated if default else DEFAULT_DATED
    return default.timed if default else DEFAULT_TIMED


def event_reminders(now: datetime) -> Iterator[Due]:
    """The reminders of the people of event dates in the next LOOKAHEAD (`audiences`)."""
    query = select(CalendarEvent).join(Project, Project.id == CalendarEvent.project_id).where(
        Project.archived_at.is_(None)).options(selectinload(CalendarEvent.attendances))
    events = db.session.scalars(overlapping(query, now, now + LOOKAHEAD)).all()
    told = audiences(events)
    people = {user_id for ids, _ in told.values() for user_id in ids}
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_(sorted(people)), User.deactivated_at.is_(None)))} if people else {}
    defaults = defaults_of(set(users))
    for event in events:
        user_ids, reason = told[event.id]
        for occurrence in occurrences(event, now, now + LOOKAHEAD):
            if occurrence.starts_at < now:
                continue
            for user in filter(None, map(users.get, user_ids)):
                tz = ZoneInfo(user.timezone or "UTC")
                day = occurrence.starts_at.astimezone(event.tz).date() if event.all_day else None
                choice = choice_for(event.remind, defaults.get(user.id), dated=event.all_day)
                at = remind_at(choice, occurrence.starts_at, dated=event.all_day, day=day, tz=tz)
                if at is not None and at <= now:
                    yield Due(event, occurrence.starts_at, user, at, reason)


def audiences(events: Sequence[CalendarEvent]) -> dict[int, tuple[list[int], str]]:
    """Who hears of each event's dates, and why: its attendees, or when it has none, its
    followers (its author at least, unless they stopped); only those who may see it now (a
    client never hears of a private event). Two queries, whatever the number of events."""
    followed = [event.item_id for event in events if not event.attendances]
    followers: dict[int, list[int]] = {}
    if followed:
        for item_id, user_id in db.session.execute(select(Follower.item_id, Follower.user_id)
                                                   .where(Follower.item_id.in_(followed),
                                                          Follower.following.is_(True))):
            followers.setdefault(item_id, []).append(user_id)
    candidates = {event.id: ((sorted(event.attendee_ids), REMINDER) if event.attendances
                             else (sorted(followers.get(event.item_id, [])), FOLLOWING))
                  for event in events}
    roles = roles_of({user_id for ids, _ in candidates.values() for user_id in ids},
                     {event.project_id for event in events})
    return {event.id: ([user_id for user_id in candidates[event.id][0]
                        if may_see(roles.get((event.project_id, user_id)),
                                   private=event.private)], candidates[event.id][1])
            for event in events}


def roles_of(user_ids: set[int], project_ids: set[int]) -> dict[tuple[int, int], Role]:
    """The role of each of those people in each of those projects they are in."""
    if not user_ids:
        return {}
    rows = db.session.execute(select(Membership.project_id, Membership.user_id, Membership.role)
                              .where(Membership.user_id.in_(sorted(user_ids)),
                                     Membership.project_id.in_(sorted(project_ids))))
    return {(project_id, user_id): role for project_id, user_id, role in rows}


def todo_reminders(now: datetime) -> Iterator[Due]:
    """The reminders of the assignees of open to-dos due in the next LOOKAHEAD."""
    first, last = (now - timedelta(days=1)).date(), (now + LOOKAHEAD).date()
    rows = db.session.execute(
        select(Todo, User).join(User, User.id == Todo.assignee_id)
        .join(Project, Project.id == Todo.project_id)
        .where(Todo.completed_at.is_(None), Todo.due_on.between(first, last),
               Project.archived_at.is_(None), User.deactivated_at.is_(None))
    ).all()
    defaults = defaults_of({user.id for _, user in rows})
    for todo, user in rows:
        tz = ZoneInfo(user.timezone or "UTC")
        end_of_day = datetime.combine(todo.due_on + timedelta(days=1), time(), tzinfo=tz)
        if now >= end_of_day:
            continue  # over where the person is: too late to remind
        choice = choice_for(todo.remind, defaults.get(user.id), dated=True)
        occurs_at = datetime.combine(todo.due_on, time(), tzinfo=UTC)
        at = remind_at(choice, occurs_at, dated=True, day=todo.due_on, tz=tz)
        if at is not None and at <= now:
            yield Due(todo, occurs_at, user, at)


def send_due_reminders(now: datetime) -> list[SentReminder]:
    """Announce every reminder that applies and was not sent yet; returns those sent now."""
    return done_once([*event_reminders(now), *todo_reminders(now)],
                     lambda due: claim_reminder(due, now), announce)


def claim_reminder(due: Due, now: datetime) -> SentReminder | None:
    """Insert the reminder's unique row; None when another run already has it."""
    return claimed(SentReminder(item_id=due.item.item_id, occurs_at=due.occurs_at,
                                user_id=due.user.id, sent_at=now))


def announce(due: Due) -> None:
    """Record the reminder, by nobody, and tell the person (their notification settings and
    delivery schedule apply, as for any notification)."""
    event = activity.record_event(REMINDER, due.item, by=None)
    notify(event, [due.user.id], due.reason)
