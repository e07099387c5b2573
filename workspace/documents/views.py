from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from workspace.comments.forms import CommentForm
from workspace.comments.mentions import render_with_mentions
from workspace.comments.views import (
    page_item_or_404,
    page_with_comment_form,
    requested_thread,
    tell_about_mentions,
)
from workspace.documents import operations
from workspace.documents.compare import compare
from workspace.documents.forms import DocumentForm, EditDocumentForm
from workspace.documents.models import Document
from workspace.files.operations import files_attached_to
from workspace.folders.models import Folder
from workspace.folders.operations import NameTaken, folder_in_project
from workspace.folders.views import item_place, move_item_from_form
from workspace.links import item_url
from workspace.projects.access import Action, ProjectAccess, project_access
from workspace.text import render_markdown
from workspace.types import positive_id
from workspace.web import Page

bp = Blueprint("documents", __name__, url_prefix="/projects/<int:project_id>")

# A form may carry a text of 5 MB, and more once URL-encoded: Flask's default of 500 KB for
# a form's fields would refuse it before the form could say why.
FORM_MEMORY = 32 * 1024 * 1024


def read_large_form() -> None:
    request.max_form_memory_size = FORM_MEMORY


def form_page(access: ProjectAccess, form: DocumentForm, document: Document | None = None,
              conflict: operations.Outdated | None = None, folder: Folder | None = None) -> Page:
    """The new/edit form, with the preview (and what its mentions would do) when asked."""
    preview, notices = None, []
    if "preview" in request.form:
        html, found = render_with_mentions(
            form.body.data or "", project_id=access.project.id,
            private=private_once_saved(form, document, folder), author=access.user)
        preview, notices = Markup(html), found.notices()
    status = 409 if conflict else 400 if form.errors else 200
    return render_template(
        "documents/form.html", access=access, project=access.project, form=form,
        document=document, preview=preview, mention_notices=notices, conflict=conflict,
        folder=folder,
        conflict_diff=compare(conflict.latest.body, conflict.body) if conflict else None,
    ), status


def private_once_saved(form: DocumentForm, document: Document | None,
                       folder: Folder | None) -> bool:
    """The mark the document would have: its own, or its folder's."""
    if document is not None:
        inherited = document.private and not document.marked_private
    else:
        inherited = bool(folder and folder.private)
    return bool(form.private.data) or inherited


@bp.route("/documents")
@login_required
def index(project_id: int) -> Page:
    access = project_access(project_id)
    page = operations.documents_page(access, request.args.get("page", 1, type=positive_id))
    return render_template("documents/index.html", access=access, project=access.project,
                           page=page)


@bp.route("/documents/new", methods=["GET", "POST"])
@login_required
def new(project_id: int) -> Page:
    read_large_form()
    access = project_access(project_id, Action.POST)
    folder = folder_in_project(access, request.values.get("folder_id", type=positive_id))
    form = DocumentForm()
    if "preview" in request.form or not form.validate_on_submit():
        return form_page(access, form, folder=folder)
    try:
        document = operations.write_document(
            access, title=form.title.data, body=form.body.data or "", private=form.private.data,
            note=form.note.data or "", attachments=request.files.getlist("attachments"),
            folder=folder,
        )
    except NameTaken as refusal:
        form.title.errors = [str(refusal.message)]
        return form_page(access, form, folder=folder)
    flash(_("Document saved."), "success")
    tell_about_mentions(document.mentions)
    return redirect(item_url(document))


@bp.route("/documents/<int:document_id>")
@login_required
def show(project_id: int, document_id: int) -> Page:
    access = project_access(project_id)
    return document_page(access, page_item_or_404(access, "document", document_id),
                         CommentForm())


@page_with_comment_form("document", joinedload(Document.author), joinedload(Document.editor))
def document_page(access: ProjectAccess, document: Document, comment_form: CommentForm) -> Page:
    path, move_form, inherited = item_place(access, document)
    return render_template(
        "documents/show.html", access=access, project=access.project, document=document,
        thread=requested_thread(document), attached=files_attached_to(document, access),
        comment_form=comment_form, path=path, move_form=move_form, inherited=inherited,
    ), 400 if comment_form.errors else 200


