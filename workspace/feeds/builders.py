"""Atom, RSS and iCalendar documents, built with feedgen and icalendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from feedgen.feed import FeedGenerator
from flask import current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from icalendar import Todo as CalendarTodo

from workspace.activity.models import Event
from workspace.links import EventAddresses, item_url
from workspace.milestones.models import Milestone
from workspace.todos.models import Todo
from workspace.types import utcnow


def tag_authority() -> str:
    """The domain in every tag: URI; configurable so ids survive a change of address."""
    return current_app.config.get("WORKSPACE_TAG_AUTHORITY") or request.host.split(":")[0]


def tag(created: datetime | date, specific: str) -> str:
    day = created.date() if isinstance(created, datetime) else created
    return f"tag:{tag_authority()},{day.isoformat()}:{specific}"


def activity_feed(*, feed_id: str, title: str, page_url: str, self_url: str,
                  entries: list[tuple[Event, str]], updated: datetime | None) -> FeedGenerator:
    """The feed of these events (newest first), each with its content's HTML."""
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.link(href=page_url, rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.description(title)
    feed.language(str(get_locale()))
    feed.updated(updated or utcnow())
    feed.generator("Workspace")
    # RSS has no author without an email: dc:creator names them (Atom has its own <author>).
    feed.load_extension("dc", atom=False, rss=True)
    authority, addresses, someone = tag_authority(), EventAddresses(external=True), _("Someone")
    for event, html in reversed(entries):  # feedgen puts each new entry first
        entry = feed.add_entry()
        entry_id = f"tag:{authority},{event.created_at.date().isoformat()}:event/{event.id}"
        entry.id(entry_id)
        entry.guid(entry_id, permalink=False)
        title = event.describe()
        entry.title(title)
        author = event.actor.name if event.actor else someone
        entry.author({"name": author})
        entry.dc.dc_creator(author)
        entry.published(event.created_at)
        entry.updated(event.created_at)
        entry.link(href=addresses.of(event), rel="alternate")
        entry.content(html or event.excerpt or title, type="html")
        entry.category(term=event.project.name)
    return feed


def calendar(*, name: str, milestones: list[Milestone], todos: list[Todo]) -> Calendar:
    """Milestones as all-day events, dated to-dos as VTODOs."""
    cal = Calendar()
    cal.add("prodid", "-//Workspace//Milestones//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for milestone in milestones:
        cal.add_component(milestone_event(milestone))
    for todo in todos:
        cal.add_component(todo_entry(todo))
    return cal


def last_revised(item: Milestone | Todo) -> datetime:
    """DTSTAMP of a published calendar is when the item was last revised (RFC 5545 3.8.7.2):
    the same bytes until something changes, so the calendar's ETag holds between polls."""
    return max(filter(None, (item.created_at, item.edited_at, item.completed_at)))


def milestone_event(milestone: Milestone) -> CalendarEvent:
    event = CalendarEvent()
    done = milestone.is_completed
    event.add("uid", f"milestone-{milestone.id}@{tag_authority()}")
    event.add("dtstamp", last_revised(milestone))
    event.add("summary", f"✓ {milestone.title}" if done else milestone.title)
    event.add("dtstart", milestone.due_on)
    event.add("dtend", milestone.due_on + timedelta(days=1))
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("url", item_url(milestone, external=True))
    event.add("last-modified", milestone.edited_at or milestone.created_at)
    if done:
        event.add("x-workspace-completed", milestone.completed_at)
    event.add("description", milestone_description(milestone))
    return event


def milestone_description(milestone: Milestone) -> str:
    lines = [_("Completed") if milestone.is_completed else _("Open")]
    if milestone.responsible:
        lines.append(_("Responsible: %(name)s", name=milestone.responsible.name))
    if milestone.notes:
        lines.append(milestone.notes)
    return "\n".join(lines)


def todo_entry(todo: Todo) -> CalendarTodo:
    entry = CalendarTodo()
    entry.add("uid", f"todo-{todo.id}@{tag_authority()}")
    entry.add("dtstamp", last_revised(todo))
    entry.add("summary", todo.text)
    entry.add("due", todo.due_on)
    entry.add("url", item_url(todo, external=True))
    entry.add("status", "COMPLETED" if todo.is_completed else "NEEDS-ACTION")
    if todo.completed_at:
        entry.add("completed", todo.completed_at)
    if todo.notes:
        entry.add("description", todo.notes)
    return entry
