"""/api/v1: the same people, rules and data as the pages, as JSON, for a personal token.

A call reads the token from `Authorization: Bearer …`, never touches the session (so it sets
no cookie) and goes through `access` like every page.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Select, select
from werkzeug.wrappers import Response

from workspace.activity.queries import EventRow, everything_freshness, read_events
from workspace.activity.streams import newest_visible_events
from workspace.api import serializers
from workspace.api.errors import ApiError, answer_errors_as_json
from workspace.api.models import ApiToken
from workspace.api.openapi import document
from workspace.api.tokens import create_token, revoke_token, tokens_of, user_for_token
from workspace.auth.models import User
from workspace.conditional import BODIES, not_modified, opaque, with_validators
from workspace.extensions import csrf, db, limiter
from workspace.kept import kept_by_app
from workspace.links import EventAddresses
from workspace.projects.access import project_access
from workspace.types import MAX_ID

bp = Blueprint("api", __name__, url_prefix="/api/v1")
docs_bp = Blueprint("api_docs", __name__)
csrf.exempt(bp)
answer_errors_as_json(bp)

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def token_key() -> str:
    """Rate limits count per token (by a hash of the header, before any database lookup)."""
    return hashlib.sha256(request.headers.get("Authorization", "").encode()).hexdigest()


limiter.limit(lambda: current_app.config["WORKSPACE_API_RATE_LIMIT"], key_func=token_key)(bp)


@bp.before_request
def authenticate() -> None:
    if request.endpoint == "api.openapi":
        return
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "unauthorized", "Send your token as Authorization: Bearer <token>.")
    found = user_for_token(secret.strip())
    if found is None:
        raise ApiError(401, "invalid_token", "This token is not valid, or was revoked.")
    g.acting_user, g.api_token = found


def page_of(query: Select, id_column, serialize: Callable[[object], dict], endpoint: str,
            **values: object) -> Response:
    """A page of `query` (newest first) after the `cursor`, with a Link to the next page."""
    limit, after = page_wanted()
    if after is not None:
        query = query.where(id_column < after)
    rows = db.session.scalars(query.order_by(id_column.desc()).limit(limit + 1)).unique().all()
    return page_response(rows, limit, serialize, endpoint, **values)


def page_wanted() -> tuple[int, int | None]:
    """The page's size and the id its cursor stops before (None: from the newest)."""
    limit = request.args.get("limit", DEFAULT_LIMIT, type=int)
    if limit < 1 or limit > MAX_LIMIT:
        raise ApiError(400, "invalid_parameter", f"limit must be between 1 and {MAX_LIMIT}.",
                       fields={"limit": "out of range"})
    return limit, decode_cursor(request.args.get("cursor"))


def page_response(rows: Sequence[object], limit: int, serialize: Callable[[object], dict],
                  endpoint: str, **values: object) -> Response:
    """`rows[:limit]` as JSON, with a Link to the next page when there is a row more."""
    response = jsonify([serialize(row) for row in rows[:limit]])
    if link := next_link(rows, limit, endpoint, **values):
        response.headers["Link"] = link
    return response


def next_link(rows: Sequence[object], limit: int, endpoint: str, **values: object) -> str | None:
    """The Link header to the page after `rows[:limit]`, if there is a row more."""
    if len(rows) <= limit:
        return None
    cursor = encode_cursor(rows[limit - 1].id)
    next_url = url_for(endpoint, cursor=cursor, limit=limit, _external=True, **values)
    return f'<{next_url}>; rel="next"'


def project_items(project_id: int, model: type, serialize: Callable[[object], dict],
                  endpoint: str, *options: object) -> Response:
    """A page of a project's items of one kind, as the token's owner sees them."""
    access = project_access(project_id, user=g.acting_user)
    query = access.visible(select(model), model).options(*options)
    return page_of(query, model.id, serialize, endpoint, project_id=project_id)


