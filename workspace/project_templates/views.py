"""The template pages: the installation's templates, one template (to start a project or
add a list from), saving a project or a list as one, importing, exporting, deleting."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from workspace.errors import Refused
from workspace.extensions import db
from workspace.messages.models import Message
from workspace.project_templates import operations
from workspace.project_templates.forms import (
    CreateProjectForm,
    DeleteForm,
    ImportForm,
    InsertListForm,
    SaveListTemplateForm,
    SaveTemplateForm,
    people_of_form,
    with_labels,
    with_roles,
)
from workspace.project_templates.models import ProjectTemplate
from workspace.project_templates.schema import read_limited
from workspace.projects.access import (
    Action,
    may_delete_template,
    project_access,
    require_template_user,
    visible_projects,
)
from workspace.projects.models import Membership, Project, Role
from workspace.projects.operations import people_of
from workspace.todos.models import TodoList
from workspace.web import Page, rendered

bp = Blueprint("project_templates", __name__)


def template_or_404(template_id: int) -> ProjectTemplate:
    require_template_user(current_user)
    template = operations.template_for(current_user, template_id)
    if template is None:
        raise NotFound()
    return template


@bp.route("/templates")
@login_required
def index() -> Page:
    require_template_user(current_user)
    return index_page(ImportForm())


def index_page(form: ImportForm, status: int = 200) -> Page:
    templates = db.session.scalars(operations.visible_templates(current_user)).all()
    return render_template("project_templates/index.html", form=form,
                           templates=templates), status


@bp.route("/templates/import", methods=["POST"])
@login_required
def import_file() -> Page:
    require_template_user(current_user)
    form = ImportForm()
    if form.validate_on_submit():
        try:
            template = operations.import_template(read_limited(form.file.data.stream),
                                                  by=current_user)
        except Refused as refusal:
            form.file.errors.append(refusal.message)
        else:
            flash(_("Template imported."), "success")
            return redirect(url_for("project_templates.show", template_id=template.id))
    return index_page(form, 400)


def known_choices() -> list[tuple[object, str]]:
    return [(user.id, user.name)
            for user in db.session.scalars(operations.known_people(current_user))]


def creation_form(template: ProjectTemplate, **kwargs: object) -> CreateProjectForm:
    return with_roles(CreateProjectForm, template.content["roles"], known_choices(), **kwargs)


def show_page(template: ProjectTemplate, form: object | None, status: int = 200) -> Page:
    planned = []
    if template.is_list:  # the projects it may be added to
        planned = db.session.scalars(
            visible_projects(current_user).where(Project.archived_at.is_(None), Project.id.in_(
                select(Membership.project_id).where(Membership.user_id == current_user.id,
                                                    Membership.role != Role.CLIENT)))
            .order_by(Project.name)).all()
    return render_template(
        "project_templates/show.html", template=template, document=template.content,
        form=form, projects=planned,
        may_delete=may_delete_template(current_user, template.created_by_id)), status


@bp.route("/templates/<int:template_id>")
@login_required
def show(template_id: int) -> Page:
    template = template_or_404(template_id)
    return show_page(template, None if template.is_list else creation_form(template))


@bp.route("/templates/<int:template_id>/projects", methods=["POST"])
@login_required
def create_project(template_id: int) -> Page:
    template = template_or_404(template_id)
    if template.is_list:
        raise NotFound()
    form = creation_form(template)
    if form.validate_on_submit():
        try:
            project = operations.create_project(
                template, name=form.name.data, description=form.description.data or "",
                anchor_date=form.anchor_date.data, from_end=form.anchor.data == "end",
                skip_weekends=form.skip_weekends.data, people=people_of_form(form),
                by=current_user)
        except Refused as refusal:
            form.name.errors.append(refusal.message)
        else:
            flash(_("Project created from the template %(name)s.", name=template.name),
                  "success")
            return redirect(url_for("projects.overview", project_id=project.id))
    return show_page(template, form, 400)


@bp.route("/templates/<int:template_id>/export.json")
@login_required
def export(template_id: int) -> Response:
    template = template_or_404(template_id)
    body = json.dumps(operations.exported(template), ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="template-{template.id}.json"'})


@bp.route("/templates/<int:template_id>/delete", methods=["GET", "POST"])
@login_required
def delete(template_id: int) -> Page:
    template = template_or_404(template_id)
    if not may_delete_template(current_user, template.created_by_id):
        raise NotFound()
    form = DeleteForm()
    if form.validate_on_submit():
        operations.delete_template(template, by=current_user)
        flash(_("The template %(name)s was deleted.", name=template.name), "success")
        return redirect(url_for("project_templates.index"))
    return render_template("project_templates/delete.html", template=template, form=form)


# -- saving -----------------------------------------------------------------------------------

def saved(template: ProjectTemplate) -> Response:
    flash(_("Saved as the template %(name)s.", name=template.name), "success")
    return redirect(url_for("project_templates.show", template_id=template.id))


@bp.route("/projects/<int:project_id>/save-as-template", methods=["GET", "POST"])
@login_required
def save_project(project_id: int) -> Page:
    access = project_access(project_id, Action.SAVE_TEMPLATE)
    require_template_user(current_user)
    form = with_labels(SaveTemplateForm, operations.people_named(access.project), data=None
                       if request.method == "POST" else {
                           "name": access.project.name,
                           "description": access.project.description})
    form.messages.choices = [(m.id, m.title) for m in db.session.scalars(
        select(Message).where(Message.project_id == project_id).order_by(Message.id.desc())
        .limit(200))]
    if form.validate_on_submit():
        return saved(operations.save_project_template(
            access, form.keep(), name=form.name.data, description=form.description.data or ""))
    return rendered("project_templates/save.html", form, access=access,
                    project=access.project, todo_list=None)


@bp.route("/projects/<int:project_id>/todolists/<int:list_id>/save-as-template",
          methods=["GET", "POST"])
@login_required
def save_list(project_id: int, list_id: int) -> Page:
    access = project_access(project_id, Action.SAVE_TEMPLATE)
    require_template_user(current_user)
    todo_list = access.item_or_404(TodoList, list_id)
    form = with_labels(SaveListTemplateForm, operations.people_named(access.project), data=None
                       if request.method == "POST" else {
                           "name": todo_list.name, "description": todo_list.description})
    if form.validate_on_submit():
        return saved(operations.save_list_template(
            access, todo_list, form.keep(), name=form.name.data,
            description=form.description.data or ""))
    return rendered("project_templates/save.html", form, access=access,
                    project=access.project, todo_list=todo_list)


# -- adding a list ----------------------------------------------------------------------------

@bp.route("/projects/<int:project_id>/templates/<int:template_id>/insert",
          methods=["GET", "POST"])
@login_required
def insert_list(project_id: int, template_id: int) -> Page:
    access = project_access(project_id, Action.PLAN)
    template = template_or_404(template_id)
    if not template.is_list:
        raise NotFound()
    choices = [(m.user_id, m.user.name) for m in people_of(access.project)]
    form = with_roles(InsertListForm, template.content["roles"], choices)
    if form.validate_on_submit():
        try:
            todo_list = operations.insert_list(
                access, template, anchor_date=form.anchor_date.data,
                skip_weekends=form.skip_weekends.data, people=people_of_form(form))
        except Refused as refusal:
            form.anchor_date.errors.append(refusal.message)
        else:
            flash(_("The list %(name)s was added.", name=todo_list.name), "success")
            return redirect(url_for("todos.show_list", project_id=project_id,
                                    list_id=todo_list.id))
    return rendered("project_templates/insert.html", form, access=access,
                    project=access.project, list_template=template)
