"""Helpers of every domain's web layer, owned by none of them: what a view returns, a form
page, where `next` may lead, whether a request wants JSON, running a job as a request, and
the session cookie."""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from urllib.parse import urlsplit

from flask import Flask, Request, render_template, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
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


PLAIN = (str, int, float, bool, type(None))


class RememberedSessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, each verified cookie remembered for a minute. A browser
    sends the same cookie with every request, and checking its signature and decoding it again
    cost a signed-in page a tenth of its time. Only sessions of plain values (who is signed in,
    the form secret) are remembered, each request gets its own copy, and the key includes the
    app's secret: a cookie is only ever taken for what the same secret verified."""

    seconds = 60
    max_entries = 4096

    def __init__(self) -> None:
        self.verified: dict[tuple[object, str], tuple[dict, float]] = {}

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        cookie = request.cookies.get(self.get_cookie_name(app))
        key = (app.secret_key, cookie or "")
        remembered = self.verified.get(key)
        if remembered is not None and remembered[1] > monotonic():
            return self.session_class(remembered[0])
        session = super().open_session(app, request)
        if cookie and session and all(isinstance(v, PLAIN) for v in session.values()):
            if len(self.verified) >= self.max_entries:
                self.verified.clear()
            self.verified[key] = (dict(session), monotonic() + self.seconds)
        return session
