"""/api/v1: projects, their people and their activity."""

from __future__ import annotations

from flask import g, jsonify
from sqlalchemy import select
from werkzeug.wrappers import Response

from workspace.activity.models import Event
from workspace.api import serializers
from workspace.api.bodies import created, refuse_undocumented, validated
from workspace.api.errors import ApiError
from workspace.api.views import bp, page_of, since, since_value
from workspace.extensions import db
from workspace.projects import operations
from workspace.projects.access import (
    Action,
    MayNotCreateProjects,
    ProjectAccess,
    may_create_projects,
    project_access,
    visible_projects,
)
from workspace.projects.forms import InviteForm, ProjectForm, RoleForm
from workspace.projects.models import Membership, Project, Role


def project_json(access: ProjectAccess) -> dict[str, object]:
    return serializers.project(access.project, str(access.role))


@bp.route("/projects")
def projects() -> Response:
    user = g.acting_user
    roles = dict(db.session.execute(
        select(Membership.project_id, Membership.role).where(Membership.user_id == user.id)
    ).all())
    return page_of(
        visible_projects(user), Project.id,
        lambda project: serializers.project(project, str(roles.get(project.id, "owner"))),
        "api.projects",
    )


@bp.route("/projects", methods=["POST"])
def create_project() -> tuple[Response, int]:
    if not may_create_projects(g.acting_user):
        raise ApiError(403, "forbidden", str(MayNotCreateProjects.description))
    form = validated(ProjectForm)
    project = operations.create_project(form.name.data, form.description.data or "",
                                        by=g.acting_user)
    return created(serializers.project(project, str(Role.OWNER)))


@bp.route("/projects/<int:project_id>")
def project(project_id: int) -> Response:
    return jsonify(project_json(project_access(project_id, user=g.acting_user)))


@bp.route("/projects/<int:project_id>", methods=["PATCH"])
def update_project(project_id: int) -> Response:
    access = project_access(project_id, Action.EDIT_PROJECT, user=g.acting_user)
    project = access.project
    form = validated(ProjectForm, current={"name": project.name,
                                           "description": project.description})
    operations.update_project(project, name=form.name.data,
                              description=form.description.data or "")
    return jsonify(project_json(access))


@bp.route("/projects/<int:project_id>/<any(archive, unarchive):change>", methods=["POST"])
def archive_project(project_id: int, change: str) -> Response:
    """Archive (read-only from then on) or bring back a project: owners only."""
    access = project_access(project_id, Action.ARCHIVE, user=g.acting_user)
    refuse_undocumented()
    if change == "archive":
        operations.archive_project(access.project)
    else:
        operations.unarchive_project(access.project)
    return jsonify(project_json(access))


@bp.route("/projects/<int:project_id>/events")
def project_events(project_id: int) -> Response:
    access = project_access(project_id, user=g.acting_user)
    query = access.visible(select(Event), Event)
    if (newer_than := since()) is not None:
        query = query.where(Event.id > newer_than)
    return page_of(query.options(db.joinedload(Event.actor)), Event.id, serializers.event,
                   "api.project_events", project_id=project_id, **since_value())


# -- people -----------------------------------------------------------------------------------

@bp.route("/projects/<int:project_id>/people")
def people(project_id: int) -> Response:
    access = project_access(project_id, user=g.acting_user)
    return jsonify([serializers.member(m) for m in operations.people_of(access.project)])


@bp.route("/projects/<int:project_id>/people", methods=["POST"])
def add_person(project_id: int) -> tuple[Response, int]:
    """Add someone by email: at once if they have an account, else by an emailed invitation
    (202, since they join only when they accept it)."""
    access = project_access(project_id, Action.MANAGE_PEOPLE, user=g.acting_user)
    form = validated(InviteForm)
    role = Role(form.role.data)
    membership = operations.add_known_person(access.project, form.email.data, role)
    if membership is not None:
        return created(serializers.member(membership))
    invitation, _token = operations.invite(access.project, form.email.data, role,
                                           by=g.acting_user)
    return jsonify(invited={"email": invitation.email, "role": str(invitation.role),
                            "expires_at": serializers.when(invitation.expires_at)}), 202


def membership_of(access: ProjectAccess, user_id: int) -> Membership:
    membership = db.session.scalar(select(Membership).where(
        Membership.project_id == access.project.id, Membership.user_id == user_id))
    if membership is None:
        raise ApiError(404, "not_found", "This person is not in the project.")
    return membership


@bp.route("/projects/<int:project_id>/people/<int:user_id>", methods=["PATCH"])
def change_role(project_id: int, user_id: int) -> Response:
    access = project_access(project_id, Action.MANAGE_PEOPLE, user=g.acting_user)
    membership = membership_of(access, user_id)
    form = validated(RoleForm, current={"role": str(membership.role)})
    operations.change_role(membership, Role(form.role.data))
    return jsonify(serializers.member(membership))


@bp.route("/projects/<int:project_id>/people/<int:user_id>", methods=["DELETE"])
def remove_person(project_id: int, user_id: int) -> tuple[str, int]:
    access = project_access(project_id, Action.MANAGE_PEOPLE, user=g.acting_user)
    membership = membership_of(access, user_id)
    refuse_undocumented()
    operations.remove_person(membership)
    return "", 204
