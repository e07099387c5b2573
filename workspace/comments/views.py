"""Comments, whatever item they are on: the one route that posts a comment on any kind that
takes them, and show, edit, delete by id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from workspace import items
from workspace.comments import following, mentions
from workspace.comments import operations as comments
from workspace.comments.forms import CommentForm
from workspace.comments.models import Comment
from workspace.extensions import db
from workspace.items import Item as ItemRow
from workspace.links import item_url
from workspace.projects.access import Action, Item, ProjectAccess, project_access
from workspace.types import positive_id
from workspace.web import Page

bp = Blueprint("comments", __name__, url_prefix="/projects/<int:project_id>")


# The page of an item of each kind that takes comments, shown again with the comment form and
# its errors, and the loader options that read what it shows with the item: registered by each
# kind's views with `page_with_comment_form`.
ItemPage = Callable[[ProjectAccess, Any, CommentForm], Page]
PAGES: dict[str, tuple[ItemPage, tuple[object, ...]]] = {}


def page_with_comment_form(kind_name: str, *loads: object) -> Callable[[ItemPage], ItemPage]:
    """Register a kind's page function (access, item, comment form) for the comment route, with
    the loader options of what it shows (`page_item_or_404` loads the item with them)."""

    def register(page: ItemPage) -> ItemPage:
        PAGES[kind_name] = (page, loads)
        return page

    return register


def page_item_or_404(access: ProjectAccess, kind_name: str, item_id: int) -> Any:
    """An item of a kind with a page, loaded with what its page shows, so that its template
    reads nothing more."""
    return access.item_or_404(items.kind(kind_name).model, item_id, *PAGES[kind_name][1])


def add_comment_routes(app: Flask) -> None:
    """The comment route of each kind that takes comments: its page's URL and "/comments",
    at the endpoint its registration names (`Page.comments`), all served by `post_comment`."""
    rules = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()}
    for kind in items.kinds():
        if kind.takes_comments:
            app.add_url_rule(rules[kind.page.endpoint] + "/comments", kind.page.comments,
                             post_comment, methods=["POST"])


@login_required
def post_comment(project_id: int, **item_id: int) -> Page:
    """Post the form's comment, with its attachments, on the item the address names; or show
    its page again with the errors and the text kept."""
    kind = next(kind for kind in items.kinds()
                if kind.takes_comments and kind.page.comments == request.endpoint)
    access = project_access(project_id, Action.COMMENT)
    subject = page_item_or_404(access, kind.name, item_id[kind.page.id_argument])
    form = CommentForm()
    if "preview" in request.form or not form.validate_on_submit():
        if "preview" in request.form:  # shown above the form, with what its mentions do
            form.preview_html, form.mention_notices = preview(form.body.data or "", subject,
                                                              access)
        return PAGES[kind.name][0](access, subject, form)
    new_comment = comments.comment_with_files(access, subject, form.body.data,
                                              request.files.getlist("attachments"))
    flash(_("Comment added."), "success")
    tell_about_mentions(new_comment.mentions)
    return redirect(item_url(subject, new_comment))


def preview(text: str, subject: object, access: ProjectAccess) -> tuple[str, list[str]]:
    """A text's HTML as it would be saved on `subject`, and what the author should know of its
    mentions; nothing is written."""
    html, found = comments.mentions_in(text, subject, access.user)
    return html, found.notices()


def tell_about_mentions(found: mentions.Mentions) -> None:
    """After saving a text: what its mentions did not do (refused, unknown, capped)."""
    for notice in found.notices():
        flash(notice, "warning")


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
    the newest ones by default, with the item's followers."""
    thread = comments.thread_of(subject, before=request.args.get("before", type=positive_id))
    thread.followers = following.followers_of(subject)
    return thread


def followable_or_404(access: ProjectAccess, item_id: int) -> Any:
    """The item of this project with the `items` id `item_id`, of a kind that takes comments
    (so has followers), if this person may see it."""
    item = db.session.get(ItemRow, item_id)
    kind = items.find(item.kind) if item is not None else None
    if kind is None or not kind.takes_comments or item.project_id != access.project.id:
        raise NotFound()
    subject = db.session.scalar(select(kind.model).where(kind.model.item_id == item_id))
    if subject is None or not access.can_see(subject):
        raise NotFound()
    return subject


def people_json(access: ProjectAccess, people: list) -> Response:
    """Who a text may mention, for static/mentions.js: names, and addresses for the team (a
    client sees the names of a project's people, never their addresses)."""
    return jsonify([{"id": person.id, "name": person.name,
                     **({"email": person.email} if access.sees_emails else {})}
                    for person in people])


@bp.route("/mentionable")
@login_required
def mentionable_here(project_id: int) -> Response:
    """The people an item not yet written may mention: everyone, or the team for a private
    one (`?private=1`)."""
    access = project_access(project_id)
    private = request.args.get("private") == "1"
    return people_json(access, mentions.mentionable(project_id, private=private))


@bp.route("/items/<int:item_id>/mentionable")
@login_required
def mentionable(project_id: int, item_id: int) -> Response:
    """The people who may see an item, so may be mentioned in it and its comments."""
    access = project_access(project_id)
    subject = followable_or_404(access, item_id)
    return people_json(access, mentions.mentionable(
        project_id, private=bool(getattr(subject, "private", False))))


@bp.route("/items/<int:item_id>/follow", methods=["POST"])
@login_required
def follow(project_id: int, item_id: int) -> Response:
    subject = followable_or_404(project_access(project_id), item_id)
    following.start_following(subject, current_user)
    flash(_("You follow this now: you will hear of new comments."), "success")
    return redirect(item_url(subject) + "#followers")


@bp.route("/items/<int:item_id>/unfollow", methods=["POST"])
@login_required
def unfollow(project_id: int, item_id: int) -> Response:
    subject = followable_or_404(project_access(project_id), item_id)
    following.stop_following(subject, current_user)
    flash(_("You stopped following this: you will hear of it only if someone mentions you."),
          "success")
    return redirect(item_url(subject) + "#followers")


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
        found = comments.edit_comment(comment, subject, form.body.data, by=access.user)
        flash(_("Comment saved."), "success")
        tell_about_mentions(found)
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
