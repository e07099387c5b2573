"""Errors of the API: always `{"error": {"code", "message"[, "fields"]}}` with the right status,
answered by the API's own handlers for everything under its prefix."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from workspace.errors import (
    ERROR_DESCRIPTIONS,
    Refused,
    StorageUnavailable,
    out_of_space,
    storage_failed,
)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
         429: "rate_limited", 500: "server_error", 503: "unavailable",
         507: "insufficient_storage"}

# A refusal's status says what kind it is; any other is simply "refused".
REFUSAL_CODES = {409: "conflict", 410: "gone", 413: "too_large", 503: "unavailable",
                 507: "insufficient_storage"}


def as_json(error: ApiError | HTTPException) -> tuple[Response, int]:
    if isinstance(error, ApiError):
        status, code, message, fields = error.status, error.code, error.message, error.fields
    else:
        status = error.code or 500
        code, message, fields = CODES.get(status, "error"), str(error.description), None
    body: dict[str, object] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify(error=body)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="workspace"'
    return response, status


def http_error(error: HTTPException) -> tuple[Response, int] | HTTPException:
    return error if error.code is None or error.code < 400 else as_json(error)


def refused(error: Refused) -> tuple[Response, int]:
    code = REFUSAL_CODES.get(error.status, "refused")
    return as_json(ApiError(error.status, code, str(error.message)))


def os_error(error: OSError) -> tuple[Response, int]:
    out_of_space(error)
    return as_json(ApiError(507, "insufficient_storage", str(ERROR_DESCRIPTIONS[507])))


def storage_unavailable(error: StorageUnavailable) -> tuple[Response, int]:
    return as_json(ApiError(503, "unavailable", storage_failed(error)))


def answer_errors_as_json(bp: Blueprint) -> None:
    """Give `bp` the API's handlers. An unexpected failure (500) stays the site's error page."""
    bp.register_error_handler(ApiError, as_json)
    bp.register_error_handler(HTTPException, http_error)
    bp.register_error_handler(Refused, refused)
    bp.register_error_handler(OSError, os_error)
    bp.register_error_handler(StorageUnavailable, storage_unavailable)
    unmatched = Rule(f"{bp.url_prefix}/<path:rest>", endpoint=f"{bp.name}.unmatched")

    @bp.before_app_request
    def claim_unmatched_paths() -> None:
        """Flask hands the errors of a path that matched no route (404, 405) to the app's
        handlers, never a blueprint's, as it finds the blueprint from the matched rule. A
        path under the API's prefix that matched nothing is given a rule of the API, so
        that its handlers answer the routing error, and any before it (a body declared
        too large), as JSON. Runs before the factory's own hooks that may refuse."""
        if request.url_rule is None and request.path.startswith(f"{bp.url_prefix}/"):
            request.url_rule = unmatched
