"""What calendars publish: the milestones and dated to-dos of a window of months around today,
plus whatever is still open whatever its date, and the events that have a date in the
window (a recurring one with its rule and exceptions, unexpanded); and validators, read
before anything is built, that change whenever any of that may have changed.

A project's calendar holds all of its dated to-dos; a person's calendar, across their projects,
holds the milestones and only the to-dos assigned to them, as Basecamp's "My schedule" does:
the team's to-dos of fifty projects would bury the person's own under a few hundred a day."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Row, Select, select, union_all

from workspace.activity.models import Event
from workspace.activity.queries import one_project_freshness
from workspace.activity.streams import visible_streams
from workspace.auth.models import User
from workspace.conditional import Freshness
from workspace.extensions import db
from workspace.milestones.models import Milestone
from workspace.projects.access import (
    ProjectAccess,
    effective_role,
    restrict_to_visible,
    rows_digest,
)
from workspace.projects.models import Role
from workspace.schedule.models import Attendance, CalendarEvent, EventException
from workspace.todos.models import Todo

MONTHS_BEFORE = 3
MONTHS_AFTER = 12

# What a calendar shows of each item, read as plain rows: no ORM objects to build.
MILESTONE_COLUMNS = (
    Milestone.id, Milestone.project_id, Milestone.title, Milestone.due_on, Milestone.notes,
    Milestone.created_at, Milestone.edited_at, Milestone.completed_at, Milestone.revision,
    User.name.label("responsible"),
)
TODO_COLUMNS = (
    Todo.id, Todo.project_id, Todo.text.label("title"), Todo.due_on, Todo.notes,
    Todo.created_at, Todo.edited_at, Todo.completed_at, Todo.revision,
)

EVENT_COLUMNS = (
    CalendarEvent.id, CalendarEvent.project_id, CalendarEvent.title, CalendarEvent.place,
    CalendarEvent.notes, CalendarEvent.starts_at, CalendarEvent.ends_at, CalendarEvent.all_day,
    CalendarEvent.timezone, CalendarEvent.rule, CalendarEvent.created_at,
    CalendarEvent.edited_at, CalendarEvent.revision,
)
EXCEPTION_COLUMNS = (
    EventException.event_id, EventException.original_start, EventException.cancelled,
    EventException.title, EventException.place, EventException.notes, EventException.starts_at,
    EventException.ends_at, EventException.revision,
)
ATTENDEE_COLUMNS = (Attendance.event_id, User.name, User.email)
# Any timezone's day overlaps these UTC bounds around a window's dates.
DAY_MARGIN = timedelta(days=1)

# Restricts a query on a model (Milestone or Todo) to the rows of the calendar's projects that
# its reader may see: `ProjectAccess.visible` for a project's calendar, `across` for a person's.
Scope = Callable[[Select, type], Select]


def month_start(day: date, months: int) -> date:
    """The first day of the month `months` after (or before, if negative) that of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Window:
    """The dates a calendar covers. It moves a month at a time, so that a calendar's validator
    stays the same for a month when nothing else changes."""

    start: date
    end: date  # inclusive
    since: datetime  # when it last moved: the calendar may have changed then

    @classmethod
    def around(cls, today: date) -> Window:
        return cls(start=month_start(today, -MONTHS_BEFORE),
                   end=month_start(today, MONTHS_AFTER + 1) - timedelta(days=1),
                   since=datetime.combine(month_start(today, 0), time(), tzinfo=UTC))


def in_window(query: Select, model: type, window: Window, scope: Scope) -> list[Row]:
    """The rows of `query` (on `model`) for the items in `scope` that are open and dated, or
    finished and due within the window, by due date. Each half reads one index range per
    project, (project_id, completed_at, due_on) or (project_id, due_on), so old finished items
    cost nothing however many there are."""
    halves = (
        query.where(model.completed_at.is_(None), model.due_on.is_not(None)),
        query.where(model.due_on.between(window.start, window.end),
                    model.completed_at.is_not(None)),
    )
    rows = db.session.execute(union_all(*(scope(half, model) for half in halves))).all()
    return sorted(rows, key=lambda row: (row.due_on, row.id))


def milestones_in(window: Window, scope: Scope) -> list[Row]:
    query = select(*MILESTONE_COLUMNS).outerjoin(User, User.id == Milestone.responsible_id)
    return in_window(query, Milestone, window, scope)


def todos_in(window: Window, scope: Scope, assignee: User | None = None) -> list[Row]:
    """The dated to-dos in `scope`, or only those assigned to `assignee`."""
    query = select(*TODO_COLUMNS)
    if assignee is not None:
        query = query.where(Todo.assignee_id == assignee.id)
    return in_window(query, Todo, window, scope)


