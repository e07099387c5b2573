"""/api/v1: calendar events, one date of them, and the dates of a span (expanded)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import g, jsonify, request
from werkzeug.wrappers import Response

from workspace.api import serializers
from workspace.api.bodies import created, invalid, refuse_undocumented, validated
from workspace.api.errors import ApiError
from workspace.api.views import bp, project_item, project_items
from workspace.projects.access import Action, ProjectAccess, project_access
from workspace.projects.operations import people_of
from workspace.schedule import operations
from workspace.schedule.forms import EventForm, OccurrenceForm
from workspace.schedule.models import CalendarEvent
from workspace.schedule.operations import Details, parse_occurrence_key
from workspace.schedule.queries import project_occurrences

MAX_SPAN = timedelta(days=366)


@bp.route("/projects/<int:project_id>/schedule/events")
def list_events(project_id: int) -> Response:
    return project_items(project_id, CalendarEvent, serializers.calendar_event,
                         "api.list_events")


@bp.route("/projects/<int:project_id>/schedule/events", methods=["POST"])
def create_event(project_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    people = [(m.user_id, m.user.name) for m in people_of(access.project)]
    form = validated(EventForm, {"attendees": people}, attendee_ids="attendees")
    event = operations.create_event(access, form.timing(), details_of(form))
    return created(serializers.calendar_event(event))


@bp.route("/projects/<int:project_id>/schedule/events/<int:event_id>")
def event(project_id: int, event_id: int) -> Response:
    return project_item(project_id, CalendarEvent, event_id, serializers.calendar_event)


@bp.route("/projects/<int:project_id>/schedule/events/<int:event_id>", methods=["PATCH"])
def update_event(project_id: int, event_id: int) -> Response:
    """Change every date of an event: the body holds what changes, in the form's terms."""
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    found = access.item_or_404(CalendarEvent, event_id)
    people = [(m.user_id, m.user.name) for m in people_of(access.project)]
    current = current_fields(found)
    if "repeat" in (request.get_json(silent=True) or {}):
        current["rule"] = ""  # the choices given replace the rule
    form = validated(EventForm, {"attendees": people}, current=following_the_start(current),
                     attendee_ids="attendees")
    operations.update_event(access, found, form.timing(), details_of(form))
    return jsonify(serializers.calendar_event(found))


@bp.route("/projects/<int:project_id>/schedule/events/<int:event_id>", methods=["DELETE"])
def delete_event(project_id: int, event_id: int) -> tuple[str, int]:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    found = access.item_or_404(CalendarEvent, event_id)
    refuse_undocumented()
    operations.delete_event(found)
    return "", 204