@bp.route("/documents/<int:document_id>/move", methods=["POST"])
@login_required
def move(project_id: int, document_id: int) -> Response:
    access = project_access(project_id, Action.POST)
    return move_item_from_form(access, access.item_or_404(Document, document_id))


@bp.route("/documents/<int:document_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int, document_id: int) -> Page:
    read_large_form()
    access = project_access(project_id)
    document = access.item_or_404(Document, document_id)
    access.require_team_or_author(document)
    form = EditDocumentForm(obj=document, base=document.version_count, note="",
                            private=document.marked_private)
    if "preview" in request.form or not form.validate_on_submit():
        return form_page(access, form, document)
    try:
        saved = operations.save_document(
            access, document, base=form.base.data, title=form.title.data,
            body=form.body.data or "", private=form.private.data, note=form.note.data or "")
    except operations.Outdated as conflict:
        return conflict_page(access, form, document, conflict)
    except NameTaken as refusal:
        form.title.errors = [str(refusal.message)]
        return form_page(access, form, document)
    flash(_("Document saved."), "success")
    tell_about_mentions(saved.mentions)
    return redirect(item_url(document))


def conflict_page(access: ProjectAccess, form: EditDocumentForm, document: Document,
                  conflict: operations.Outdated) -> Page:
    """The form again, on the latest version: with the merge when there is one, else with
    the person's own text (saving it then replaces the other's, knowingly)."""
    form.base.data = conflict.latest.number
    form.body.data = conflict.merged if conflict.merged is not None else conflict.body
    return form_page(access, form, document, conflict)


@bp.route("/documents/<int:document_id>/delete", methods=["POST"])
@login_required
def delete(project_id: int, document_id: int) -> Response:
    access = project_access(project_id)
    document = access.item_or_404(Document, document_id)
    access.require_change(document)
    operations.delete_document(document)
    flash(_("The document, its versions and its comments were deleted."), "success")
    return redirect(url_for("documents.index", project_id=project_id))


# -- versions ---------------------------------------------------------------------------------

@bp.route("/documents/<int:document_id>/versions")
@login_required
def versions(project_id: int, document_id: int) -> Page:
    access = project_access(project_id)
    document = access.item_or_404(Document, document_id)
    page = operations.history(document, request.args.get("page", 1, type=positive_id))
    return render_template("documents/versions.html", access=access, project=access.project,
                           document=document, page=page)


@bp.route("/documents/<int:document_id>/versions/<int:number>")
@login_required
def version(project_id: int, document_id: int, number: int) -> Page:
    access = project_access(project_id)
    document = access.item_or_404(Document, document_id)
    shown = operations.version_numbered(document, number)
    if shown is None:
        raise operations.NoSuchVersion()
    return render_template("documents/version.html", access=access, project=access.project,
                           document=document, version=shown,
                           body_html=render_markdown(shown.body))


@bp.route("/documents/<int:document_id>/compare")
@login_required
def compare_versions(project_id: int, document_id: int) -> Page:
    """Two versions side by side or inline (`?view=inline`), `from` the older by default."""
    access = project_access(project_id)
    document = access.item_or_404(Document, document_id)
    latest = document.version_count
    to_number = request.args.get("to", latest, type=positive_id)
    from_number = request.args.get("from", max(to_number - 1, 1), type=positive_id)
    old = operations.version_numbered(document, from_number)
    new = operations.version_numbered(document, to_number)
    if old is None or new is None:
        raise operations.NoSuchVersion()
    view = "inline" if request.args.get("view") == "inline" else "side"
    return render_template(
        "documents/compare.html", access=access, project=access.project, document=document,
        old=old, new=new, view=view, comparison=compare(old.body, new.body),
        title_changed=old.title != new.title,
    )


@bp.route("/documents/<int:document_id>/versions/<int:number>/restore", methods=["POST"])
@login_required
def restore(project_id: int, document_id: int, number: int) -> Response:
    access = project_access(project_id)
    document = access.item_or_404(Document, document_id)
    access.require_team_or_author(document)
    if number == document.version_count:
        flash(_("This is already the latest version."), "info")
        return redirect(item_url(document))
    version = operations.restore_version(access, document, number)
    flash(_("Version %(old)s restored as version %(new)s.", old=number, new=version.number),
          "success")
    return redirect(item_url(document))


