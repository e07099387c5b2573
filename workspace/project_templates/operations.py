"""Templates: saving, importing, exporting, deleting, and starting projects and lists from
them. Each function is one transaction; a refusal writes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from workspace.auth.models import User
from workspace.errors import Refused
from workspace.extensions import db
from workspace.project_templates import capture
from workspace.project_templates.capture import Keep
from workspace.project_templates.dates import Calendar
from workspace.project_templates.instantiate import Target, insert_lists, write_content
from workspace.project_templates.models import ProjectTemplate
from workspace.project_templates.schema import checked, parsed, span
from workspace.projects.access import (
    ProjectAccess,
    may_delete_template,
    sees_template,
)
from workspace.projects.models import Membership, Project, Role
from workspace.projects.operations import join_project, people_of
from workspace.projects.versions import project_changed
from workspace.text import render_markdown
from workspace.todos.models import TodoList

ROLE_STRENGTH = {Role.OWNER: 0, Role.MEMBER: 1, Role.CLIENT: 2}


class UnknownPerson(Refused):
    message = _l("Choose people you work with in your projects for the template's roles.")


class NotInProject(Refused):
    message = _l("Choose people of this project for the template's roles.")


class NotAListTemplate(Refused):
    message = _l("Only a to-do list template can be added to a project.")


class NotAProjectTemplate(Refused):
    message = _l("A to-do list template is added to a project; it does not make one.")


class MayNotDelete(Refused):
    status = 403
    message = _l("Only the person who saved this template, or a site administrator, may "
                 "delete it.")


# -- saving, importing, exporting -------------------------------------------------------------

def store(document: dict, *, by: User | None, source: Project | None = None) -> ProjectTemplate:
    document = checked(document)  # what was read from a project is checked as a file is
    template = ProjectTemplate(
        kind=document["kind"], name=document["name"], description=document["description"],
        content=document, created_by_id=by.id if by else None,
        source_project_id=source.id if source else None,
        rendered_notes={notes: str(render_markdown(notes)) for notes in {
            *(todo["notes"] for todo_list in document["lists"] for todo in todo_list["todos"]
              if todo["notes"]),
            *comment_bodies(document)}},
        todo_count=sum(len(todo_list["todos"]) for todo_list in document["lists"]))
    db.session.add(template)
    db.session.commit()
    return template


def people_named(project: Project) -> list[tuple[int, str]]:
    """The people whose roles a save form names, in the order of its fields."""
    return [(m.user_id, m.user.name) for m in people_of(project)]


def comment_bodies(document: dict) -> set[str]:
    """The texts of the kept comments, rendered once when the template is stored rather than
    at each project made from it."""
    commented = [*document["milestones"], *document["documents"], *document["messages"],
                 *(todo for todo_list in document["lists"] for todo in todo_list["todos"])]
    return {comment["body"] for entry in commented for comment in entry["comments"]}


def save_project_template(access: ProjectAccess, keep: Keep, *, name: str,
                          description: str = "") -> ProjectTemplate:
    """Keep `access.project` as a template (its owners: the views ask `save_template`)."""
    return store(capture.project_document(access.project, keep, name=name.strip(),
                                          description=description.strip()),
                 by=access.user, source=access.project)


def save_list_template(access: ProjectAccess, todo_list: TodoList, keep: Keep, *, name: str,
                       description: str = "") -> ProjectTemplate:
    return store(capture.list_document(todo_list, keep, name=name.strip(),
                                       description=description.strip()),
                 by=access.user, source=access.project)


def import_template(raw: bytes, *, by: User | None) -> ProjectTemplate:
    """A template file from this or another installation, refused whole (`BadTemplate`,
    naming what is wrong) or stored whole."""
    return store(parsed(raw), by=by)


def exported(template: ProjectTemplate) -> dict[str, Any]:
    """The file another installation imports: the document itself (docs/templates.md)."""
    return checked(template.content)


def delete_template(template: ProjectTemplate, *, by: User) -> None:
    if not may_delete_template(by, template.created_by_id):
        raise MayNotDelete()
    db.session.delete(template)
    db.session.commit()


def visible_templates(user: User | None) -> Select[tuple[ProjectTemplate]]:
    """The templates `user` sees (every one for None: the command line) by name, without
    their content."""
    query = select(ProjectTemplate).options(db.defer(ProjectTemplate.content),
                                            db.joinedload(ProjectTemplate.created_by))
    if user is not None:
        query = query.where(sees_template(user, ProjectTemplate.created_by_id,
                                          ProjectTemplate.source_project_id))
    return query.order_by(ProjectTemplate.name, ProjectTemplate.id)


def template_for(user: User, template_id: int) -> ProjectTemplate | None:
    """The template if `user` may see it (with its content), else None."""
    return db.session.scalar(select(ProjectTemplate).where(
        ProjectTemplate.id == template_id,
        sees_template(user, ProjectTemplate.created_by_id, ProjectTemplate.source_project_id)))


# -- starting from a template -----------------------------------------------------------------

def known_people(user: User) -> Select[tuple[User]]:
    """Whom `user` may give a template's roles to when making a project: themselves and the
    people of their projects (everyone active, for a site administrator)."""
    query = select(User).where(User.deactivated_at.is_(None))
    if not user.is_admin:
        their_projects = select(Membership.project_id).where(Membership.user_id == user.id)
        query = query.where(User.id.in_(
            select(Membership.user_id).where(Membership.project_id.in_(their_projects))))
    return query.order_by(User.name, User.id)


def chosen_people(document: dict, people: Mapping[str, int | None],
                  allowed: Select[tuple[User]], refusal: type[Refused]) -> dict[str, int | None]:
    """Each role of the template with the person chosen for it (None: nobody); a person who
    is not among `allowed` is refused."""
    wanted = {key: people.get(key) for key in (role["key"] for role in document["roles"])}
    ids = {user_id for user_id in wanted.values() if user_id is not None}
    if ids:
        found = set(db.session.scalars(
            allowed.with_only_columns(User.id).where(User.id.in_(ids)).order_by(None)))
        if found != ids:
            raise refusal()
    return wanted


def create_project(template: ProjectTemplate, *, name: str, description: str,
                   anchor_date: object, from_end: bool, skip_weekends: bool,
                   people: Mapping[str, int | None], by: User) -> Project:
    """A new project from a project template, ready in one transaction: its creator is an
    owner, the people chosen for roles join with the roles' project roles, and every date
    falls where `Calendar` says."""
    if template.is_list:
        raise NotAProjectTemplate()
    document = checked(template.content)
    chosen = chosen_people(document, people, known_people(by), UnknownPerson)
    project = Project(name=name.strip(), description=description.strip())
    if document["settings"]:
        settings = document["settings"]
        project.timezone = settings["timezone"]
        project.alert_days_before = settings["alert_days_before"]
        project.alert_on_the_day = settings["alert_on_the_day"]
        project.alert_when_late = settings["alert_when_late"]
    db.session.add(project)
    try:
        join_project(project, by, Role.OWNER)
        for user_id, role in roles_of_people(document, chosen, by).items():
            join_project(project, db.session.get(User, user_id), role)
        db.session.flush()
        calendar = Calendar(anchor_date, span(document), from_end=from_end,  # type: ignore[arg-type]
                            skip_weekends=skip_weekends)
        write_content(document, Target(project.id, by, calendar, chosen,
                                       template.rendered_notes))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return project


def roles_of_people(document: dict, chosen: Mapping[str, int | None],
                    by: User) -> dict[int, Role]:
    """The project role of each chosen person other than the creator: the strongest of the
    roles they were chosen for (a role without one makes a member)."""
    roles: dict[int, Role] = {}
    for entry in document["roles"]:
        user_id = chosen.get(entry["key"])
        if user_id is None or user_id == by.id:
            continue
        role = Role(entry["project_role"]) if entry["project_role"] else Role.MEMBER
        if user_id not in roles or ROLE_STRENGTH[role] < ROLE_STRENGTH[roles[user_id]]:
            roles[user_id] = role
    return roles


def insert_list(access: ProjectAccess, template: ProjectTemplate, *, anchor_date: object,
                skip_weekends: bool, people: Mapping[str, int | None]) -> TodoList:
    """A list template added to a running project, its days counted from `anchor_date`, its
    roles given to people of the project."""
    if not template.is_list:
        raise NotAListTemplate()
    document = checked(template.content)
    project_people = select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.project_id == access.project.id)
    chosen = chosen_people(document, people, project_people, NotInProject)
    calendar = Calendar(anchor_date, span(document), skip_weekends=skip_weekends)  # type: ignore[arg-type]
    try:
        target = Target(access.project.id, access.user, calendar, chosen,
                        template.rendered_notes)
        [list_id] = insert_lists(document["lists"], target, {})
        project_changed(db.session(), {access.project.id})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return db.session.get(TodoList, list_id)
