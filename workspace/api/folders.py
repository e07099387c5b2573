"""/api/v1: folders, what they hold, and moving folders, documents and files."""

from __future__ import annotations

from flask import g, jsonify, request
from werkzeug.wrappers import Response

from workspace.api import serializers
from workspace.api.bodies import created, invalid, json_object, validated
from workspace.api.views import bp, project_item, project_items
from workspace.documents.models import Document
from workspace.files.models import ProjectFile
from workspace.folders import operations
from workspace.folders.forms import FolderForm
from workspace.folders.models import Folder
from workspace.links import subject_url
from workspace.projects.access import Action, ProjectAccess, project_access
from workspace.types import MAX_ID, positive_id


def destination(access: ProjectAccess, field: str) -> Folder | None:
    """The folder a body names by `field` (an id, or null for the top of the project)."""
    value = json_object().get(field)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                              or not 0 < value <= MAX_ID):
        raise invalid({field: "A folder id, or null for the top of the project."})
    return operations.folder_in_project(access, value)


@bp.route("/projects/<int:project_id>/folders")
def folders(project_id: int) -> Response:
    return project_items(project_id, Folder, serializers.folder, "api.folders")


@bp.route("/projects/<int:project_id>/folders", methods=["POST"])
def make_folder(project_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.POST, user=g.acting_user)
    form = validated(FolderForm)
    folder = operations.make_folder(access, name=form.name.data,
                                    parent=destination(access, "parent_id"),
                                    private=bool(form.private.data),
                                    description=form.description.data or "")
    return created(serializers.folder(folder))


@bp.route("/projects/<int:project_id>/folders/<int:folder_id>")
def folder(project_id: int, folder_id: int) -> Response:
    return project_item(project_id, Folder, folder_id, serializers.folder)


@bp.route("/projects/<int:project_id>/folders/<int:folder_id>", methods=["PATCH"])
def change_folder(project_id: int, folder_id: int) -> Response:
    access = project_access(project_id, Action.POST, user=g.acting_user)
    folder = access.item_or_404(Folder, folder_id)
    access.require_team_or_author(folder)
    form = validated(FolderForm, current={"name": folder.name, "private": folder.marked_private,
                                          "description": folder.description})
    operations.change_folder(access, folder, name=form.name.data, private=bool(form.private.data),
                             description=form.description.data or "")
    return jsonify(serializers.folder(folder))


@bp.route("/projects/<int:project_id>/folders/<int:folder_id>/contents")
def folder_contents(project_id: int, folder_id: int) -> Response:
    """A page (`page`, 50 entries) of what a folder holds, folders first, by name."""
    access = project_access(project_id, user=g.acting_user)
    folder = access.item_or_404(Folder, folder_id)
    entries, total = operations.contents(access, folder, sort="name", descending=False,
                                         page=request.args.get("page", 1, type=positive_id))
    return jsonify(total=total, entries=[
        {"type": e.kind, "id": e.id, "name": e.name, "private": e.private,
         "updated_at": serializers.when(e.updated_at),
         "app_url": subject_url(e.kind, project_id, e.id, external=True)} for e in entries])


@bp.route("/projects/<int:project_id>/folders/<int:folder_id>/move", methods=["POST"])
def move_folder(project_id: int, folder_id: int) -> Response:
    """Into the folder `parent_id`, or to the top (null)."""
    access = project_access(project_id, Action.POST, user=g.acting_user)
    folder = access.item_or_404(Folder, folder_id)
    access.require_team_or_author(folder)
    operations.move_folder(access, folder, destination(access, "parent_id"))
    return jsonify(serializers.folder(folder))


def move_item(project_id: int, model: type, item_id: int, serialize) -> Response:  # type: ignore[no-untyped-def]
    access = project_access(project_id, Action.POST, user=g.acting_user)
    item = access.item_or_404(model, item_id)
    access.require_team_or_author(item)
    operations.move_item(access, item, destination(access, "folder_id"))
    return jsonify(serialize(item))


@bp.route("/projects/<int:project_id>/documents/<int:document_id>/move", methods=["POST"])
def move_document(project_id: int, document_id: int) -> Response:
    return move_item(project_id, Document, document_id, serializers.document)


@bp.route("/projects/<int:project_id>/files/<int:file_id>/move", methods=["POST"])
def move_file(project_id: int, file_id: int) -> Response:
    return move_item(project_id, ProjectFile, file_id, serializers.project_file)
