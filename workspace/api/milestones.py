"""/api/v1: milestones."""

from __future__ import annotations

from flask import g, jsonify
from werkzeug.wrappers import Response

from workspace.api import serializers
from workspace.api.bodies import created, refuse_undocumented, validated
from workspace.api.views import bp, project_item, project_items
from workspace.milestones import operations
from workspace.milestones.forms import MilestoneForm
from workspace.milestones.models import Milestone
from workspace.projects.access import Action, ProjectAccess, project_access
from workspace.projects.operations import people_of


def people_choices(access: ProjectAccess) -> list[tuple[object, str]]:
    """Who a to-do or milestone may be given to: anyone in the project, or nobody."""
    return [("", ""), *((m.user_id, m.user.name) for m in people_of(access.project))]


@bp.route("/projects/<int:project_id>/milestones")
def list_milestones(project_id: int) -> Response:
    return project_items(project_id, Milestone, serializers.milestone, "api.list_milestones")


@bp.route("/projects/<int:project_id>/milestones", methods=["POST"])
def create_milestone(project_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    form = validated(MilestoneForm, {"responsible": people_choices(access)},
                     responsible_id="responsible")
    milestone = operations.create_milestone(
        access, title=form.title.data, due_on=form.due_on.data,
        responsible_id=form.responsible.data, notes=form.notes.data or "",
    )
    return created(serializers.milestone(milestone))


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>")
def milestone(project_id: int, milestone_id: int) -> Response:
    return project_item(project_id, Milestone, milestone_id, serializers.milestone)


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>", methods=["PATCH"])
def update_milestone(project_id: int, milestone_id: int) -> Response:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    milestone = access.item_or_404(Milestone, milestone_id)
    form = validated(MilestoneForm, {"responsible": people_choices(access)},
                     current={"title": milestone.title, "due_on": milestone.due_on.isoformat(),
                              "responsible_id": milestone.responsible_id,
                              "notes": milestone.notes},
                     responsible_id="responsible")
    operations.update_milestone(access, milestone, title=form.title.data,
                                due_on=form.due_on.data, responsible_id=form.responsible.data,
                                notes=form.notes.data or "")
    return jsonify(serializers.milestone(milestone))


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>/"
          "<any(complete, reopen):change>", methods=["POST"])
def check_milestone(project_id: int, milestone_id: int, change: str) -> Response:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    milestone = access.item_or_404(Milestone, milestone_id)
    refuse_undocumented()
    if change == "complete":
        operations.complete_milestone(milestone, by=access.user)
    else:
        operations.reopen_milestone(milestone, by=access.user)
    return jsonify(serializers.milestone(milestone))
