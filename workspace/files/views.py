from __future__ import annotations

import io
import unicodedata
from typing import NoReturn
from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.http import dump_options_header
from werkzeug.wrappers import Response

from workspace.comments.forms import CommentForm
from workspace.comments.views import (
    page_item_or_404,
    page_with_comment_form,
    requested_thread,
)
from workspace.files import operations, queries
from workspace.files.forms import FileEditForm, UploadForm, VersionForm
from workspace.files.models import FileVersion, ProjectFile
from workspace.files.s3 import S3Storage
from workspace.files.storage import Storage, storage
from workspace.folders.operations import folder_in_project
from workspace.folders.views import item_place, move_item_from_form
from workspace.links import item_url
from workspace.projects.access import Action, ProjectAccess, project_access
from workspace.types import positive_id
from workspace.web import Page, wants_json

bp = Blueprint("files", __name__, url_prefix="/projects/<int:project_id>")

# Downloads never run in the app's origin: sandboxed, no script, no plugin. PDF viewers refuse
# a sandbox, and run PDF script in their own origin anyway. No other site may frame them.
DOWNLOAD_CSP = ("sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
                "frame-ancestors 'none'")
PDF_CSP = "default-src 'none'; object-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
PRESIGNED_SECONDS = 60
RFC5987_SAFE = "!#$&+-.^_`|~"


def list_page(access: ProjectAccess, form: UploadForm, status: int = 200) -> Page:
    sort = request.args.get("sort", "date")
    page = queries.files_page(
        access, kind=request.args.get("kind"), sort=sort,
        descending=request.args.get("order", "desc" if sort != "name" else "asc") == "desc",
        page=request.args.get("page", 1, type=positive_id),
    )
    return render_template("files/index.html", access=access, project=access.project,
                           page=page, form=form, kinds=queries.KINDS), status


@bp.route("/files")
@login_required
def index(project_id: int) -> Page:
    return list_page(project_access(project_id), UploadForm(formdata=None))


@bp.route("/files", methods=["POST"])
@login_required
def upload(project_id: int) -> Page:
    access = project_access(project_id, Action.POST)
    form = UploadForm()
    if not form.validate():
        if wants_json():
            return jsonify(errors=form.errors), 400
        return list_page(access, form, 400)
    folder = folder_in_project(access, request.form.get("folder_id", type=positive_id))
    try:
        files = operations.upload_files(
            access, [f for f in form.files.data if f and f.filename],
            description=form.description.data or "", private=form.private.data, folder=folder,
        )
    except operations.StorageRefusal as refusal:
        # Keep what was typed: the person can try again later without starting over.
        form.files.errors = [str(refusal.message)]
        if wants_json():
            return jsonify(errors=form.errors), refusal.status
        return list_page(access, form, refusal.status)
    # Flashed for the script too: it reloads the page, which shows it.
    flash(_("Uploaded: %(names)s", names=", ".join(f.name for f in files)), "success")
    if wants_json():
        return jsonify(files=[{"id": f.id, "name": f.name, "url": item_url(f)} for f in files]), 201
    return redirect(item_url(folder) if folder else url_for("files.index", project_id=project_id))


@bp.route("/files/<int:file_id>")
@login_required
def show(project_id: int, file_id: int) -> Page:
    access = project_access(project_id)
    return file_page(access, page_item_or_404(access, "file", file_id))


@page_with_comment_form("file", joinedload(ProjectFile.author),
                        selectinload(ProjectFile.versions).joinedload(FileVersion.uploader))
def file_page(access: ProjectAccess, project_file: ProjectFile,
              comment_form: CommentForm | None = None,
              version_form: VersionForm | None = None) -> Page:
    comment_form = comment_form or CommentForm()
    version_form = version_form or VersionForm(formdata=None)
    status = 400 if comment_form.errors or version_form.errors else 200
    path, move_form, inherited = item_place(access, project_file)
    return render_template(
        "files/show.html", access=access, project=access.project, file=project_file,
        thread=requested_thread(project_file),
        attached=operations.files_attached_to(project_file, access), comment_form=comment_form,
        version_form=version_form, path=path, move_form=move_form, inherited=inherited,
    ), status


