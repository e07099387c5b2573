"""`GET /health`: is this process serving, and can it reach what it needs? For load balancers
and monitors; open to anyone, sets no cookie, says of each dependency only "ok" or
"unavailable" (the reason goes to the log): `{"status": …, "checks": {"database": …,
"storage": …}}`, 503 when any is not ok."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from workspace.errors import StorageUnavailable
from workspace.extensions import csrf, db, limiter
from workspace.files.storage import storage

bp = Blueprint("health", __name__)


def check_database() -> None:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        raise


def check_storage() -> None:
    storage().check()


CHECKS: dict[str, Callable[[], None]] = {"database": check_database, "storage": check_storage}
FAILURES = (SQLAlchemyError, StorageUnavailable)


@bp.route("/health")
@limiter.exempt
@csrf.exempt
def health() -> tuple[Response, int]:
    checks = {}
    for name, check in CHECKS.items():
        try:
            check()
            checks[name] = "ok"
        except FAILURES as error:
            current_app.logger.error("health check: %s unavailable: %s", name, error)
            checks[name] = "unavailable"
    healthy = all(state == "ok" for state in checks.values())
    return jsonify(status="ok" if healthy else "unavailable", checks=checks), (
        200 if healthy else 503)