def following_the_start(current: dict[str, object]) -> dict[str, object]:
    """A body that moves the start day but says nothing of the end day moves that as well,
    keeping the number of days between them."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or "ends_on" in body or "starts_on" not in body:
        return current
    try:
        moved = date.fromisoformat(str(body["starts_on"])) - date.fromisoformat(
            str(current["starts_on"]))
        ends_on = date.fromisoformat(str(current["ends_on"])) + moved
    except (KeyError, ValueError):
        return current  # the form names what is wrong
    return {**current, "ends_on": ends_on.isoformat()}


def details_of(form: EventForm) -> Details:
    return Details(form.title.data, form.place.data or "", form.notes.data or "",
                   bool(form.private.data), form.attendees.data or [], form.remind.data or "")


def current_fields(found: CalendarEvent) -> dict[str, object]:
    """An event's values as the API's body gives them, for a PATCH to complete."""
    local_start = found.starts_at.astimezone(found.tz)
    local_end = found.ends_at.astimezone(found.tz)
    if found.all_day:
        local_end -= timedelta(days=1)
    fields: dict[str, object] = {
        "title": found.title, "place": found.place, "notes": found.notes,
        "private": found.private, "all_day": found.all_day, "timezone": found.timezone,
        "starts_on": local_start.date().isoformat(), "ends_on": local_end.date().isoformat(),
        "attendee_ids": sorted(found.attendee_ids), "remind": found.remind or "",
        "rule": found.rule or "",
    }
    if not found.all_day:
        fields["starts_time"] = local_start.strftime("%H:%M")
        fields["ends_time"] = local_end.strftime("%H:%M")
    return fields


@bp.route("/projects/<int:project_id>/schedule/events/<int:event_id>/occurrences/<string:key>/cancel",
          methods=["POST"])
def cancel_occurrence(project_id: int, event_id: int, key: str) -> Response:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    found = access.item_or_404(CalendarEvent, event_id)
    refuse_undocumented()
    original = parse_occurrence_key(key)
    operations.cancel_occurrence(access, found, original)
    return jsonify(serializers.calendar_event(found))


OCCURRENCE_ONLY = ("title", "place", "notes", "all_day", "starts_on", "starts_time", "ends_on",
                   "ends_time", "timezone")  # what `scope=this` changes of one date


@bp.route("/projects/<int:project_id>/schedule/events/<int:event_id>/occurrences/<string:key>",
          methods=["PATCH"])
def change_occurrence(project_id: int, event_id: int, key: str) -> Response:
    """Move or rename one date of a recurring event, the others staying (`?scope=this`, the
    default), or change it and the following ones (`?scope=following`): the series is split
    there, as on the event's page, and the answer is the new event that takes over. The event
    is looked up before the right to plan is checked, so that a client hears 404 of a private
    one, as when reading it."""
    access = project_access(project_id, user=g.acting_user)
    found = access.item_or_404(CalendarEvent, event_id)
    access.require(Action.PLAN)
    scope = request.args.get("scope", "this")
    if scope not in ("this", "following"):
        raise ApiError(400, "invalid_parameter", "Give scope=this or scope=following.",
                       fields={"scope": "not this or following"})
    original = parse_occurrence_key(key)
    operations.require_occurrence(found, original)
    if scope == "following":
        return jsonify(serializers.calendar_event(split_from(access, found, original)))
    refuse_series_fields()
    exception = next((e for e in found.exceptions if e.original_start == original), None)
    start, end = ((exception.starts_at, exception.ends_at) if exception
                  else (original, original + found.timing.duration))
    current = {key_: value for key_, value in current_fields(found).items()
               if key_ in OCCURRENCE_ONLY}
    current.update(occurrence_fields(found, start, end, exception))
    form = validated(OccurrenceForm, current=following_the_start(current))
    starts_at, ends_at = form.span()
    operations.change_occurrence(access, found, original, starts_at=starts_at, ends_at=ends_at,
                                 title=form.title.data, place=form.place.data or "",
                                 notes=form.notes.data or "")
    return jsonify(serializers.calendar_event(found))


def refuse_series_fields() -> None:
    """With `scope=this`, a field of the whole series (notes, repetition…) is a 422 naming it,
    never silently ignored (an unknown one is named as such first)."""
    refuse_undocumented()
    body = request.get_json(silent=True)
    series = sorted(set(body) - set(OCCURRENCE_ONLY)) if isinstance(body, dict) else []
    if series:
        raise invalid({name: "Only with scope=following: one date has no such field."
                       for name in series})


def split_from(access: ProjectAccess, found: CalendarEvent, original: datetime) -> CalendarEvent:
    """This date and the following ones: the event's values, starting on this date (moved if
    it was), with what the body changes; `operations.split_series` as the page does it."""
    exception = next((e for e in found.exceptions if e.original_start == original), None)
    start, end = ((exception.starts_at, exception.ends_at) if exception
                  else (original, original + found.timing.duration))
    people = [(m.user_id, m.user.name) for m in people_of(access.project)]
    current = {**current_fields(found), **occurrence_fields(found, start, end, None)}
    if "repeat" in (request.get_json(silent=True) or {}):
        current["rule"] = ""  # the choices given replace the rule
    form = validated(EventForm, {"attendees": people}, current=following_the_start(current),
                     attendee_ids="attendees")
    return operations.split_series(access, found, original, form.timing(), details_of(form))


def occurrence_fields(found: CalendarEvent, start: datetime, end: datetime,
                      exception: object | None) -> dict[str, object]:
    local_start, local_end = start.astimezone(found.tz), end.astimezone(found.tz)
    if found.all_day:
        local_end -= timedelta(days=1)
    fields: dict[str, object] = {"starts_on": local_start.date().isoformat(),
                                 "ends_on": local_end.date().isoformat()}
    if not found.all_day:
        fields["starts_time"] = local_start.strftime("%H:%M")
        fields["ends_time"] = local_end.strftime("%H:%M")
    if exception is not None:
        fields["title"], fields["place"] = exception.title, exception.place
        fields["notes"] = operations.notes_of(found, exception)
    return fields


def day_parameter(name: str, default: date) -> date:
    value = request.args.get(name)
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, "invalid_parameter", "Give days as YYYY-MM-DD.",
                       fields={name: "not a date"}) from None


@bp.route("/projects/<int:project_id>/schedule/occurrences")
def occurrences(project_id: int) -> Response:
    """The dates of the project's events from `from` to `to` (days, UTC, both included; a
    month from today by default), each rule expanded, its exceptions applied."""
    access = project_access(project_id, user=g.acting_user)
    first = day_parameter("from", datetime.now(UTC).date())
    last = day_parameter("to", first + timedelta(days=30))
    if not first <= last < first + MAX_SPAN:
        raise ApiError(400, "invalid_parameter", "Ask for a span of one day to a year.",
                       fields={"to": "out of range"})
    after = datetime.combine(first, time(), tzinfo=UTC)
    before = datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC)
    found = project_occurrences(access, after, before)
    return jsonify([serializers.occurrence(o) for o in found])
