"""Feeds and calendars, for readers that poll without signing in (a token in the URL) and
for signed-in browsers. A poll writes nothing and sets no cookie."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from workspace.activity.queries import (
    everything_freshness,
    one_project_freshness,
    project_latest,
    read_events,
)
from workspace.activity.streams import newest_visible_events
from workspace.auth.models import User
from workspace.conditional import Freshness, not_modified, send_kept
from workspace.extensions import db
from workspace.feeds import builders
from workspace.feeds.calendars import (
    Window,
    across,
    events_in,
    milestones_in,
    personal_freshness,
    project_freshness,
    todos_in,
)
from workspace.feeds.content import FEED_SIZE, latest_entries
from workspace.feeds.tokens import feed_access, regenerate_feed_token, user_for_feed_token
from workspace.projects.access import ProjectAccess, project_access, visible_projects
from workspace.projects.models import Project
from workspace.types import utcnow

bp = Blueprint("feeds", __name__)

FORMATS = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
CALENDAR = "text/calendar"


def reader() -> User:
    """Whose feed this is: the token's owner, or the signed-in person; otherwise 404."""
    token = request.args.get("token")
    if token is not None:
        user = user_for_feed_token(token)
        if user is None:
            abort(404)
        g.acting_user = user  # for the language and timezone of the feed
        return user
    if current_user.is_authenticated:
        return current_user._get_current_object()
    abort(404)


def reader_access(project_id: int) -> ProjectAccess:
    """The reader's access to a project (as `reader`, 404 otherwise): with a token, the person
    and the project are read in one query."""
    token = request.args.get("token")
    if token is None:
        return project_access(project_id, user=reader())
    access = feed_access(token, project_id)
    g.acting_user = access.user
    return access


def todo_form() -> builders.TodoForm:
    """How the calendar asked for publishes dated to-dos: `?todos=vtodo` for tasks, all-day
    events otherwise."""
    try:
        return builders.TodoForm(request.args.get("todos", builders.TodoForm.VEVENT.value))
    except ValueError:
        abort(404)


def with_form(fresh: Freshness, form: builders.TodoForm) -> Freshness:
    """The two forms of one calendar are two documents: each has its own validator."""
    return Freshness(f"{fresh.etag}.{form.value}", fresh.last_modified)


def send_feed(kind: str, fresh: Freshness, build: Callable[[], bytes]) -> Response:
    """The feed `build` makes, or the same one built earlier for this URL and validator."""
    return send_kept(fresh, FORMATS[kind], build)


@bp.route("/projects/<int:project_id>/feed.<any(atom, rss):kind>")
def project_feed(project_id: int, kind: str) -> Response:
    access = reader_access(project_id)
    project = access.project
    fresh = one_project_freshness(
        access, f"{access.user.id}.{access.role}.{project.activity_version}")
    if cached := not_modified(fresh):
        return cached
    return send_feed(kind, fresh, lambda: builders.activity_feed(
        kind=kind, feed_id=builders.tag(project.created_at, f"project/{project.id}"),
        title=project.name, self_url=request.url,
        page_url=url_for("projects.overview", project_id=project.id, _external=True),
        entries=latest_entries(project_latest(access, FEED_SIZE)), updated=fresh.last_modified,
    ))


@bp.route("/feed.<any(atom, rss):kind>")
def everything_feed(kind: str) -> Response:
    user = reader()
    fresh = everything_freshness(user)
    if cached := not_modified(fresh):
        return cached
    events = newest_visible_events(user, FEED_SIZE)
    return send_feed(kind, fresh, lambda: builders.activity_feed(
        kind=kind, feed_id=builders.tag(user.created_at, f"person/{user.id}/activity"),
        title=_("Workspace: everything for %(name)s", name=user.name), self_url=request.url,
        page_url=url_for("activity.mine", _external=True),
        entries=latest_entries(read_events(events, project_names=True)),
        updated=fresh.last_modified,
    ))


@bp.route("/projects/<int:project_id>/milestones.ics")
def project_calendar(project_id: int) -> Response:
    access = reader_access(project_id)
    form = todo_form()
    window = Window.around(utcnow().date())
    fresh = with_form(project_freshness(access, window), form)
    if cached := not_modified(fresh):
        return cached
    return send_kept(fresh, CALENDAR, lambda: builders.calendar(
        name=access.project.name,
        milestones=milestones_in(window, access.visible),
        todos=todos_in(window, access.visible), todo_form=form,
        events=events_in(window, access.visible,
                         {access.project.id} if access.sees_emails else ()),
        until=window.end,
    ))


@bp.route("/milestones.ics")
def everything_calendar() -> Response:
    user = reader()
    form = todo_form()
    window = Window.around(utcnow().date())
    fresh, project_ids, team_of = personal_freshness(user, window)
    fresh = with_form(fresh, form)
    if cached := not_modified(fresh):
        return cached
    scope = across(user, project_ids)
    return send_kept(fresh, CALENDAR, lambda: builders.calendar(
        name=_("Workspace milestones"),
        milestones=milestones_in(window, scope), todos=todos_in(window, scope, assignee=user),
        todo_form=form, events=events_in(window, scope, team_of), until=window.end,
    ))


# -- settings -----------------------------------------------------------------------------------

@bp.route("/settings/feeds")
@login_required
def settings() -> str:
    projects = db.session.scalars(visible_projects(current_user).order_by(Project.name)).all()
    return render_template("feeds/settings.html", projects=projects,
                           token=current_user.feed_token)


@bp.route("/settings/feeds/token", methods=["POST"])
@login_required
def regenerate() -> Response:
    regenerate_feed_token(current_user)
    flash(_("New feed addresses made. The old ones no longer work: update your feed reader "
            "and calendar."), "success")
    return redirect(url_for("feeds.settings"))
