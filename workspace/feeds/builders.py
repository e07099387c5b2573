"""Atom and RSS documents, built with feedgen, and iCalendar ones, written by `ical`."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from flask import current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from icalendar import Timezone
from lxml import etree
from markupsafe import escape
from sqlalchemy import Row

from workspace.activity.models import describe
from workspace.activity.queries import EventRow
from workspace.feeds import ical
from workspace.feeds.calendars import EventRows
from workspace.kept import kept_by_app
from workspace.links import EventAddresses, item_url_prefix
from workspace.types import utcnow


def tag_authority() -> str:
    """The domain in every tag: URI; configurable so ids survive a change of address."""
    return current_app.config.get("WORKSPACE_TAG_AUTHORITY") or request.host.split(":")[0]


def tag(created: datetime | date, specific: str, authority: str | None = None) -> str:
    """A tag: URI (RFC 4151); a feed of fifty entries passes its `authority` once found."""
    day = created.date() if isinstance(created, datetime) else created
    return f"tag:{authority or tag_authority()},{day.isoformat()}:{specific}"


DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class Creators(BaseExtension):
    """The feed's side of `Creator`: declares the namespace."""

    def extend_ns(self) -> dict[str, str]:
        return {"dc": DUBLIN_CORE}


class Creator(BaseEntryExtension):
    """An RSS item's dc:creator, as feedgen's `dc` extension writes it; that one looks for
    fifteen Dublin Core elements in every item (15 µs each, a third of an item's cost)."""

    def __init__(self) -> None:
        self.creator: str | None = None

    def extend_rss(self, item: etree._Element) -> etree._Element:
        if self.creator is not None:
            xml_elem(f"{{{DUBLIN_CORE}}}creator", item).text = self.creator
        return item


def activity_feed(*, kind: str, feed_id: str, title: str, page_url: str, self_url: str,
                  entries: list[tuple[EventRow, str]], updated: datetime | None) -> bytes:
    """The Atom or RSS document (`kind`) of these events (rows of `latest_entries`, newest
    first), each with its content's HTML.

    An entry's XML depends only on its event, its content, the language and the address it is
    read at: the worker keeps what feedgen wrote of each (`KEPT_ENTRIES`), and feedgen writes
    only the entries it has not written yet, in the document of the feed's own fields."""
    shared = (kind, str(get_locale()), request.url_root, tag_authority())
    kept = kept_by_app("feed-entries", KEPT_ENTRIES)
    keys = [(*shared, event, html) for event, html in entries]
    written = kept.get_many(keys)
    missing = [index for index, xml in enumerate(written) if xml is None]
    feed = feed_of(kind, feed_id=feed_id, title=title, page_url=page_url, self_url=self_url,
                   updated=updated)
    add_entries(feed, kind, [entries[index] for index in missing], authority=shared[3])
    head, new_entries, tail = split_document(
        feed.atom_str(pretty=False) if kind == "atom" else feed.rss_str(pretty=False), kind)
    for index, xml in zip(missing, new_entries, strict=True):
        kept.put(keys[index], xml)
        written[index] = xml
    return b"".join([head, *written, tail])


# A person reads a few feeds; a worker keeps the entries of many (about 1 KB each).
KEPT_ENTRIES = 4096
# How an entry starts and the document ends, in what feedgen writes: an entry's text never holds
# them (its "<" are escaped), so the document splits there.
ENTRY_START = {"atom": b"<entry>", "rss": b"<item>"}
DOCUMENT_END = {"atom": b"</feed>", "rss": b"</channel></rss>"}


