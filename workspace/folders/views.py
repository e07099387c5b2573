"""Folder pages: what a folder holds (folders, documents and files together), and making,
changing, moving and deleting folders. Documents and files move with their own pages' forms
(documents.move, files.move), through `operations.move_item`."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from workspace.errors import Refused
from workspace.folders import operations
from workspace.folders.forms import FolderForm, MoveForm
from workspace.folders.models import Folder
from workspace.links import item_url, subject_url
from workspace.projects.access import Action, ProjectAccess, project_access
from workspace.types import positive_id
from workspace.web import Page

bp = Blueprint("folders", __name__, url_prefix="/projects/<int:project_id>")


def move_choices(folders: list[Folder], moving: Folder | None = None) -> list[tuple[str, str]]:
    """The places something may go: the top, and every folder (but, for a folder, itself and
    the folders inside it), each named with its path."""
    excluded = set()
    if moving is not None:
        excluded = operations.descendant_ids(moving.id, [(f.id, f.parent_id) for f in folders])
    paths = [(" / ".join(a.name for a in operations.ancestors(f, folders)), f.id)
             for f in folders if f.id not in excluded]
    return [("", _("The top of the project"))] + [(str(fid), path) for path, fid in sorted(paths)]


def move_form(folders: list[Folder], current: int | None,
              moving: Folder | None = None) -> MoveForm:
    form = MoveForm(formdata=None, folder_id=current)
    form.folder_id.choices = move_choices(folders, moving)
    return form


def folder_page(access: ProjectAccess, folder: Folder | None, *,
                new_folder: FolderForm | None = None, move: MoveForm | None = None,
                status: int = 200) -> Page:
    sort = request.args.get("sort", "name")
    sort = sort if sort in operations.SORTS else "name"
    descending = request.args.get("order", "asc") == "desc"
    page = request.args.get("page", 1, type=positive_id)
    entries, total = operations.contents(access, folder, sort=sort, descending=descending,
                                         page=page)
    folders = operations.project_folders(access)
    lines = [(entry, subject_url(entry.kind, access.project.id, entry.id),
              move_url(access, entry)) for entry in entries]
    return render_template(
        "folders/show.html", access=access, project=access.project, folder=folder,
        lines=lines, total=total, page=page, pages=max(1, -(-total // operations.PAGE_SIZE)),
        sort=sort, descending=descending, path=operations.ancestors(folder, folders),
        new_folder=new_folder or FolderForm(formdata=None),
        move=move or (move_form(folders, folder.parent_id, folder) if folder else None),
        inherited=inherited_from(folder, folders),
    ), status


MOVES = {"folder": ("folders.move", "folder_id"), "document": ("documents.move", "document_id"),
         "file": ("files.move", "file_id")}


def move_url(access: ProjectAccess, entry: operations.Entry) -> str | None:
    """Where a line's drag and drop posts (the team's; the server decides all the same)."""
    if not access.can(Action.POST) or not access.role.is_team or entry.kind not in MOVES:
        return None
    endpoint, argument = MOVES[entry.kind]
    return url_for(endpoint, project_id=access.project.id, **{argument: entry.id})


def inherited_from(item: object | None, folders: list[Folder]) -> Folder | None:
    """The folder whose mark makes `item` private, when it is not marked itself."""
    if item is None or not item.private or item.marked_private:
        return None
    parent_id = item.parent_id if isinstance(item, Folder) else item.folder_id
    chain = operations.ancestors(next((f for f in folders if f.id == parent_id), None), folders)
    return next((f for f in reversed(chain) if f.marked_private), None)


@bp.route("/folders")
@login_required
def index(project_id: int) -> Page:
    return folder_page(project_access(project_id), None)


@bp.route("/folders/<int:folder_id>")
@login_required
def show(project_id: int, folder_id: int) -> Page:
    access = project_access(project_id)
    return folder_page(access, access.item_or_404(Folder, folder_id))


@bp.route("/folders", methods=["POST"])
@login_required
def create(project_id: int) -> Page:
    """A new folder, in the folder named by `parent_id` (none: at the top)."""
    access = project_access(project_id, Action.POST)
    parent = operations.folder_in_project(access, request.form.get("parent_id", type=positive_id))
    form = FolderForm()
    if not form.validate():
        return folder_page(access, parent, new_folder=form, status=400)
    try:
        folder = operations.make_folder(access, name=form.name.data, parent=parent,
                                        private=form.private.data,
                                        description=form.description.data or "")
    except operations.NameTaken as refusal:
        form.name.errors = [str(refusal.message)]
        return folder_page(access, parent, new_folder=form, status=refusal.status)
    flash(_("Folder made."), "success")
    return redirect(item_url(folder))


@bp.route("/folders/<int:folder_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int, folder_id: int) -> Page:
    access = project_access(project_id, Action.POST)
    folder = access.item_or_404(Folder, folder_id)
    access.require_team_or_author(folder)
    form = FolderForm(obj=folder, private=folder.marked_private)
    if form.validate_on_submit():
        try:
            operations.change_folder(access, folder, name=form.name.data,
                                     private=form.private.data,
                                     description=form.description.data or "")
        except operations.NameTaken as refusal:
            form.name.errors = [str(refusal.message)]
        else:
            flash(_("Folder saved."), "success")
            return redirect(item_url(folder))
    return render_template("folders/edit.html", access=access, project=access.project,
                           folder=folder, form=form), 400 if form.errors else 200


@bp.route("/folders/<int:folder_id>/move", methods=["POST"])
@login_required
def move(project_id: int, folder_id: int) -> Page:
    access = project_access(project_id, Action.POST)
    folder = access.item_or_404(Folder, folder_id)
    access.require_team_or_author(folder)
    form = MoveForm()
    form.folder_id.choices = move_choices(operations.project_folders(access), folder)
    if not form.validate():
        return folder_page(access, folder, move=form, status=400)
    try:
        operations.move_folder(access, folder,
                               operations.folder_in_project(access, form.folder_id.data))
    except Refused as refusal:
        form.folder_id.errors = [str(refusal.message)]
        return folder_page(access, folder, move=form, status=shown_status(refusal))
    flash(_("Folder moved."), "success")
    return redirect(item_url(folder))


def shown_status(refusal: Refused) -> int:
    """A refusal shown on the form: its own status, but 400 for a folder not found (the
    page itself was)."""
    return 400 if refusal.status == 404 else refusal.status


@bp.route("/folders/<int:folder_id>/delete", methods=["POST"])
@login_required
def delete(project_id: int, folder_id: int) -> Response:
    access = project_access(project_id)
    folder = access.item_or_404(Folder, folder_id)
    access.require_change(folder)
    parent_id = folder.parent_id
    operations.delete_folder(folder)
    flash(_("Folder deleted."), "success")
    if parent_id:
        return redirect(url_for("folders.show", project_id=project_id, folder_id=parent_id))
    return redirect(url_for("folders.index", project_id=project_id))


def move_item_from_form(access: ProjectAccess, item: object) -> Response:
    """The move form of a document's or a file's page: into the chosen folder, or a flashed
    message saying why not (the page shows it, with the form again)."""
    access.require_team_or_author(item)
    form = MoveForm()
    form.folder_id.choices = move_choices(operations.project_folders(access))
    try:
        if not form.validate():
            raise operations.OtherProject()
        into = operations.folder_in_project(access, form.folder_id.data)
        operations.move_item(access, item, into)
    except Refused as refusal:
        flash(str(refusal.message), "error")
        return redirect(item_url(item))
    flash(_("Moved into %(place)s.", place=operations.destination_name(into)), "success")
    return redirect(item_url(item))


def item_place(access: ProjectAccess, item: object
               ) -> tuple[list[Folder], MoveForm | None, Folder | None]:
    """Where a document or a file is kept (the folders from the top down), the move form its
    page shows to those who may move it, and the folder it takes its private mark from (if it
    does): one query."""
    folders = operations.project_folders(access)
    folder = next((f for f in folders if f.id == item.folder_id), None)
    form = None
    if access.may_work_on(item) and operations.is_filed(item):
        form = move_form(folders, item.folder_id)
    return operations.ancestors(folder, folders), form, inherited_from(item, folders)
