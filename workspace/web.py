"""Helpers of every domain's web layer, owned by none of them: what a view returns, a form
page, where `next` may lead, whether a request wants JSON, and running a job as a request."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, render_template, request
from werkzeug.wrappers import Response

Page = str | tuple[str, int] | Response


def rendered(template: str, form: object, **context: object) -> Page:
    """Render a form page; a submitted form that failed validation answers 400."""
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


def safe_next(default: str) -> str:
    """Follow `next` only to a path on this site."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    # Browsers read a backslash as a slash and drop tabs and newlines: "/\\evil.example" and
    # "/\t/evil.example" would lead to another site.
    if any(char == "\\" or ord(char) < 32 for char in target):
        return default
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def in_app(app: Flask, job: Callable[[], object]) -> Callable[[], object]:
    """Run `job` as a request to WORKSPACE_BASE_URL would, so that links in emails resolve."""

    def run() -> object:
        with app.test_request_context(base_url=app.config["WORKSPACE_BASE_URL"]):
            return job()

    return run
