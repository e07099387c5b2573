"""/api/v1: messages and their comments."""

from __future__ import annotations

from flask import g, jsonify
from werkzeug.wrappers import Response

from workspace.api import serializers
from workspace.api.bodies import created, invalid, json_object, validated
from workspace.api.views import bp, project_item, project_items
from workspace.comments import operations as comments
from workspace.comments.forms import CommentForm
from workspace.extensions import db
from workspace.messages import operations
from workspace.messages.forms import MessageForm
from workspace.messages.models import Message
from workspace.projects.access import Action, project_access
from workspace.types import MAX_ID


@bp.route("/projects/<int:project_id>/messages")
def messages(project_id: int) -> Response:
    return project_items(project_id, Message, serializers.message, "api.messages",
                         db.joinedload(Message.author))


@bp.route("/projects/<int:project_id>/messages", methods=["POST"])
def post_message(project_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.POST, user=g.acting_user)
    form = validated(MessageForm)
    notify = json_object().get("notify") or []
    if not isinstance(notify, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and 0 < n <= MAX_ID for n in notify):
        raise invalid({"notify": "A list of person ids."})
    message = operations.post_message(access, title=form.title.data, body=form.body.data,
                                      private=bool(form.private.data), notify=notify)
    return created(serializers.with_mentions(serializers.message(message), message.mentions))


@bp.route("/projects/<int:project_id>/messages/<int:message_id>")
def message(project_id: int, message_id: int) -> Response:
    return project_item(project_id, Message, message_id, serializers.message)


@bp.route("/projects/<int:project_id>/messages/<int:message_id>", methods=["PATCH"])
def edit_message(project_id: int, message_id: int) -> Response:
    """Authors edit their messages, owners any message; only the team changes the mark."""
    access = project_access(project_id, user=g.acting_user)
    message = access.item_or_404(Message, message_id)
    access.require_change(message)
    form = validated(MessageForm, current={"title": message.title, "body": message.body,
                                           "private": message.private})
    found = operations.edit_message(access, message, title=form.title.data,
                                    body=form.body.data, private=bool(form.private.data))
    return jsonify(serializers.with_mentions(serializers.message(message), found))


@bp.route("/projects/<int:project_id>/messages/<int:message_id>/comments")
def message_comments(project_id: int, message_id: int) -> Response:
    access = project_access(project_id, user=g.acting_user)
    message = access.item_or_404(Message, message_id)
    return jsonify([serializers.comment(c) for c in comments.comments_on(message)])


@bp.route("/projects/<int:project_id>/messages/<int:message_id>/comments", methods=["POST"])
def comment_on_message(project_id: int, message_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.COMMENT, user=g.acting_user)
    message = access.item_or_404(Message, message_id)
    form = validated(CommentForm)
    comment = comments.add_comment(message, form.body.data, by=g.acting_user)
    return created(serializers.with_mentions(serializers.comment(comment), comment.mentions))
