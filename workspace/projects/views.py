from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from workspace.auth.models import User
from workspace.auth.views import setup_page
from workspace.errors import Refused
from workspace.extensions import db
from workspace.projects import operations
from workspace.projects.access import (
    Action,
    may_create_projects,
    may_use_templates,
    project_access,
    require_project_creator,
    visible_projects,
)
from workspace.projects.forms import AlertSettingsForm, DeleteProjectForm, ProjectForm
from workspace.projects.models import Project
from workspace.web import Page, rendered

bp = Blueprint("projects", __name__)


@bp.route("/", methods=["GET"])
def index() -> Page:
    """The first page: setup on a new install, then the person's projects."""
    if not User.any_exists():
        return setup_page()
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    projects = db.session.scalars(visible_projects(current_user).order_by(Project.name)).all()
    return render_template(
        "projects/index.html",
        active=[p for p in projects if not p.is_archived],
        archived=[p for p in projects if p.is_archived],
        may_create=may_create_projects(current_user),
        may_use_templates=may_use_templates(current_user),
    )


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required
def new() -> Page:
    require_project_creator(current_user)
    form = ProjectForm()
    if form.validate_on_submit():
        project = operations.create_project(form.name.data, form.description.data or "",
                                            by=current_user)
        flash(_("Project created. Invite your team from the People page."), "success")
        return redirect(url_for("projects.overview", project_id=project.id))
    return rendered("projects/new.html", form)


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int) -> Page:
    # The settings page is also where an owner unarchives: reading it needs only that right.
    access = project_access(project_id, Action.ARCHIVE)
    if request.method == "POST":
        access.require(Action.EDIT_PROJECT)
    form = ProjectForm(obj=access.project)
    if form.validate_on_submit():
        operations.update_project(access.project, name=form.name.data,
                                  description=form.description.data or "")
        flash(_("Project saved."), "success")
        return redirect(url_for("projects.overview", project_id=project_id))
    return rendered("projects/edit.html", form, access=access, project=access.project,
                    alerts_form=AlertSettingsForm(formdata=None, obj=access.project))


@bp.route("/projects/<int:project_id>/alerts", methods=["POST"])
@login_required
def alerts(project_id: int) -> Page:
    access = project_access(project_id, Action.EDIT_PROJECT)
    form = AlertSettingsForm()
    if form.validate():
        operations.update_alert_settings(
            access.project, timezone=form.timezone.data,
            days_before=form.alert_days_before.data, on_the_day=form.alert_on_the_day.data,
            when_late=form.alert_when_late.data,
        )
        flash(_("Alert settings saved."), "success")
        return redirect(url_for("projects.edit", project_id=project_id))
    return render_template("projects/edit.html", access=access, project=access.project,
                           form=ProjectForm(obj=access.project), alerts_form=form), 400


@bp.route("/projects/<int:project_id>/archive", methods=["POST"])
@login_required
def archive(project_id: int) -> Response:
    access = project_access(project_id, Action.ARCHIVE)
    operations.archive_project(access.project)
    flash(_("Project archived: it stays readable, and nobody can change it."), "success")
    return redirect(url_for("projects.overview", project_id=project_id))


@bp.route("/projects/<int:project_id>/unarchive", methods=["POST"])
@login_required
def unarchive(project_id: int) -> Response:
    access = project_access(project_id, Action.ARCHIVE)
    operations.unarchive_project(access.project)
    flash(_("Project unarchived: the team can work in it again."), "success")
    return redirect(url_for("projects.overview", project_id=project_id))


@bp.route("/projects/<int:project_id>/delete", methods=["GET", "POST"])
@login_required
def delete(project_id: int) -> Page:
    access = project_access(project_id, Action.DELETE_PROJECT)
    form = DeleteProjectForm()
    if form.validate_on_submit():
        try:
            operations.delete_project(access.project, confirmation=form.confirmation.data)
        except Refused as refusal:
            form.confirmation.errors.append(refusal.message)
        else:
            flash(_("The project %(name)s was deleted.", name=access.project.name), "success")
            return redirect(url_for("projects.index"))
    return rendered("projects/delete.html", form, access=access, project=access.project)