def project_item(project_id: int, model: type, item_id: int,
                 serialize: Callable[[object], dict]) -> Response:
    """One item of a project, if the token's owner may see it (404 otherwise)."""
    access = project_access(project_id, user=g.acting_user)
    return jsonify(serialize(access.item_or_404(model, item_id)))


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        last_id = int(decoded.removeprefix("id:"))
        if not 0 < last_id <= MAX_ID:
            raise ValueError(last_id)
        return last_id
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_parameter", "This cursor is not one we gave.",
                       fields={"cursor": "unknown"}) from None


@bp.route("/me")
def me() -> Response:
    return jsonify(serializers.me(g.acting_user))


@bp.route("/events")
def events() -> Response:
    """A poller asking again with nothing new gets a 304, or the same page kept by the worker:
    validators as the every-project feed's (its newest visible event, its projects' versions)."""
    limit, before = page_wanted()
    after, user = since(), g.acting_user
    fresh = everything_freshness(user)
    if cached := not_modified(fresh):
        return cached
    etag = opaque(fresh.etag)
    body, link = BODIES.get_or_build(
        (request.url, etag), lambda: events_page(user, limit, before, after))
    response = current_app.response_class(body, mimetype=current_app.json.mimetype)
    if link:
        response.headers["Link"] = link
    return with_validators(response, etag, fresh)


def events_page(user: User, limit: int, before: int | None,
                after: int | None) -> tuple[str, str | None]:
    """The JSON of a page of events and its Link header to the next."""
    rows = read_events(newest_visible_events(user, limit + 1, before=before, after=after))
    encoded = EventsJson().encoded(rows[:limit])
    return f"[{','.join(encoded)}]\n", next_link(rows, limit, "api.events", **since_value())


class EventsJson:
    """Events never change but for what their rows show (a renamed actor or project makes
    another row): a worker keeps each one's JSON, by row, language and address, as feeds keep
    their entries."""

    KEPT = 4096

    def __init__(self) -> None:
        self.kept = kept_by_app("api-events", self.KEPT)
        self.shared = (str(get_locale()), request.url_root)
        self.addresses = EventAddresses(external=True)

    def encoded(self, rows: Sequence[EventRow]) -> list[str]:
        keys = [(*self.shared, row) for row in rows]
        encoded = self.kept.get_many(keys)
        for index, (key, row) in enumerate(zip(keys, rows, strict=True)):
            if encoded[index] is None:
                encoded[index] = current_app.json.dumps(
                    serializers.event(row, self.addresses), separators=(",", ":"))
                self.kept.put(key, encoded[index])
        return encoded


def since() -> int | None:
    """`since`: only events newer than this event id, for incremental polling."""
    newer_than = request.args.get("since")
    if newer_than is None:
        return None
    if not (newer_than.isdigit() and int(newer_than) <= MAX_ID):
        raise ApiError(400, "invalid_parameter", "since is the id of the last event you saw.",
                       fields={"since": "not an event id"})
    return int(newer_than)


def since_value() -> dict[str, str]:
    return {"since": request.args["since"]} if "since" in request.args else {}


@bp.route("/openapi.json")
def openapi() -> Response:
    return jsonify(document())


@docs_bp.route("/api/docs")
def docs() -> str:
    return render_template("api/docs.html", spec=document())


# -- the person's tokens, in settings -------------------------------------------------------

@docs_bp.route("/settings/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> tuple[str, int]:
    """A refused name stays in the field (no maxlength cuts it), said at its limit."""
    new_secret, refused_name = None, None
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        if not name or len(name) > 80:
            flash(_("Give the token a name of at most 80 characters."), "error")
            refused_name = name
        else:
            _token, new_secret = create_token(current_user, name)
    return render_template("api/tokens.html", tokens=tokens_of(current_user),
                           new_secret=new_secret, refused_name=refused_name), (
        400 if refused_name is not None else 200)


@docs_bp.route("/settings/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int) -> Response:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    revoke_token(token)
    flash(_("The token was revoked: it no longer works."), "success")
    return redirect(url_for("api_docs.tokens"))
