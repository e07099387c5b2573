"""Events: each function is one transaction that also records its event in the activity.

A recurring event's occurrences are changed in three ways, as calendar programs offer: this
one (an exception: moved, renamed or cancelled), this and the following ones (the series is
split: the old one ends the day before, a new one starts there), or all of them (the event)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from workspace import items
from workspace.activity import operations as activity
from workspace.comments.following import follow_new_item
from workspace.extensions import db
from workspace.projects.access import NotAllowed, ProjectAccess, may_see
from workspace.projects.models import Membership
from workspace.schedule.models import Attendance, CalendarEvent, EventException
from workspace.schedule.recurrence import Timing, parts_of
from workspace.text import render_markdown
from workspace.types import utcnow

OCCURRENCE_KEY = "%Y%m%dT%H%M%SZ"


class ClientCannotMarkPrivate(NotAllowed):
    description = _l("Only the team can mark an event private.")


class NoSuchOccurrence(BadRequest):
    description = _l("This event has no occurrence at that time: it may have been moved or "
                     "cancelled. Open the event again to see its dates.")


class NotRecurring(BadRequest):
    description = _l("This event does not repeat: change the event itself.")


@dataclass(frozen=True)
class Details:
    """What an event says, besides when."""

    title: str
    place: str = ""
    notes: str = ""
    private: bool = False
    attendee_ids: Iterable[int] = ()
    remind: str = ""  # "" for each attendee's default


def occurrence_key(start: datetime) -> str:
    return start.astimezone(UTC).strftime(OCCURRENCE_KEY)


def parse_occurrence_key(key: str) -> datetime:
    try:
        return datetime.strptime(key, OCCURRENCE_KEY).replace(tzinfo=UTC)
    except ValueError as error:
        raise NoSuchOccurrence() from error


def attendances(access: ProjectAccess, ids: Iterable[int], *, private: bool) -> list[Attendance]:
    """People of the project among `ids` (only the team for a private event)."""
    wanted = set(ids)
    if not wanted:
        return []
    members = db.session.scalars(
        select(Membership).where(Membership.project_id == access.project.id,
                                 Membership.user_id.in_(wanted))).all()
    return [Attendance(user_id=m.user_id) for m in sorted(members, key=lambda m: m.user_id)
            if may_see(m.role, private=private)]


def apply(event: CalendarEvent, timing: Timing, details: Details) -> None:
    event.title, event.place = details.title.strip(), details.place.strip()
    event.notes, event.notes_html = details.notes, str(render_markdown(details.notes))
    event.starts_at, event.ends_at = timing.starts_at, timing.ends_at
    event.timezone, event.all_day, event.rule = timing.tz.key, timing.all_day, timing.rule
    event.last_ends_at = timing.last_end()
    event.private = details.private
    event.remind = details.remind or None


def create_event(access: ProjectAccess, timing: Timing, details: Details) -> CalendarEvent:
    if details.private and not access.may_mark_private:
        raise ClientCannotMarkPrivate()
    timing.check()
    event = CalendarEvent(project_id=access.project.id, author=access.user)
    apply(event, timing, details)
    event.attendances = attendances(access, details.attendee_ids, private=details.private)
    db.session.add(event)
    follow_new_item(event, *(a.user_id for a in event.attendances))
    activity.record_event("created", event, by=access.user, text=details.notes)
    db.session.commit()
    return event


def update_event(access: ProjectAccess, event: CalendarEvent, timing: Timing,
                 details: Details) -> None:
    """Change every occurrence. Exceptions whose occurrence the new rule no longer has go."""
    if details.private != event.private and not access.may_mark_private:
        raise ClientCannotMarkPrivate()
    timing.check()
    privacy_changed = details.private != event.private
    apply(event, timing, details)
    event.edited_at = utcnow()
    wanted = attendances(access, details.attendee_ids, private=details.private)
    keep = {a.user_id for a in wanted}
    event.attendances = [a for a in event.attendances if a.user_id in keep] + [
        a for a in wanted if a.user_id not in event.attendee_ids]
    event.exceptions = [e for e in event.exceptions if timing.has_occurrence(e.original_start)]
    activity.record_event("edited", event, by=access.user, text=details.notes)
    if privacy_changed:
        activity.follow_privacy(event)
    db.session.commit()


def require_occurrence(event: CalendarEvent, original_start: datetime) -> None:
    if event.rule is None:
        raise NotRecurring()
    if not event.timing.has_occurrence(original_start):
        raise NoSuchOccurrence()


def exception_for(event: CalendarEvent, original_start: datetime) -> EventException:
    for exception in event.exceptions:
        if exception.original_start == original_start:
            return exception
    exception = EventException(original_start=original_start, title=event.title,
                               place=event.place, starts_at=original_start,
                               ends_at=original_start + event.timing.duration)
    event.exceptions.append(exception)
    return exception


def change_occurrence(access: ProjectAccess, event: CalendarEvent, original_start: datetime,
                      *, starts_at: datetime, ends_at: datetime, title: str,
                      place: str, notes: str | None = None) -> None:
    """Move, rename or annotate one occurrence of a recurring event. Notes equal to the
    event's (or None) are stored as None: that date keeps following the event's notes."""
    require_occurrence(event, original_start)
    exception = exception_for(event, original_start)
    exception.starts_at, exception.ends_at = starts_at, ends_at
    exception.title, exception.place, exception.cancelled = title.strip(), place.strip(), False
    set_notes(exception, None if notes is None or notes == event.notes else notes)
    exception.revision = (exception.revision or 0) + 1
    touch(event)
    activity.record_event("occurrence_changed", event, by=access.user, text=notes or "")
    db.session.commit()


def notes_of(event: CalendarEvent, exception: EventException | None) -> str:
    """The notes of one date: its own, or else the event's."""
    if exception is None or exception.notes is None:
        return event.notes
    return exception.notes


