"""Comments by id, whatever item they are on: show, edit, delete."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from workspace import items
from workspace.comments import operations as comments
from workspace.comments.forms import CommentForm
from workspace.comments.models import Comment
from workspace.extensions import db
from workspace.links import item_url
from workspace.projects.access import Item, ProjectAccess, project_access
from workspace.types import positive_id
from workspace.web import Page

bp = Blueprint("comments", __name__, url_prefix="/projects/<int:project_id>")


def comment_on(access: ProjectAccess, subject: object,
               page_again: Callable[[CommentForm], Page]) -> Page:
    """Post the form's comment, with its attachments, on `subject`; or show the item's page
    again with the errors and the text kept."""
    form = CommentForm()
    if not form.validate_on_submit():
        return page_again(form)
    new_comment = comments.comment_with_files(access, subject, form.body.data,
                                     request.files.getlist("attachments"))
    flash(_("Comment added."), "success")
    return redirect(item_url(subject, new_comment))


def comment_or_404(access: ProjectAccess, comment_id: int) -> tuple[Comment, Item]:
    """Load a comment of the project and the item it is on; hidden with that item."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.project_id != access.project.id:
        raise NotFound()
    subject = db.session.get(items.kind(comment.subject_type).model, comment.subject_id)
    if subject is None or not access.can_see(subject):
        raise NotFound()
    return comment, subject


def requested_thread(subject: object) -> comments.Thread:
    """The page of `subject`'s comments that the address asks for (`?before=<comment id>`),
    the newest ones by default."""
    return comments.thread_of(subject, before=request.args.get("before", type=positive_id))


@bp.route("/comments/<int:comment_id>")
@login_required
def show_comment(project_id: int, comment_id: int) -> Response:
    comment, subject = comment_or_404(project_access(project_id), comment_id)
    return redirect(item_url(subject, comment))


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(project_id: int, comment_id: int) -> Page:
    access = project_access(project_id)
    comment, subject = comment_or_404(access, comment_id)
    access.require_author(comment)
    form = CommentForm(obj=comment)
    if form.validate_on_submit():
        comments.edit_comment(comment, subject, form.body.data, by=access.user)
        flash(_("Comment saved."), "success")
        return redirect(item_url(subject, comment))
    return render_template(
        "comments/edit.html", access=access, project=access.project, form=form,
        comment=comment, subject=subject, subject_url=item_url(subject),
    ), 400 if form.errors else 200


@bp.route("/comments/<int:comment_id>/delete", methods=["POST"])
@login_required
def delete_comment(project_id: int, comment_id: int) -> Response:
    access = project_access(project_id)
    comment, subject = comment_or_404(access, comment_id)
    access.require_change(comment)
    comments.delete_comment(comment, subject)
    flash(_("Comment deleted."), "success")
    return redirect(item_url(subject))