def event_halves(query: Select, window: Window) -> tuple[Select, Select]:
    """Events with a date in the window: started before its end, and either never over (a
    rule without end) or over after its start; each half one index range per project,
    (project_id, last_ends_at, starts_at)."""
    before = datetime.combine(window.end, time(), tzinfo=UTC) + 2 * DAY_MARGIN
    after = datetime.combine(window.start, time(), tzinfo=UTC) - DAY_MARGIN
    return (
        query.where(CalendarEvent.last_ends_at.is_(None), CalendarEvent.starts_at < before),
        query.where(CalendarEvent.last_ends_at > after, CalendarEvent.starts_at < before),
    )


@dataclass(frozen=True)
class EventRows:
    """The events of a calendar, the exceptions of each and the attendees (name, email) of
    those whose people's addresses the reader may see (by event id)."""

    events: list[Row]
    exceptions: dict[int, list[Row]]
    attendees: dict[int, list[Row]] = field(default_factory=dict)


def events_in(window: Window, scope: Scope, addresses_in: Collection[int] = ()) -> EventRows:
    """The events in `scope` with a date in the window, their exceptions, and the attendees
    of those in the projects `addresses_in` (where the reader sees people's addresses, as on
    the project's people page): three queries at most."""
    events = db.session.execute(union_all(*(
        scope(half, CalendarEvent) for half in event_halves(select(*EVENT_COLUMNS), window)
    ))).all()
    exceptions: dict[int, list[Row]] = {}
    if events:
        joined = select(*EXCEPTION_COLUMNS).join(
            CalendarEvent, CalendarEvent.id == EventException.event_id)
        for row in db.session.execute(union_all(*(
            scope(half, CalendarEvent) for half in event_halves(joined, window)
        ))):
            exceptions.setdefault(row.event_id, []).append(row)
    for found in exceptions.values():
        found.sort(key=lambda row: row.original_start)
    return EventRows(sorted(events, key=lambda row: (row.starts_at, row.id)), exceptions,
                     attendees_of([row.id for row in events if row.project_id in addresses_in]))


def attendees_of(event_ids: list[int]) -> dict[int, list[Row]]:
    """The attendees of those events, by name, by event id: one query (none without ids)."""
    found: dict[int, list[Row]] = {}
    if event_ids:
        for row in db.session.execute(select(*ATTENDEE_COLUMNS)
                                      .join(User, User.id == Attendance.user_id)
                                      .where(Attendance.event_id.in_(event_ids))
                                      .order_by(User.name, User.id)):
            found.setdefault(row.event_id, []).append(row)
    return found


def across(user: User, project_ids: list[int]) -> Scope:
    """The items of those projects that `user` may see. Naming the projects, not only joining
    the person's memberships, lets every database read the per-project indexes, a site
    administrator's calendar too."""

    def scope(query: Select, model: type) -> Select:
        return restrict_to_visible(query.where(model.project_id.in_(project_ids)), user, model)

    return scope


def project_freshness(access: ProjectAccess, window: Window) -> Freshness:
    """Every change to a milestone or to-do records an event, a deletion or a change of
    visibility bumps the project's activity version; the name is the calendar's title."""
    project = access.project
    version = (f"calendar.{window.start}.{access.user.id}.{access.role}."
               f"{project.activity_version}.{project.name}")
    return moved_with(one_project_freshness(access, version), window)


def personal_freshness(user: User, window: Window) -> tuple[Freshness, list[int], set[int]]:
    """The validators of a person's calendar, the projects it covers and those where they
    see people's addresses (the team's): one query for every project's version and newest
    visible event, and one for the newest one's time."""
    streams = db.session.execute(visible_streams(user)).all()
    newest_id = max((row.newest_event_id or 0 for row in streams), default=0)
    newest_at = db.session.scalar(
        select(Event.created_at).where(Event.id == newest_id)) if newest_id else None
    fresh = Freshness(f"calendar.{window.start}.{user.id}.{rows_digest(streams)}", newest_at)
    team = {row.id for row in streams if (effective_role(user, row.role) or Role.CLIENT).is_team}
    return moved_with(fresh, window), [row.id for row in streams], team


def moved_with(fresh: Freshness, window: Window) -> Freshness:
    """A calendar is as new as its newest event or as its window, whichever moved last."""
    newest = fresh.last_modified
    return Freshness(fresh.etag, max(newest, window.since) if newest else window.since)
