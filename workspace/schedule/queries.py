"""The occurrences of events in a span of time, with their exceptions applied: what pages and
the API show (calendars publish the rules themselves, unexpanded)."""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import subqueryload

from workspace.extensions import db
from workspace.links import item_url_prefix
from workspace.milestones.models import Milestone
from workspace.projects.access import ProjectAccess
from workspace.schedule.models import Attendance, CalendarEvent, EventException
from workspace.schedule.operations import occurrence_key
from workspace.todos.models import Todo

# Restricts a query on a model to the rows a page shows that its reader may see.
Scope = Callable[[Select, type], Select]


@dataclass(frozen=True)
class Occurrence:
    """One date of an event: where its rule puts it (`original_start`), and what it is."""

    event: CalendarEvent
    original_start: datetime
    starts_at: datetime
    ends_at: datetime
    title: str
    place: str
    cancelled: bool = False
    changed: bool = False
    exception: EventException | None = None

    @property
    def key(self) -> str:
        return occurrence_key(self.original_start)

    @property
    def own_notes(self) -> bool:
        """Whether this date has notes of its own, not the event's."""
        return self.exception is not None and self.exception.notes is not None

    @property
    def notes(self) -> str:
        return self.exception.notes if self.own_notes else self.event.notes

    @property
    def notes_html(self) -> str:
        return self.exception.notes_html or "" if self.own_notes else self.event.notes_html


def occurrences(event: CalendarEvent, after: datetime, before: datetime, *,
                with_cancelled: bool = False) -> list[Occurrence]:
    """The occurrences of `event` that overlap [after, before), first first; an occurrence
    moved into the span counts, one moved out of it does not."""
    timing = event.timing
    exceptions = {e.original_start: e for e in event.exceptions}
    found = []
    for start in timing.starts(after, before):
        exception = exceptions.pop(start, None)
        if exception is None:
            found.append(Occurrence(event, start, start, start + timing.duration, event.title,
                                    event.place))
        elif exception.starts_at < before and exception.ends_at > after:
            found.append(of_exception(event, exception))
    for exception in exceptions.values():  # moved here from outside the span
        if exception.starts_at < before and exception.ends_at > after:
            found.append(of_exception(event, exception))
    return sorted((o for o in found if with_cancelled or not o.cancelled),
                  key=lambda o: (o.starts_at, o.event.id))


def of_exception(event: CalendarEvent, exception: EventException) -> Occurrence:
    return Occurrence(event, exception.original_start, exception.starts_at, exception.ends_at,
                      exception.title, exception.place, exception.cancelled, True, exception)


def overlapping(query: Select, after: datetime, before: datetime) -> Select:
    """Events that may have an occurrence in [after, before): started before its end, and not
    over before it begins (or never over). Exceptions are loaded with them."""
    return query.where(
        CalendarEvent.starts_at < before,
        or_(CalendarEvent.last_ends_at.is_(None), CalendarEvent.last_ends_at > after),
    ).options(subqueryload(CalendarEvent.exceptions)).order_by(CalendarEvent.starts_at,
                                                               CalendarEvent.id)


def project_occurrences(access: ProjectAccess, after: datetime, before: datetime, *,
                        with_cancelled: bool = False) -> list[Occurrence]:
    """The occurrences the person may see of the project's events in [after, before)."""
    query = access.visible(select(CalendarEvent), CalendarEvent).where(
        CalendarEvent.project_id == access.project.id)
    events = db.session.scalars(overlapping(query, after, before)).all()
    return merged(occurrences(e, after, before, with_cancelled=with_cancelled) for e in events)


def merged(lists: Iterable[list[Occurrence]]) -> list[Occurrence]:
    return sorted((o for one in lists for o in one), key=lambda o: (o.starts_at, o.event.id))


@dataclass(frozen=True)
class Entry:
    """One line of a schedule page on one day: a milestone, an event's occurrence or a dated
    to-do."""

    day: date
    kind: str  # "milestone", "event" or "todo"
    title: str
    url: str
    starts_at: datetime | None = None  # a timed event's occurrence
    done: bool = False
    cancelled: bool = False
    project_name: str = ""


PER_DAY = 5  # entries a day of a month shows; the others are on that day's own page
PER_PAGE = 25  # entries a page of one day shows


@dataclass(frozen=True)
class Month:
    first: date
    weeks: list[list[date]]
    by_day: dict[date, list[Entry]]

    def shown(self, day: date) -> tuple[list[Entry], int]:
        """The first entries of a day, and how many more there are: a month stays the same
        size however many things a day holds."""
        entries = self.by_day.get(day, [])
        return entries[:PER_DAY], max(0, len(entries) - PER_DAY)

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)

    @property
    def days_with_entries(self) -> list[tuple[date, list[Entry], int]]:
        """The month's days that have something: each with its first entries and how many
        more there are."""
        return [(day, *self.shown(day)) for day in sorted(self.by_day)
                if self.first <= day < self.next]


@dataclass(frozen=True)
class DayPage:
    """One page of the entries of one day."""

    day: date
    entries: list[Entry]
    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def weeks_of(first: date, first_weekday: int) -> list[list[date]]:
    return calendar.Calendar(first_weekday).monthdatescalendar(first.year, first.month)


