"""`GET /health`: is this process serving, and can it reach what it depends on? For load
balancers and monitors; open to anyone, sets no cookie, says nothing but "ok" or
"unavailable" for each dependency configured (the reason goes to the log): `{"status": …,
"checks": {"database": …, "redis": …, "storage": …}}`, with "redis" only when
WORKSPACE_REDIS_URL is set; 503 when any is not ok.

The database is asked on every request, as before: that `SELECT 1` is the benchmark's ceiling.
Redis and the file store (a round trip to an object store, a few milliseconds) are asked at
most once per HEALTH_CHECK_SECONDS in each process, so that a load balancer polling every
node, or a monitor hammering it, costs them nothing more than the database check."""

from __future__ import annotations

import time
from collections.abc import Callable

import redis
from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from workspace.extensions import csrf, db, limiter
from workspace.files.storage import storage

bp = Blueprint("health", __name__)

OK, UNAVAILABLE = "ok", "unavailable"


@bp.route("/health")
@limiter.exempt
@csrf.exempt
def health() -> tuple[Response, int]:
    checks = {"database": status("database", check_database),
              **Dependencies.of(current_app).statuses()}
    healthy = all(state == OK for state in checks.values())
    return jsonify(status=OK if healthy else UNAVAILABLE, checks=checks), 200 if healthy else 503


def check_database() -> None:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        raise


class Dependencies:
    """The app's dependencies besides its database, their checks (each raises when its
    dependency does not work), and their last answers."""

    def __init__(self) -> None:
        self.answered_at = float("-inf")
        self.answers: dict[str, str] = {}
        self.redis_clients: dict[str, redis.Redis] = {}

    @classmethod
    def of(cls, app: Flask) -> Dependencies:
        dependencies = app.extensions.get("workspace.health")
        if dependencies is None:
            dependencies = app.extensions.setdefault("workspace.health", cls())
        return dependencies

    def statuses(self) -> dict[str, str]:
        """Each dependency's status, asked again once the last answers are
        HEALTH_CHECK_SECONDS old."""
        now = time.monotonic()
        if now - self.answered_at >= float(current_app.config["HEALTH_CHECK_SECONDS"]):
            self.answers = {name: status(name, check) for name, check in self.checks().items()}
            self.answered_at = now
        return self.answers

    def checks(self) -> dict[str, Callable[[], object]]:
        checks: dict[str, Callable[[], object]] = {}
        if url := current_app.config["WORKSPACE_REDIS_URL"]:
            if url not in self.redis_clients:
                self.redis_clients[url] = redis.Redis.from_url(
                    url, socket_connect_timeout=1, socket_timeout=1)
            checks["redis"] = self.redis_clients[url].ping
        checks["storage"] = lambda: storage().check()
        return checks


def status(name: str, check: Callable[[], object]) -> str:
    try:
        check()
    except Exception as error:  # whatever a client library raises, the answer is "unavailable"
        current_app.logger.error("health check: %s unavailable: %s", name, error)
        return UNAVAILABLE
    return OK