def set_notes(exception: EventException, notes: str | None) -> None:
    exception.notes = notes
    exception.notes_html = None if notes is None else str(render_markdown(notes))


def cancel_occurrence(access: ProjectAccess, event: CalendarEvent,
                      original_start: datetime) -> None:
    """Cancel one occurrence of a recurring event; the others stay."""
    require_occurrence(event, original_start)
    exception = exception_for(event, original_start)
    exception.cancelled = True
    exception.revision = (exception.revision or 0) + 1
    touch(event)
    activity.record_event("occurrence_cancelled", event, by=access.user)
    db.session.commit()


def touch(event: CalendarEvent) -> None:
    """A change to an occurrence is a change of the series for calendars: a new SEQUENCE."""
    event.edited_at = utcnow()
    event.revision = CalendarEvent.revision + 1


def split_series(access: ProjectAccess, event: CalendarEvent, original_start: datetime,
                 timing: Timing, details: Details) -> CalendarEvent:
    """Change this occurrence and the following ones: the series ends before it, and a new
    event, with `timing` (its rule included) and `details`, takes over from there. The dates
    changed or cancelled from there on go with it (see `carry_exceptions`)."""
    require_occurrence(event, original_start)
    if original_start == event.starts_at:  # the first one: that is all of them
        update_event(access, event, timing, details)
        return event
    if details.private and not access.may_mark_private:
        raise ClientCannotMarkPrivate()
    timing.check()
    following = CalendarEvent(project_id=event.project_id, author=access.user)
    apply(following, timing, details)
    singles = carry_exceptions(event, following, original_start)
    end_series_before(event, original_start)
    touch(event)
    activity.record_event("edited", event, by=access.user)
    following.attendances = attendances(access, details.attendee_ids, private=details.private)
    for new in (following, *singles):
        new.attendances = new.attendances or [Attendance(user_id=a.user_id)
                                              for a in following.attendances]
        db.session.add(new)
        follow_new_item(new, *(a.user_id for a in new.attendances))
        activity.record_event("created", new, by=access.user, text=new.notes)
    db.session.commit()
    return following


