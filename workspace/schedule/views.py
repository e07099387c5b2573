"""Event pages: add, show, change all or one or the following occurrences, delete."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from workspace.comments.forms import CommentForm
from workspace.comments.views import page_item_or_404, page_with_comment_form, requested_thread
from workspace.extensions import db
from workspace.files.operations import files_attached_to
from workspace.i18n import viewer_today
from workspace.links import item_url
from workspace.milestones.views import parse_month
from workspace.projects.access import (
    Action,
    ProjectAccess,
    project_access,
    restrict_to_visible,
    visible_projects,
)
from workspace.projects.models import Membership, Project
from workspace.schedule import operations
from workspace.schedule.forms import EventForm, OccurrenceForm
from workspace.schedule.models import Attendance, CalendarEvent, EventException
from workspace.schedule.operations import Details, parse_occurrence_key
from workspace.schedule.queries import Scope, occurrences, schedule_day, schedule_month
from workspace.schedule.recurrence import repeat_of
from workspace.web import Page

bp = Blueprint("schedule", __name__, url_prefix="/projects/<int:project_id>")
mine_bp = Blueprint("my_schedule", __name__)

UPCOMING = 10  # occurrences an event's page lists
UPCOMING_SPAN = timedelta(days=400)


def people_choices(access: ProjectAccess) -> list[tuple[int, str]]:
    members = db.session.scalars(
        select(Membership).where(Membership.project_id == access.project.id)
        .options(joinedload(Membership.user))).all()
    return sorted(((m.user_id, m.user.name) for m in members), key=lambda choice: choice[1])


def event_form(access: ProjectAccess, form_class: type = EventForm, **data: object) -> EventForm:
    form = form_class(**data)
    if hasattr(form, "attendees"):
        form.attendees.choices = people_choices(access)
    return form


def details_of(form: EventForm) -> Details:
    return Details(form.title.data, form.place.data or "", form.notes.data or "",
                   bool(form.private.data), form.attendees.data or [], form.remind.data or "")


def form_page(access: ProjectAccess, form: OccurrenceForm, event: CalendarEvent | None = None,
              occurrence: str | None = None, scope: str = "all") -> Page:
    return render_template(
        "schedule/form.html", access=access, project=access.project, form=form, event=event,
        occurrence=occurrence, scope=scope,
    ), 400 if form.errors else 200


def local_fields(event: CalendarEvent, start: datetime, end: datetime) -> dict[str, object]:
    """The form's days and times for a span in the event's timezone."""
    tz = event.tz
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    if event.all_day:
        local_end -= timedelta(days=1)
    return {"all_day": event.all_day, "timezone": event.timezone,
            "starts_on": local_start.date(), "starts_time": local_start.time(),
            "ends_on": local_end.date(), "ends_time": local_end.time(),
            "title": event.title, "place": event.place}


def own_fields(event: CalendarEvent, exception: EventException | None) -> dict[str, str]:
    """What one date is called, where, and its notes: the changed date's, or the event's."""
    if exception is None:
        return {"title": event.title, "place": event.place, "notes": event.notes}
    return {"title": exception.title, "place": exception.place,
            "notes": operations.notes_of(event, exception)}


def event_fields(event: CalendarEvent) -> dict[str, object]:
    repeat = repeat_of(event.rule, event.tz)
    ends = "until" if repeat.until else "count" if repeat.count else "never"
    return {**local_fields(event, event.starts_at, event.ends_at), "notes": event.notes,
            "private": event.private, "attendees": sorted(event.attendee_ids),
            "repeat": repeat.frequency or "", "interval": repeat.interval,
            "weekdays": list(repeat.weekdays), "monthly_by": repeat.monthly_by, "ends": ends,
            "until": repeat.until, "count": repeat.count, "remind": event.remind or ""}


def requested_day() -> date | None:
    """The day of `?day=YYYY-MM-DD`: that day's own page rather than the month."""
    try:
        return date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return None


def requested_page() -> int:
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and len(page) < 7 else 1


def day_page(scope: Scope, day: date, names: dict[int, str], template: str,
             mine: int | None = None, **context: object) -> str:
    """One day of a schedule, a page at a time: where a month's "+N more" leads."""
    found = schedule_day(scope, day, requested_page(), get_timezone(), names, mine)
    return render_template(template, day_page=found, today=viewer_today(), **context)


@bp.route("/schedule")
@login_required
def index(project_id: int) -> str:
    """The project's month: milestones, events and dated to-dos, a grid of weeks on a wide
    screen and a list of days on a phone (the stylesheet shows one or the other); with
    `?day=YYYY-MM-DD`, all that day holds, a page at a time."""
    access = project_access(project_id)
    day = requested_day()
    if day is not None:
        return day_page(access.visible, day, {access.project.id: access.project.name},
                        "schedule/day.html", access=access, project=access.project)
    today = viewer_today()
    first = parse_month(request.args.get("month")) or today.replace(day=1)
    month = schedule_month(access.visible, first, get_locale().first_week_day, get_timezone(),
                           {access.project.id: access.project.name})
    return render_template("schedule/month.html", access=access, project=access.project,
                           month=month, today=today)


