"""A project's overview: the first page of a project, drawing on every domain (activity,
milestones, to-do lists, people, the email-in address). Its route keeps its endpoint,
`projects.overview`, which every link names: it is added to the projects blueprint."""

from __future__ import annotations

from flask import render_template
from flask_babel import get_locale, get_timezone
from flask_login import login_required
from markupsafe import Markup

from workspace.activity.queries import by_day, newest
from workspace.activity.streams import project_events
from workspace.i18n import viewer_today
from workspace.inbound.addresses import shown_email_in_address
from workspace.kept import kept_by_app
from workspace.milestones.queries import soon
from workspace.projects import operations
from workspace.projects.access import ProjectAccess, project_access
from workspace.projects.views import bp
from workspace.todos.queries import lists_with_progress
from workspace.web import Page

OVERVIEW_EVENTS = 20


@login_required
def overview(project_id: int) -> Page:
    access = project_access(project_id)
    return render_template("projects/overview.html", access=access, project=access.project,
                           panels=overview_panels(access),
                           email_in=shown_email_in_address(access))


def overview_panels(access: ProjectAccess) -> Markup:
    """The overview's activity, milestones, lists and people, rendered once for each version
    of the project (see projects/versions.py), role, language, timezone and day."""
    project, today = access.project, viewer_today()
    key = (project.id, project.created_at, project.activity_version, access.role,
           project.is_archived, str(get_locale()), str(get_timezone()), today)
    return Markup(kept_by_app("overview_panels", 512).get_or_build(key, lambda: render_template(
        "projects/_overview_panels.html", access=access, project=project,
        people=operations.people_of(project),
        days=by_day(newest(project_events(access), OVERVIEW_EVENTS)),
        todo_lists=lists_with_progress(access, today), milestones=soon(access, today),
    )))


bp.add_url_rule("/projects/<int:project_id>", view_func=overview)