def event_entries(found: list[Occurrence], start: date, end: date, tz: ZoneInfo,
                  prefixes: Prefixes) -> list[Entry]:
    """An entry on each day (from `start` to `end`) that each occurrence takes, where the
    reader is (an all-day event's days are its own)."""
    entries = []
    for occurrence in found:
        event = occurrence.event
        zone = event.tz if event.all_day else tz
        first = occurrence.starts_at.astimezone(zone).date()
        last_moment = occurrence.ends_at - timedelta(seconds=1)
        last = max(first, last_moment.astimezone(zone).date())
        day = max(first, start)
        while day <= min(last, end):
            entries.append(Entry(
                day, "event", occurrence.title, prefixes.url("event", event.project_id, event.id),
                None if event.all_day or day != first else occurrence.starts_at,
                cancelled=occurrence.cancelled, project_name=prefixes.name(event.project_id)))
            day += timedelta(days=1)
    return entries


class Prefixes:
    """Item addresses and project names for many entries, from one url_for per kind and
    project (links.item_url_prefix)."""

    def __init__(self, names: dict[int, str]) -> None:
        self.names = names
        self.prefixes: dict[tuple[str, int], str] = {}

    def url(self, kind: str, project_id: int, item_id: int) -> str:
        key = (kind, project_id)
        if key not in self.prefixes:
            self.prefixes[key] = item_url_prefix(kind, project_id)
        return f"{self.prefixes[key]}{item_id}"

    def name(self, project_id: int) -> str:
        return self.names.get(project_id, "")


def schedule_month(scope: Scope, first: date, first_weekday: int, tz: ZoneInfo,
                   names: dict[int, str], mine: int | None = None) -> Month:
    """The weeks of a month with, by day, the milestones, event occurrences and dated to-dos
    in `scope` (a function restricting a query on a model to what the reader may see); only
    those of the person `mine` if given (milestones they are responsible for, events they
    attend, to-dos assigned to them). Four queries, whatever the month holds."""
    weeks = weeks_of(first, first_weekday)
    return Month(first, weeks, dated_entries(scope, weeks[0][0], weeks[-1][-1], tz, names,
                                             mine))


def schedule_day(scope: Scope, day: date, page: int, tz: ZoneInfo, names: dict[int, str],
                 mine: int | None = None) -> DayPage:
    """Page `page` of what a day holds (as on a month, see `schedule_month`); past the end,
    the last page."""
    entries = dated_entries(scope, day, day, tz, names, mine).get(day, [])
    pages = max(1, math.ceil(len(entries) / PER_PAGE))
    page = min(max(page, 1), pages)
    return DayPage(day, entries[(page - 1) * PER_PAGE:page * PER_PAGE], page, pages)


def dated_entries(scope: Scope, start: date, end: date, tz: ZoneInfo, names: dict[int, str],
                  mine: int | None = None) -> dict[date, list[Entry]]:
    """By day from `start` to `end`, the milestones, event occurrences and dated to-dos in
    `scope`, in the order a day shows them."""
    prefixes = Prefixes(names)
    entries: list[Entry] = []
    milestones = scope(select(Milestone.id, Milestone.project_id, Milestone.title,
                              Milestone.due_on, Milestone.completed_at), Milestone)
    if mine is not None:
        milestones = milestones.where(Milestone.responsible_id == mine)
    for row in db.session.execute(milestones.where(Milestone.due_on.between(start, end))):
        entries.append(Entry(row.due_on, "milestone", row.title,
                             prefixes.url("milestone", row.project_id, row.id),
                             done=row.completed_at is not None,
                             project_name=prefixes.name(row.project_id)))
    todos = scope(select(Todo.id, Todo.project_id, Todo.text, Todo.due_on, Todo.completed_at),
                  Todo).where(Todo.due_on.between(start, end))
    if mine is not None:
        todos = todos.where(Todo.assignee_id == mine)
    for row in db.session.execute(todos):
        entries.append(Entry(row.due_on, "todo", row.text,
                             prefixes.url("todo", row.project_id, row.id),
                             done=row.completed_at is not None,
                             project_name=prefixes.name(row.project_id)))
    after = datetime.combine(start - timedelta(days=1), time(), tzinfo=UTC)
    before = datetime.combine(end + timedelta(days=2), time(), tzinfo=UTC)
    events_query = scope(select(CalendarEvent), CalendarEvent)
    if mine is not None:
        events_query = events_query.where(CalendarEvent.id.in_(
            select(Attendance.event_id).where(Attendance.user_id == mine)))
    events = db.session.scalars(overlapping(events_query, after, before)).all()
    found = merged(occurrences(event, after, before, with_cancelled=True) for event in events)
    entries.extend(event_entries(found, start, end, tz, prefixes))
    by_day: dict[date, list[Entry]] = {}
    order = {"milestone": 0, "event": 1, "todo": 2}
    for entry in sorted(entries, key=lambda e: (e.day, order[e.kind], e.starts_at is not None,
                                                e.starts_at or e.day, e.title)):
        by_day.setdefault(entry.day, []).append(entry)
    return by_day
