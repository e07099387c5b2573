"""`GET /health`: is this process serving and can it reach its database? For load balancers
and monitors; open to anyone, sets no cookie, says nothing but "ok" or "unavailable"."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from workspace.extensions import csrf, db, limiter

bp = Blueprint("health", __name__)


@bp.route("/health")
@limiter.exempt
@csrf.exempt
def health() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.error("health check: database unreachable: %s", error)
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok"), 200
