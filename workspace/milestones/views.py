from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from workspace.comments.forms import CommentForm
from workspace.comments.views import (
    page_item_or_404,
    page_with_comment_form,
    requested_thread,
)
from workspace.files.operations import files_attached_to
from workspace.i18n import viewer_today
from workspace.links import item_url
from workspace.milestones import operations, queries
from workspace.milestones.forms import MilestoneForm
from workspace.milestones.models import Milestone
from workspace.projects.access import Action, ProjectAccess, project_access
from workspace.todos.queries import progress_by_milestone
from workspace.todos.views import people_choices
from workspace.web import Page

bp = Blueprint("milestones", __name__, url_prefix="/projects/<int:project_id>")


def milestone_form(access: ProjectAccess, **kwargs: object) -> MilestoneForm:
    form = MilestoneForm(**kwargs)
    form.responsible.choices = people_choices(access)
    return form


def form_page(access: ProjectAccess, form: MilestoneForm,
              milestone: Milestone | None = None) -> Page:
    return render_template("milestones/form.html", access=access, project=access.project,
                           form=form, milestone=milestone), 400 if form.errors else 200


@bp.route("/milestones")
@login_required
def index(project_id: int) -> str:
    access = project_access(project_id)
    today = viewer_today()
    return render_template(
        "milestones/index.html", access=access, project=access.project, today=today,
        schedule=queries.schedule(access, today),
        progress=progress_by_milestone(access, today),
    )


@bp.route("/milestones/new", methods=["GET", "POST"])
@login_required
def new(project_id: int) -> Page:
    access = project_access(project_id, Action.PLAN)
    form = milestone_form(access)
    if form.validate_on_submit():
        milestone = operations.create_milestone(
            access, title=form.title.data, due_on=form.due_on.data,
            responsible_id=form.responsible.data, notes=form.notes.data or "",
        )
        flash(_("Milestone added."), "success")
        return redirect(item_url(milestone))
    return form_page(access, form)


@bp.route("/milestones/<int:milestone_id>")
@login_required
def show(project_id: int, milestone_id: int) -> Page:
    access = project_access(project_id)
    milestone = page_item_or_404(access, "milestone", milestone_id)
    return milestone_page(access, milestone, CommentForm())


@page_with_comment_form("milestone", joinedload(Milestone.responsible),
                        joinedload(Milestone.completed_by))
def milestone_page(access: ProjectAccess, milestone: Milestone, comment_form: CommentForm) -> Page:
    today = viewer_today()
    return render_template(
        "milestones/show.html", access=access, project=access.project, milestone=milestone,
        today=today, lists=queries.linked_lists(access, milestone, today),
        thread=requested_thread(milestone), attached=files_attached_to(milestone, access),
        comment_form=comment_form,
    ), 400 if comment_form.errors else 200


@bp.route("/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int, milestone_id: int) -> Page:
    access = project_access(project_id, Action.PLAN)
    milestone = access.item_or_404(Milestone, milestone_id)
    # Not obj=milestone: its `responsible` relationship would win over the id the field takes.
    form = milestone_form(access, title=milestone.title, due_on=milestone.due_on,
                          responsible=milestone.responsible_id, notes=milestone.notes)
    if form.validate_on_submit():
        operations.update_milestone(
            access, milestone, title=form.title.data, due_on=form.due_on.data,
            responsible_id=form.responsible.data, notes=form.notes.data or "",
        )
        flash(_("Milestone saved."), "success")
        return redirect(item_url(milestone))
    return form_page(access, form, milestone)


@bp.route("/milestones/<int:milestone_id>/<any(complete, reopen):change>", methods=["POST"])
@login_required
def check(project_id: int, milestone_id: int, change: str) -> Response:
    """Mark a milestone completed, or reopen it."""
    access = project_access(project_id, Action.PLAN)
    milestone = access.item_or_404(Milestone, milestone_id)
    if change == "complete":
        operations.complete_milestone(milestone, by=access.user)
        flash(_("Milestone completed: %(title)s", title=milestone.title), "success")
    else:
        operations.reopen_milestone(milestone, by=access.user)
        flash(_("Milestone reopened: %(title)s", title=milestone.title), "success")
    return redirect(item_url(milestone))


@bp.route("/milestones/<int:milestone_id>/delete", methods=["POST"])
@login_required
def delete(project_id: int, milestone_id: int) -> Response:
    access = project_access(project_id, Action.PLAN)
    operations.delete_milestone(access.item_or_404(Milestone, milestone_id))
    flash(_("Milestone deleted; its to-do lists stay."), "success")
    return redirect(url_for("milestones.index", project_id=project_id))