@bp.route("/files/<int:file_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int, file_id: int) -> Page:
    access = project_access(project_id)
    project_file = access.item_or_404(ProjectFile, file_id)
    access.require_change(project_file)
    form = FileEditForm(obj=project_file, private=project_file.marked_private)
    if form.validate_on_submit():
        operations.update_file(access, project_file, name=form.name.data,
                               description=form.description.data or "",
                               private=form.private.data)
        flash(_("File saved."), "success")
        return redirect(item_url(project_file))
    return render_template("files/edit.html", access=access, project=access.project,
                           file=project_file, form=form), 400 if form.errors else 200


@bp.route("/files/<int:file_id>/versions", methods=["POST"])
@login_required
def new_version(project_id: int, file_id: int) -> Page:
    access = project_access(project_id, Action.POST)
    project_file = access.item_or_404(ProjectFile, file_id)
    access.require_team_or_author(project_file)
    form = VersionForm()
    if not form.validate():
        return file_page(access, project_file, version_form=form)
    operations.add_version(access, project_file, form.file.data)
    flash(_("New version uploaded."), "success")
    return redirect(item_url(project_file))


@bp.route("/files/<int:file_id>/move", methods=["POST"])
@login_required
def move(project_id: int, file_id: int) -> Response:
    access = project_access(project_id, Action.POST)
    return move_item_from_form(access, access.item_or_404(ProjectFile, file_id))


@bp.route("/files/<int:file_id>/delete", methods=["POST"])
@login_required
def delete(project_id: int, file_id: int) -> Response:
    access = project_access(project_id)
    project_file = access.item_or_404(ProjectFile, file_id)
    access.require_change(project_file)
    operations.delete_file(project_file)
    flash(_("File deleted."), "success")
    return redirect(url_for("files.index", project_id=project_id))


# -- downloads --------------------------------------------------------------------------------

def visible_version(access: ProjectAccess, file_id: int, number: int | None) -> FileVersion:
    """The latest version (`number` None) or a numbered one, of a file the person may see."""
    project_file = access.item_or_404(ProjectFile, file_id)
    if number is None:
        return queries.latest_version(project_file)
    return queries.version_numbered(project_file, number) or abort(404)


def send_version(version: FileVersion, *, latest: bool) -> Response:
    """The latest version downloads under the file's name, an older one under its own."""
    name = version.file.name if latest else version.original_name
    return send_stored(version.sha256, version.content_type, name, inline=version.shown_inline)


@bp.route("/files/<int:file_id>/download")
@bp.route("/files/<int:file_id>/versions/<int:number>/download")
@login_required
def download(project_id: int, file_id: int, number: int | None = None) -> Response:
    version = visible_version(project_access(project_id), file_id, number)
    return send_version(version, latest=number is None)


@bp.route("/files/<int:file_id>/thumbnail")
@bp.route("/files/<int:file_id>/versions/<int:number>/thumbnail")
@login_required
def thumbnail(project_id: int, file_id: int, number: int | None = None) -> Response:
    version = visible_version(project_access(project_id), file_id, number)
    if version.thumbnail_sha256 is None:
        abort(404)
    return send_stored(version.thumbnail_sha256, "image/png", "thumbnail.png", inline=True)


def send_stored(sha256: str, content_type: str, name: str, *, inline: bool) -> Response:
    """Serve stored content with ranges and validators, never as a page of this site: streamed
    through the app, or with WORKSPACE_S3_PRESIGN a redirect to a link of the bucket."""
    store = storage()
    if current_app.config["WORKSPACE_S3_PRESIGN"] and isinstance(store, S3Storage):
        return redirect_to_store(store, sha256, content_type, name, inline=inline)
    try:
        stream = store.open(sha256)
    except FileNotFoundError:
        return missing(store, sha256)
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    response = send_file(stream, mimetype=content_type, as_attachment=not inline,
                         download_name=name, etag=sha256, max_age=0, conditional=False)
    response.content_length = size
    response = response.make_conditional(request, accept_ranges=True, complete_length=size)
    response.headers["Content-Security-Policy"] = (
        PDF_CSP if content_type == "application/pdf" else DOWNLOAD_CSP
    )
    response.cache_control.private = True
    return response


def redirect_to_store(store: S3Storage, sha256: str, content_type: str, name: str, *,
                      inline: bool) -> Response:
    """A 302 to a link valid 60 s, asked for only after the access check, with our headers
    but one: the bucket cannot send the sandbox CSP. Nothing needs it there: the link is of
    the bucket's origin, not ours, and every type that is not an image or a PDF is sent as an
    attachment, which browsers save rather than show."""
    if not store.exists(sha256):
        return missing(store, sha256)
    url = store.presigned_url(sha256, content_type=content_type,
                              disposition=content_disposition(name, inline=inline),
                              seconds=PRESIGNED_SECONDS)
    response = redirect(url)
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


def content_disposition(name: str, *, inline: bool) -> str:
    """The header `send_file` writes: an ASCII name, and the exact one in RFC 5987 form."""
    try:
        name.encode("ascii")
        names = {"filename": name}
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
        names = {"filename": simple, "filename*": f"UTF-8''{quote(name, safe=RFC5987_SAFE)}"}
    return dump_options_header("inline" if inline else "attachment", names)


def missing(store: Storage, sha256: str) -> NoReturn:
    current_app.logger.error("stored content %s is missing from %s", sha256, store.url)
    abort(404)
