"""/api/v1: files, their versions and their content."""

from __future__ import annotations

from flask import g, jsonify
from sqlalchemy import select
from werkzeug.wrappers import Response

from workspace.api import serializers
from workspace.api.bodies import created, uploaded
from workspace.api.views import bp, project_item, project_items
from workspace.extensions import db
from workspace.files import operations
from workspace.files.forms import UploadForm, VersionForm
from workspace.files.models import FileVersion, ProjectFile
from workspace.files.views import send_version, visible_version
from workspace.projects.access import Action, ProjectAccess, project_access


@bp.route("/projects/<int:project_id>/files")
def list_files(project_id: int) -> Response:
    return project_items(project_id, ProjectFile, serializers.project_file, "api.list_files",
                         db.joinedload(ProjectFile.author))


@bp.route("/projects/<int:project_id>/files", methods=["POST"])
def upload(project_id: int) -> tuple[Response, int]:
    """Upload one or more files (`files` parts) with a `description` and a `private` mark."""
    access = project_access(project_id, Action.POST, user=g.acting_user)
    form = uploaded(UploadForm)
    files = operations.upload_files(
        access, [f for f in form.files.data if f and f.filename],
        description=form.description.data or "", private=bool(form.private.data),
    )
    return created([serializers.project_file(f) for f in files])


@bp.route("/projects/<int:project_id>/files/<int:file_id>")
def project_file(project_id: int, file_id: int) -> Response:
    return project_item(project_id, ProjectFile, file_id, serializers.project_file)


def versions_json(access: ProjectAccess, project_file: ProjectFile) -> list[dict[str, object]]:
    versions = db.session.scalars(
        select(FileVersion).where(FileVersion.file_id == project_file.id)
        .options(db.joinedload(FileVersion.uploader)).order_by(FileVersion.number.desc())
    )
    return [serializers.version(v, access.project.id) for v in versions]


@bp.route("/projects/<int:project_id>/files/<int:file_id>/versions")
def versions(project_id: int, file_id: int) -> Response:
    access = project_access(project_id, user=g.acting_user)
    return jsonify(versions_json(access, access.item_or_404(ProjectFile, file_id)))


@bp.route("/projects/<int:project_id>/files/<int:file_id>/versions", methods=["POST"])
def new_version(project_id: int, file_id: int) -> tuple[Response, int]:
    """Upload a new version (a `file` part): the team on any file, a client on their own."""
    access = project_access(project_id, Action.POST, user=g.acting_user)
    project_file = access.item_or_404(ProjectFile, file_id)
    access.require_team_or_author(project_file)
    form = uploaded(VersionForm)
    operations.add_version(access, project_file, form.file.data)
    return created(versions_json(access, project_file)[0])


@bp.route("/projects/<int:project_id>/files/<int:file_id>/download")
@bp.route("/projects/<int:project_id>/files/<int:file_id>/versions/<int:number>/download")
def download(project_id: int, file_id: int, number: int | None = None) -> Response:
    access = project_access(project_id, user=g.acting_user)
    return send_version(visible_version(access, file_id, number), latest=number is None)