@mine_bp.route("/schedule")
@login_required
def mine() -> str:
    """My schedule: what is dated in every project of the person, that they may see; with
    `?mine=1`, only their own (their milestones, the events they attend, their to-dos); with
    `?day=YYYY-MM-DD`, all that day holds, a page at a time."""
    user = current_user._get_current_object()
    today = viewer_today()
    first = parse_month(request.args.get("month")) or today.replace(day=1)
    only_mine = request.args.get("mine") == "1"
    names = dict(db.session.execute(
        visible_projects(user).with_only_columns(Project.id, Project.name)).all())

    def scope(query: Select, model: type) -> Select:
        return restrict_to_visible(query, user, model)

    day = requested_day()
    if day is not None:
        return day_page(scope, day, names, "schedule/mine_day.html",
                        mine=user.id if only_mine else None, only_mine=only_mine)

    month = schedule_month(scope, first, get_locale().first_week_day, get_timezone(), names,
                           mine=user.id if only_mine else None)
    return render_template("schedule/mine.html", month=month, today=today,
                           only_mine=only_mine)


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new(project_id: int) -> Page:
    access = project_access(project_id, Action.PLAN)
    day = request.args.get("day")
    defaults = {"timezone": str(get_timezone()), "starts_time": time(9),
                "ends_time": time(10)}
    form = event_form(access, **defaults) if request.method == "GET" else event_form(access)
    if request.method == "GET":
        form.starts_on.data = form.ends_on.data = viewer_today()
        if day:
            form.starts_on.process_formdata([day])
            form.ends_on.data = form.starts_on.data
    if form.validate_on_submit():
        event = operations.create_event(access, form.timing(), details_of(form))
        flash(_("Event added."), "success")
        return redirect(item_url(event))
    return form_page(access, form)


@bp.route("/events/<int:event_id>")
@login_required
def show(project_id: int, event_id: int) -> Page:
    access = project_access(project_id)
    return event_page(access, page_item_or_404(access, "event", event_id), CommentForm())


@page_with_comment_form("event", joinedload(CalendarEvent.author),
                        selectinload(CalendarEvent.attendances).joinedload(Attendance.user),
                        selectinload(CalendarEvent.exceptions))
def event_page(access: ProjectAccess, event: CalendarEvent, comment_form: CommentForm) -> Page:
    now = datetime.now(UTC)
    upcoming = occurrences(event, now, now + UPCOMING_SPAN, with_cancelled=True)[:UPCOMING]
    return render_template(
        "schedule/show.html", access=access, project=access.project, event=event,
        upcoming=upcoming, attendees=sorted(a.user.name for a in event.attendances),
        thread=requested_thread(event), attached=files_attached_to(event, access),
        comment_form=comment_form,
    ), 400 if comment_form.errors else 200


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int, event_id: int) -> Page:
    access = project_access(project_id, Action.PLAN)
    event = access.item_or_404(CalendarEvent, event_id)
    form = (event_form(access, **event_fields(event)) if request.method == "GET"
            else event_form(access))
    if form.validate_on_submit():
        operations.update_event(access, event, form.timing(), details_of(form))
        flash(_("Event saved."), "success")
        return redirect(item_url(event))
    return form_page(access, form, event)


@bp.route("/events/<int:event_id>/occurrences/<string:key>/edit", methods=["GET", "POST"])
@login_required
def edit_occurrence(project_id: int, event_id: int, key: str) -> Page:
    """Change one occurrence (`?scope=this`) or it and the following ones (`following`)."""
    access = project_access(project_id, Action.PLAN)
    event = access.item_or_404(CalendarEvent, event_id)
    original = parse_occurrence_key(key)
    operations.require_occurrence(event, original)
    scope = "following" if request.args.get("scope") == "following" else "this"
    exception = next((e for e in event.exceptions if e.original_start == original), None)
    if request.method == "GET":
        start, end = ((exception.starts_at, exception.ends_at) if exception
                      else (original, original + event.timing.duration))
        fields = local_fields(event, start, end)
        form = (event_form(access, OccurrenceForm, **{**fields, **own_fields(event, exception)})
                if scope == "this" else event_form(access, **{**event_fields(event), **fields}))
    else:
        form = event_form(access, OccurrenceForm if scope == "this" else EventForm)
    if form.validate_on_submit():
        if scope == "this":
            start, end = form.span()
            operations.change_occurrence(access, event, original, starts_at=start,
                                         ends_at=end, title=form.title.data,
                                         place=form.place.data or "",
                                         notes=form.notes.data or "")
            flash(_("This date of the event was changed."), "success")
            return redirect(item_url(event))
        following = operations.split_series(access, event, original, form.timing(),
                                            details_of(form))
        flash(_("This date and the following ones were changed."), "success")
        return redirect(item_url(following))
    return form_page(access, form, event, key, scope)


@bp.route("/events/<int:event_id>/occurrences/<string:key>/cancel", methods=["POST"])
@login_required
def cancel_occurrence(project_id: int, event_id: int, key: str) -> Response:
    access = project_access(project_id, Action.PLAN)
    event = access.item_or_404(CalendarEvent, event_id)
    operations.cancel_occurrence(access, event, parse_occurrence_key(key))
    flash(_("This date of the event was cancelled."), "success")
    return redirect(item_url(event))


@bp.route("/events/<int:event_id>/delete", methods=["POST"])
@login_required
def delete(project_id: int, event_id: int) -> Response:
    access = project_access(project_id, Action.PLAN)
    operations.delete_event(access.item_or_404(CalendarEvent, event_id))
    flash(_("Event deleted."), "success")
    return redirect(url_for("schedule.index", project_id=project_id))
