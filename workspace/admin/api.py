"""/api/v1/people: every account, for site administrators (the API's people administration)."""

from __future__ import annotations

from flask import g, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from workspace.admin.operations import people_query
from workspace.api.errors import ApiError
from workspace.api.serializers import when
from workspace.api.views import bp, page_response, page_wanted
from workspace.auth.models import User
from workspace.extensions import db
from workspace.projects.models import Membership


def account(user: User, projects: list[dict[str, object]]) -> dict[str, object]:
    return {"id": user.id, "name": user.name, "email": user.email, "is_admin": user.is_admin,
            "active": user.is_active, "deactivated_at": when(user.deactivated_at),
            "last_signed_in_on": when(user.last_signed_in_on), "projects": projects}


@bp.route("/people")
def accounts() -> Response:
    """A page of accounts, newest first, with their projects and roles (two queries)."""
    if not g.acting_user.is_admin:
        raise ApiError(403, "forbidden", "Only site administrators may list every account.")
    limit, after = page_wanted()
    search = request.args.get("q", "")[:200].strip()
    query = people_query(search)
    if after is not None:
        query = query.where(User.id < after)
    users = db.session.scalars(query.order_by(User.id.desc()).limit(limit + 1)).all()
    projects: dict[int, list[dict[str, object]]] = {user.id: [] for user in users[:limit]}
    for membership in db.session.scalars(
        select(Membership).where(Membership.user_id.in_(projects))
        .options(db.joinedload(Membership.project)).order_by(Membership.project_id)
    ):
        projects[membership.user_id].append({"id": membership.project_id,
                                             "name": membership.project.name,
                                             "role": str(membership.role)})
    return page_response(users, limit, lambda user: account(user, projects[user.id]),
                         "api.accounts", q=search or None)
