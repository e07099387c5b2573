"""/api/v1: templates (docs/templates.md). They are no project's items, so no item list,
event or search of the API ever shows one: only these resources do, to the people who see
them on the pages (projects.access.sees_template)."""

from __future__ import annotations

from flask import g, jsonify, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from workspace.api import serializers
from workspace.api.bodies import (
    as_formdata,
    created,
    invalid,
    json_object,
    refuse_undocumented,
    renamed_back,
)
from workspace.api.errors import ApiError
from workspace.api.views import bp, page_of
from workspace.project_templates import operations
from workspace.project_templates.forms import (
    CreateProjectForm,
    InsertListForm,
    SaveListTemplateForm,
    SaveTemplateForm,
    with_labels,
)
from workspace.project_templates.models import ProjectTemplate
from workspace.project_templates.schema import MAX_FILE_BYTES, too_large
from workspace.projects.access import (
    Action,
    ProjectAccess,
    project_access,
    require_template_user,
)
from workspace.todos.models import TodoList
from workspace.types import MAX_ID


def template(item: ProjectTemplate) -> dict[str, object]:
    return {"id": item.id, "kind": item.kind, "name": item.name,
            "description": item.description, "todo_count": item.todo_count,
            "source_project_id": item.source_project_id,
            "created_by": serializers.person(item.created_by),
            "created_at": serializers.when(item.created_at),
            "app_url": url_for("project_templates.show", template_id=item.id, _external=True)}


def template_or_404(template_id: int) -> ProjectTemplate:
    require_template_user(g.acting_user)
    found = operations.template_for(g.acting_user, template_id)
    if found is None:
        raise ApiError(404, "not_found", "There is no such template, or you do not see it.")
    return found


def people() -> dict[str, int | None]:
    """`people`: each role key of the template with a person's id, or null."""
    value = json_object().get("people") or {}
    if not isinstance(value, dict) or not all(
            isinstance(key, str) and (user_id is None or (
                isinstance(user_id, int) and not isinstance(user_id, bool)
                and 0 < user_id <= MAX_ID)) for key, user_id in value.items()):
        raise invalid({"people": "Give an object of role keys and person ids (or null)."})
    return value


def with_people(form_class: type[FlaskForm]) -> FlaskForm:
    """The body validated by a page's form, as `bodies.validated` does, but for `people`
    (an object of role keys and person ids, read by `people()`)."""
    payload = {key: value for key, value in json_object().items() if key != "people"}
    form = form_class(formdata=as_formdata(payload, {}), meta={"csrf": False})
    if not form.validate():
        raise invalid({name: str(errors[0]) for name, errors in form.errors.items()})
    return form


def role_labels(named: list[tuple[int, str]]) -> dict[int, str]:
    """`role_labels`: what a person's role is called, by their id (`{"12": "Designer"}`), for
    people of the project; the others keep their names, as on the save page."""
    value = json_object().get("role_labels") or {}
    people = {str(user_id): user_id for user_id, _name in named}
    if not isinstance(value, dict) or not all(
            isinstance(label, str) and "\x00" not in label for label in value.values()):
        raise invalid({"role_labels": "Give an object of person ids and role names."})
    strangers = sorted(set(value) - set(people))
    if strangers:
        raise invalid({"role_labels": f"{strangers[0][:20]} is the id of no person of this "
                                      "project."})
    return {people[user_id]: label for user_id, label in value.items()}


def save_form(form_class: type[FlaskForm], access: ProjectAccess, **renamed: str) -> FlaskForm:
    """The body validated by the save page's form, its role names (label_0…) given by
    `role_labels`; a name refused is reported under `role_labels`."""
    named = operations.people_named(access.project)
    labels = role_labels(named)
    payload = {key: value for key, value in json_object().items() if key != "role_labels"}
    payload |= {f"label_{index}": labels[user_id] for index, (user_id, _name) in enumerate(named)
                if user_id in labels}
    form = with_labels(form_class, named, formdata=as_formdata(payload, renamed),
                       meta={"csrf": False})
    if not form.validate():
        raise invalid({"role_labels" if name.startswith("label_") else renamed_back(
            name, renamed): str(errors[0]) for name, errors in form.errors.items()})
    return form


@bp.route("/templates")
def list_templates() -> Response:
    require_template_user(g.acting_user)
    query = operations.visible_templates(g.acting_user).order_by(None)
    return page_of(query, ProjectTemplate.id, template, "api.list_templates")


@bp.route("/templates", methods=["POST"])
def import_template() -> tuple[Response, int]:
    """The body is a template file, refused by its size before it is read."""
    require_template_user(g.acting_user)
    if (request.content_length or 0) > MAX_FILE_BYTES:
        raise too_large()
    json_object()
    imported = operations.import_template(request.get_data(), by=g.acting_user)
    return created(template(imported))


@bp.route("/templates/<int:template_id>", methods=["GET", "DELETE"])
def one_template(template_id: int) -> Response | tuple[str, int]:
    """One rule for both methods: with a rule each, werkzeug answers a DELETE on an id too
    large for the database 405 instead of 404 (the GET rule matched the path first)."""
    found = template_or_404(template_id)
    if request.method == "GET":
        return jsonify(template(found))
    refuse_undocumented()
    operations.delete_template(found, by=g.acting_user)
    return "", 204


@bp.route("/templates/<int:template_id>/export")
def export_template(template_id: int) -> Response:
    return jsonify(operations.exported(template_or_404(template_id)))


@bp.route("/templates/<int:template_id>/projects", methods=["POST"])
def create_project_from_template(template_id: int) -> tuple[Response, int]:
    found = template_or_404(template_id)
    form = with_people(CreateProjectForm)
    project = operations.create_project(
        found, name=form.name.data, description=form.description.data or "",
        anchor_date=form.anchor_date.data, from_end=form.anchor.data == "end",
        skip_weekends=form.skip_weekends.data, people=people(), by=g.acting_user)
    return created(serializers.project(project, "owner"))


@bp.route("/projects/<int:project_id>/templates/<int:template_id>/todolists",
          methods=["POST"])
def insert_list_template(project_id: int, template_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    found = template_or_404(template_id)
    form = with_people(InsertListForm)
    todo_list = operations.insert_list(access, found, anchor_date=form.anchor_date.data,
                                       skip_weekends=form.skip_weekends.data, people=people())
    return created(serializers.todo_list(todo_list))


@bp.route("/projects/<int:project_id>/templates", methods=["POST"])
def save_project_template(project_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.SAVE_TEMPLATE, user=g.acting_user)
    require_template_user(g.acting_user)
    form = save_form(SaveTemplateForm, access, message_ids="messages")
    saved = operations.save_project_template(access, form.keep(), name=form.name.data,
                                             description=form.description.data or "")
    return created(template(saved))


@bp.route("/projects/<int:project_id>/todolists/<int:list_id>/template", methods=["POST"])
def save_list_template(project_id: int, list_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.SAVE_TEMPLATE, user=g.acting_user)
    require_template_user(g.acting_user)
    todo_list = access.item_or_404(TodoList, list_id)
    form = save_form(SaveListTemplateForm, access)
    saved = operations.save_list_template(access, todo_list, form.keep(), name=form.name.data,
                                          description=form.description.data or "")
    return created(template(saved))

