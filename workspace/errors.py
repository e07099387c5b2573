"""Business refusals, and the error pages every failure ends on (the API answers its own, as
JSON: see workspace.api.errors)."""

from __future__ import annotations

import errno

from flask import Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, default_exceptions


class Refused(Exception):
    """An operation refused for a reason the person can act on; views show `message`."""

    status = 400
    message = _l("This cannot be done.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message


class Conflict(Refused):
    status = 409


class StorageUnavailable(Exception):
    """The file store cannot be reached or refuses us (network, credentials, bucket); the
    message says which, for an administrator's log or console, never for a page."""


ERROR_TITLES = {
    400: _l("Bad request"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Not allowed"),
    409: _l("Conflict"),
    410: _l("Gone"),
    413: _l("Too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
    503: _l("Unavailable"),
    507: _l("No space left"),
}

ERROR_DESCRIPTIONS = {
    400: _l("The request could not be understood. Nothing was saved; go back and try again."),
    403: _l("You are not allowed to do this."),
    404: _l("There is nothing here, or you do not have access to it."),
    405: _l("This page does not accept that kind of request."),
    429: _l("Too many attempts in a short time. Wait a minute and try again."),
    500: _l("An unexpected error happened. Nothing was saved; please try again."),
    503: _l("A service this page needs cannot be reached just now. Nothing was saved; try "
            "again in a few minutes."),
    507: _l("The server has no space left. Nothing was saved; try again later or tell your "
            "administrator."),
}

# The errors of a full disk or quota: said as 507 wherever they happen.
OUT_OF_SPACE = {errno.ENOSPC, errno.EDQUOT}


def too_large() -> str:
    return str(_l("This is larger than the %(size)s MB limit. Nothing was saved.",
                  size=current_app.config["WORKSPACE_MAX_UPLOAD_MB"]))


CSRF_FAILED = _l(
    "The form was out of date or sent from another site. Reload the page and try again."
)


def render_error(status: int, description: str | None = None) -> tuple[str, int]:
    title = ERROR_TITLES.get(status, ERROR_TITLES[500])
    text = description or ERROR_DESCRIPTIONS.get(status) or ERROR_DESCRIPTIONS[500]
    page = render_template("errors/error.html", title=title, description=text, status=status)
    return page, status


def out_of_space(error: OSError) -> None:
    """A full disk (the request's own temporary files too) is said plainly: its transaction is
    rolled back and logged. Any other OSError is raised again, a server error."""
    if error.errno not in OUT_OF_SPACE:
        raise error
    from workspace.extensions import db

    db.session.rollback()
    current_app.logger.error("no space left on a disk: %s", error)


def storage_failed(error: Exception) -> str:
    """Log why the file store failed (an administrator's matter) and say it plainly."""
    from workspace.extensions import db

    db.session.rollback()
    current_app.logger.error("file store unavailable: %s", error)
    return str(ERROR_DESCRIPTIONS[503])


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> tuple[str, int]:
        return render_error(400, CSRF_FAILED)

    @app.errorhandler(Refused)
    def refused(error: Refused) -> tuple[str, int]:
        return render_error(error.status, str(error.message))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        # Werkzeug's own English text is replaced by ours; a subclass's or abort()'s is kept.
        default = default_exceptions[error.code].description if (
            error.code in default_exceptions) else None
        custom = error.description if error.description != default else None
        if error.code == 413 and custom is None:
            return render_error(413, too_large())
        return render_error(error.code,
                            custom or ERROR_DESCRIPTIONS.get(error.code) or default)

    @app.errorhandler(OSError)
    def os_error(error: OSError) -> tuple[str, int]:
        out_of_space(error)
        return render_error(507)

    @app.errorhandler(StorageUnavailable)
    def storage_unavailable(error: StorageUnavailable) -> tuple[str, int]:
        return render_error(503, storage_failed(error))

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        from workspace.extensions import db

        db.session.rollback()
        return render_error(500)
