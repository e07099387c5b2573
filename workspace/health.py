"""`GET /health`: the process answers. No database, no session: load balancers poll it, and
the benchmarks use it as the server's ceiling."""

from __future__ import annotations

from flask import Blueprint
from werkzeug.wrappers import Response

bp = Blueprint("health", __name__)


@bp.route("/health")
def health() -> Response:
    return Response('{"status":"ok"}', mimetype="application/json")