def feed_of(kind: str, *, feed_id: str, title: str, page_url: str, self_url: str,
            updated: datetime | None) -> FeedGenerator:
    """A feed with its own fields and no entries."""
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.link(href=page_url, rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.description(title)
    feed.language(str(get_locale()))
    feed.updated(updated or utcnow())
    feed.generator("Workspace")
    if kind != "atom":
        # RSS has no author without an email: dc:creator names them (Atom has its <author>).
        feed.register_extension("dc", Creators, Creator, atom=False, rss=True)
    return feed


def add_entries(feed: FeedGenerator, kind: str, entries: list[tuple[EventRow, str]], *,
                authority: str) -> None:
    """feedgen keeps both formats' fields of every entry; only those `kind` publishes are given
    (each costs a check of its values), as are the entries' categories, made once a project."""
    atom = kind == "atom"
    addresses, someone = EventAddresses(external=True), _("Someone")
    categories: dict[str, dict[str, str]] = {}
    for event, html in entries:
        entry = feed.add_entry(order="append")
        entry.id(tag(event.created_at, f"event/{event.id}", authority))  # and the RSS guid
        title = describe(event.action, event.target_type, event.actor_name, event.summary,
                         event.excerpt)
        entry.title(title)
        author = event.actor_name if event.actor_name is not None else someone
        if atom:
            entry.author({"name": author})
            entry.updated(event.created_at)
        else:
            entry.dc.creator = author
        entry.published(event.created_at)
        entry.link(href=addresses.of(event), rel="alternate")
        # An entry without HTML of its own shows its text, escaped: it is sent as HTML.
        entry.content(html or str(escape(event.excerpt or title)), type="html")
        if event.project_name not in categories:
            categories[event.project_name] = {"term": event.project_name}
        entry.category(categories[event.project_name])


def split_document(document: bytes, kind: str) -> tuple[bytes, list[bytes], bytes]:
    """(the document up to its first entry, each entry, the end) of what feedgen wrote."""
    end = DOCUMENT_END[kind]
    if not document.endswith(end):
        raise ValueError(f"a {kind} document ends with {end!r}")
    body = document[: -len(end)]
    start = ENTRY_START[kind]
    first = body.find(start)
    if first < 0:
        return body, [], end
    return body[:first], [start + part for part in body[first + len(start):].split(start)], end


PRODID = "-//Workspace//Milestones//EN"


@dataclass
class CalendarContext:
    """What every entry of one calendar shares: computed once, not once per entry."""

    authority: str  # escaped for a TEXT value
    labels: dict[bool, str]  # completed? -> the word saying so
    prefixes: dict[tuple[str, int], str] = field(default_factory=dict)

    def url(self, subject_type: str, project_id: int, item_id: int) -> str:
        key = (subject_type, project_id)
        if key not in self.prefixes:
            self.prefixes[key] = item_url_prefix(subject_type, project_id, external=True)
        return f"{self.prefixes[key]}{item_id}"


class TodoForm(enum.Enum):
    """How a calendar publishes dated to-dos. Most calendar apps (Google Calendar, Outlook,
    khal…) never show a VTODO: all-day events are the default, tasks a feed option."""

    VEVENT = "vevent"
    VTODO = "vtodo"


def calendar(*, name: str, milestones: Sequence[Row], todos: Sequence[Row],
             events: EventRows | None = None, todo_form: TodoForm = TodoForm.VEVENT,
             until: date | None = None) -> bytes:
    """Milestones as all-day events, dated to-dos as all-day events or as VTODOs, events
    with their rules, exceptions and timezones, from the rows of `workspace.feeds.calendars`:
    the iCalendar document's bytes. `until`: the last day the timezones must describe."""
    labels = {True: _("Completed"), False: _("Open")}
    context = CalendarContext(ical.text(tag_authority()), labels)
    todo_entry = todo_event if todo_form is TodoForm.VEVENT else todo_task
    events = events or EventRows([], {})
    attendees = {event_id: attendee_lines(rows) for event_id, rows in events.attendees.items()}
    return ical.document(
        [f"PRODID:{PRODID}", "VERSION:2.0", f"X-WR-CALNAME:{ical.text(name)}"],
        [*timezones(events.events, until or utcnow().date()),
         *(milestone_event(row, context) for row in milestones),
         *(todo_entry(row, context) for row in todos),
         *(part for row in events.events
           for part in event_components(row, events.exceptions.get(row.id, []), context,
                                        attendees.get(row.id, [])))],
    )


def timezones(events: Sequence[Row], until: date) -> list[list[str]]:
    """A VTIMEZONE for each timezone a timed event is written in (RFC 5545 3.6.5), from the
    year of its first event to `until`."""
    first_years: dict[str, int] = {}
    for row in events:
        if not row.all_day:
            year = row.starts_at.astimezone(ZoneInfo(row.timezone)).year
            first_years[row.timezone] = min(year, first_years.get(row.timezone, year))
    return [list(vtimezone(name, year, until.year + 1)) for name, year in
            sorted(first_years.items())]


@lru_cache(maxsize=256)
def vtimezone(name: str, first_year: int, last_year: int) -> tuple[str, ...]:
    """The lines of a timezone's VTIMEZONE over those years, as icalendar writes it."""
    component = Timezone.from_tzid(name, first_date=date(first_year, 1, 1),
                                   last_date=date(last_year, 12, 31))
    return tuple(line for line in component.to_ical().decode().split("\r\n") if line)


def local(value: datetime, zone: str, all_day: bool, name: str) -> str:
    """A DTSTART-like property: a DATE for an all-day event, else a local time with TZID."""
    moment = value.astimezone(ZoneInfo(zone))
    if all_day:
        return f"{name};VALUE=DATE:{ical.day(moment.date())}"
    return f"{name};TZID={zone}:{moment.strftime('%Y%m%dT%H%M%S')}"


def attendee_lines(attendees: Sequence[Row]) -> list[str]:
    """ATTENDEE properties: each person's name and address (given only to a reader who may
    see people's addresses)."""
    return [f"ATTENDEE;CN={ical.parameter(row.name)};ROLE=REQ-PARTICIPANT:mailto:{row.email}"
            for row in attendees]


def event_components(event: Row, exceptions: Sequence[Row], context: CalendarContext,
                     attendees: Sequence[str] = ()) -> list[list[str]]:
    """An event's VEVENT, with its RRULE, the EXDATEs of its cancelled occurrences and its
    `attendees` lines, then a VEVENT for each changed or cancelled occurrence (RECURRENCE-ID;
    STATUS:CANCELLED), with the attendees too: an override replaces the whole occurrence."""
    uid = f"event-{event.id}@{context.authority}"
    url = context.url("event", event.project_id, event.id)
    zone, all_day = event.timezone, event.all_day
    stamp = ical.instant(max(filter(None, (event.created_at, event.edited_at))))
    lines = [
        f"UID:{uid}", f"SEQUENCE:{event.revision}", f"DTSTAMP:{stamp}",
        f"SUMMARY:{ical.text(event.title)}",
        local(event.starts_at, zone, all_day, "DTSTART"),
        local(event.ends_at, zone, all_day, "DTEND"),
    ]
    if event.rule:
        lines.append(f"RRULE:{event.rule}")
        lines.extend(local(e.original_start, zone, all_day, "EXDATE")
                     for e in exceptions if e.cancelled)
    if event.place:
        lines.append(f"LOCATION:{ical.text(event.place)}")
    lines += ["STATUS:CONFIRMED", f"URL:{url}",
              f"LAST-MODIFIED:{ical.instant(event.edited_at or event.created_at)}"]
    if event.notes:
        lines.append(f"DESCRIPTION:{ical.text(event.notes)}")
    components = [ical.component("VEVENT", [*lines, *attendees])]
    for exception in exceptions:
        override = [
            f"UID:{uid}", f"SEQUENCE:{event.revision}", f"DTSTAMP:{stamp}",
            local(exception.original_start, zone, all_day, "RECURRENCE-ID"),
            f"SUMMARY:{ical.text(exception.title)}",
            local(exception.starts_at, zone, all_day, "DTSTART"),
            local(exception.ends_at, zone, all_day, "DTEND"),
            "STATUS:CANCELLED" if exception.cancelled else "STATUS:CONFIRMED",
            f"URL:{url}",
        ]
        if exception.place:
            override.append(f"LOCATION:{ical.text(exception.place)}")
        notes = event.notes if exception.notes is None else exception.notes
        if notes:  # an override replaces the whole occurrence: the event's notes too
            override.append(f"DESCRIPTION:{ical.text(notes)}")
        components.append(ical.component("VEVENT", [*override, *attendees]))
    return components


def last_revised(item: Row) -> datetime:
    """DTSTAMP of a published calendar is when the item was last revised (RFC 5545 3.8.7.2):
    the same bytes until something changes, so the calendar's ETag holds between polls."""
    return max(filter(None, (item.created_at, item.edited_at, item.completed_at)))


def milestone_event(milestone: Row, context: CalendarContext) -> list[str]:
    return ical.component("VEVENT", all_day_event(
        f"milestone-{milestone.id}@{context.authority}", milestone, milestone.title,
        context.url("milestone", milestone.project_id, milestone.id),
        milestone_description(milestone, context)))


def milestone_description(milestone: Row, context: CalendarContext) -> str:
    lines = [context.labels[milestone.completed_at is not None]]
    if milestone.responsible:
        lines.append(_("Responsible: %(name)s", name=milestone.responsible))
    if milestone.notes:
        lines.append(milestone.notes)
    return "\n".join(lines)


def all_day_event(uid: str, item: Row, summary: str, url: str, description: str) -> list[str]:
    """The lines of an all-day VEVENT on an item's due date, done or not."""
    done = item.completed_at is not None
    lines = [
        f"UID:{uid}",
        f"SEQUENCE:{item.revision}",
        f"DTSTAMP:{ical.instant(last_revised(item))}",
        f"SUMMARY:{ical.text(f'✓ {summary}' if done else summary)}",
        f"DTSTART;VALUE=DATE:{ical.day(item.due_on)}",
        f"DTEND;VALUE=DATE:{ical.day(item.due_on + timedelta(days=1))}",
        "STATUS:CONFIRMED",
        "TRANSP:TRANSPARENT",
        f"URL:{url}",
        f"LAST-MODIFIED:{ical.instant(item.edited_at or item.created_at)}",
    ]
    if done:
        lines.append(f"X-WORKSPACE-COMPLETED;VALUE=DATE-TIME:{ical.instant(item.completed_at)}")
    lines.append(f"DESCRIPTION:{ical.text(description)}")
    return lines


def todo_event(todo: Row, context: CalendarContext) -> list[str]:
    """A dated to-do as an all-day event, which every calendar app shows."""
    description = context.labels[todo.completed_at is not None]
    if todo.notes:
        description = f"{description}\n{todo.notes}"
    return ical.component("VEVENT", all_day_event(
        f"todo-{todo.id}@{context.authority}", todo, todo.title,
        context.url("todo", todo.project_id, todo.id), description))


def todo_task(todo: Row, context: CalendarContext) -> list[str]:
    """A dated to-do as a VTODO, for the apps that show tasks."""
    lines = [
        f"UID:todo-{todo.id}@{context.authority}",
        f"SEQUENCE:{todo.revision}",
        f"DTSTAMP:{ical.instant(last_revised(todo))}",
        f"SUMMARY:{ical.text(todo.title)}",
        f"DUE;VALUE=DATE:{ical.day(todo.due_on)}",
        f"URL:{context.url('todo', todo.project_id, todo.id)}",
        "STATUS:COMPLETED" if todo.completed_at else "STATUS:NEEDS-ACTION",
    ]
    if todo.completed_at:
        lines.append(f"COMPLETED:{ical.instant(todo.completed_at)}")
    if todo.notes:
        lines.append(f"DESCRIPTION:{ical.text(todo.notes)}")
    return ical.component("VTODO", lines)