def end_series_before(event: CalendarEvent, original_start: datetime) -> None:
    """The rule of `event` stops before its occurrence at `original_start`; the exceptions
    from there on leave it."""
    parts = {key: value for key, value in parts_of(event.rule or "").items()
             if key not in ("UNTIL", "COUNT")}
    if event.all_day:  # a DATE: the day before
        day_before = original_start.astimezone(event.tz).date() - timedelta(days=1)
        parts["UNTIL"] = day_before.strftime("%Y%m%d")
    else:  # a UTC instant: just before
        parts["UNTIL"] = (original_start - timedelta(seconds=1)).strftime(OCCURRENCE_KEY)
    event.rule = ";".join(f"{key}={value}" for key, value in parts.items())
    event.last_ends_at = event.timing.last_end()
    event.exceptions = [e for e in event.exceptions if e.original_start < original_start]


def carry_exceptions(event: CalendarEvent, following: CalendarEvent,
                     original_start: datetime) -> list[CalendarEvent]:
    """The old series' changed or cancelled dates after the split, re-keyed to the new
    series: each old date is shifted as the split date was (same days and wall-clock hours
    later), and keeps what the person changed. A date only moved to another day (same hour,
    same length) keeps the day it was moved to, at the new series' hour and length; a date
    given its own hour or length keeps exactly that; a title or place left as the series'
    takes the new series', and notes left as the event's follow the new event's.
    A changed date the new rule no longer has becomes an event of its own; a cancelled date
    it no longer has needs nothing. The split date itself, if moved, is what the new series
    starts from (its form was filled with it), so only its cancellation is carried."""
    shift = local_naive(following.starts_at, following.tz) - local_naive(original_start,
                                                                         event.tz)
    singles = []
    for old in event.exceptions:
        if old.original_start < original_start or (
                old.original_start == original_start and not old.cancelled):
            continue
        start = (local_naive(old.original_start, event.tz) + shift).replace(
            tzinfo=following.tz).astimezone(UTC)
        if following.timing.has_occurrence(start):
            following.exceptions.append(rekeyed(old, event, following, start))
        elif not old.cancelled:
            singles.append(one_off(old, event, following))
    return singles


def local_naive(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def only_the_day_moved(old: EventException, event: CalendarEvent) -> bool:
    original, moved = (local_naive(old.original_start, event.tz),
                       local_naive(old.starts_at, event.tz))
    return (original.time() == moved.time()
            and old.ends_at - old.starts_at == event.timing.duration)


def rekeyed(old: EventException, event: CalendarEvent, following: CalendarEvent,
            start: datetime) -> EventException:
    """`old` as an exception of `following`'s occurrence at `start`."""
    starts_at, ends_at = old.starts_at, old.ends_at
    if old.cancelled:
        starts_at, ends_at = start, start + following.timing.duration
    elif only_the_day_moved(old, event):  # its day, at the new series' hour
        day = local_naive(old.starts_at, event.tz).date()
        starts_at = datetime.combine(day, local_naive(start, following.tz).time(),
                                     tzinfo=following.tz).astimezone(UTC)
        ends_at = starts_at + following.timing.duration
    exception = EventException(
        original_start=start, cancelled=old.cancelled, starts_at=starts_at, ends_at=ends_at,
        title=following.title if old.title == event.title else old.title,
        place=following.place if old.place == event.place else old.place,
        revision=old.revision)
    set_notes(exception, old.notes)
    return exception


def one_off(old: EventException, event: CalendarEvent,
            following: CalendarEvent) -> CalendarEvent:
    """A changed date the new rule has no place for, kept as an event of its own."""
    single = CalendarEvent(project_id=event.project_id, author_id=event.author_id)
    notes = following.notes if old.notes is None else old.notes
    apply(single, Timing(old.starts_at, old.ends_at, event.tz, event.all_day, None),
          Details(old.title, old.place, notes, following.private, (), following.remind or ""))
    return single


def delete_event(event: CalendarEvent) -> None:
    """Delete an event with its occurrences, exceptions, comments and trail."""
    items.delete(event)
    db.session.commit()
