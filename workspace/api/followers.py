"""/api/v1: the followers of an item that takes comments (a message, to-do, milestone, file,
document or event, at its own address); a person follows or stops following for themselves
only."""

from __future__ import annotations

from flask import g, jsonify
from werkzeug.wrappers import Response

from workspace import items
from workspace.api import serializers
from workspace.api.views import bp
from workspace.comments import following
from workspace.projects.access import project_access

# Each kind that takes comments: its part of the API's addresses and its id's name there.
FOLLOWED = {"message": ("messages", "message_id"), "todo": ("todos", "todo_id"),
            "milestone": ("milestones", "milestone_id"), "file": ("files", "file_id"),
            "document": ("documents", "document_id"), "event": ("schedule/events", "event_id")}
KIND_OF_ARGUMENT = {argument: kind for kind, (_, argument) in FOLLOWED.items()}


def followed(project_id: int, ids: dict[str, int]) -> object:
    """The item the address names, if the token's owner may see it."""
    [(argument, item_id)] = ids.items()
    access = project_access(project_id, user=g.acting_user)
    return access.item_or_404(items.kind(KIND_OF_ARGUMENT[argument]).model, item_id)


def listing(item: object) -> Response:
    return jsonify([serializers.person(user) for user in following.followers_of(item)])


def followers(project_id: int, **ids: int) -> Response:
    return listing(followed(project_id, ids))


def follow(project_id: int, **ids: int) -> Response:
    """The token's owner follows the item; answers its followers."""
    item = followed(project_id, ids)
    following.start_following(item, g.acting_user)
    return listing(item)


def unfollow(project_id: int, **ids: int) -> Response:
    """The token's owner stops following the item; answers its followers."""
    item = followed(project_id, ids)
    following.stop_following(item, g.acting_user)
    return listing(item)


for kind, (path, argument) in FOLLOWED.items():
    rule = f"/projects/<int:project_id>/{path}/<int:{argument}>/followers"
    bp.add_url_rule(rule, f"{kind}_followers", followers, methods=["GET"])
    bp.add_url_rule(rule, f"follow_{kind}", follow, methods=["POST"])
    bp.add_url_rule(rule, f"unfollow_{kind}", unfollow, methods=["DELETE"])
