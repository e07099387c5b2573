"""Errors of the API: always `{"error": {"code", "message"[, "fields"]}}` with the right status."""

from __future__ import annotations

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
         429: "rate_limited", 500: "server_error", 507: "insufficient_storage"}


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
