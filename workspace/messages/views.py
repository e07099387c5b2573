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
from workspace.files.operations import files_attached_to
from workspace.links import item_url
from workspace.messages import operations
from workspace.messages.forms import MessageForm
from workspace.messages.models import Message
from workspace.projects.access import Action, ProjectAccess, project_access
from workspace.types import positive_id
from workspace.web import Page

bp = Blueprint("messages", __name__, url_prefix="/projects/<int:project_id>")


def form_page(access: ProjectAccess, form: MessageForm, message: Message | None = None) -> Page:
    """The new/edit form, with the preview when asked and the people to notify."""
    people = operations.audience(access.project, private=False)
    form.notify.choices = [(m.user_id, m.user.name) for m in people]
    client_ids = {m.user_id for m in people if not m.role.is_team}
    preview, notices = None, []
    if "preview" in request.form:
        html, found = render_with_mentions(
            form.body.data or "", project_id=access.project.id,
            private=bool(form.private.data), author=access.user)
        preview, notices = Markup(html), found.notices()
    status = 400 if form.errors else 200
    return render_template(
        "messages/form.html", access=access, project=access.project, form=form,
        message=message, preview=preview, mention_notices=notices, client_ids=client_ids,
    ), status


@bp.route("/messages")
@login_required
def board(project_id: int) -> Page:
    access = project_access(project_id)
    page = operations.board_page(access, request.args.get("page", 1, type=positive_id))
    return render_template("messages/board.html", access=access, project=access.project,
                           page=page)


@bp.route("/messages/new", methods=["GET", "POST"])
@login_required
def new(project_id: int) -> Page:
    access = project_access(project_id, Action.POST)
    form = MessageForm()
    if request.method == "GET":
        form.notify.data = [m.user_id for m in operations.audience(access.project, private=False)
                            if m.role.is_team]
    if "preview" not in request.form and form.validate_on_submit():
        message = operations.post_message(
            access, title=form.title.data, body=form.body.data, private=form.private.data,
            notify=form.notify.data or [], attachments=request.files.getlist("attachments"),
        )
        flash(_("Message posted."), "success")
        tell_about_mentions(message.mentions)
        return redirect(item_url(message))
    return form_page(access, form)


@bp.route("/messages/<int:message_id>")
@login_required
def show(project_id: int, message_id: int) -> Page:
    access = project_access(project_id)
    return message_page(access, page_item_or_404(access, "message", message_id), CommentForm())


@page_with_comment_form("message", joinedload(Message.author))
def message_page(access: ProjectAccess, message: Message, comment_form: CommentForm) -> Page:
    return render_template(
        "messages/show.html", access=access, project=access.project, message=message,
        thread=requested_thread(message), attached=files_attached_to(message, access),
        comment_form=comment_form,
    ), 400 if comment_form.errors else 200


@bp.route("/messages/<int:message_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int, message_id: int) -> Page:
    access = project_access(project_id)
    message = access.item_or_404(Message, message_id)
    access.require_change(message)
    form = MessageForm(obj=message)
    if "preview" not in request.form and form.validate_on_submit():
        found = operations.edit_message(access, message, title=form.title.data,
                                        body=form.body.data, private=form.private.data)
        flash(_("Message saved."), "success")
        tell_about_mentions(found)
        return redirect(item_url(message))
    return form_page(access, form, message)


@bp.route("/messages/<int:message_id>/delete", methods=["POST"])
@login_required
def delete(project_id: int, message_id: int) -> Response:
    access = project_access(project_id)
    message = access.item_or_404(Message, message_id)
    access.require_change(message)
    operations.delete_message(message)
    flash(_("The message and its comments were deleted."), "success")
    return redirect(url_for("messages.board", project_id=project_id))
