"""Workspace: a self-hosted project workspace."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

from dotenv import load_dotenv
from flask import Flask, abort, g, request, session
from flask.logging import default_handler
from flask_login import user_logged_in
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.exceptions import NotFound
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from workspace import config
from workspace.extensions import (
    babel,
    csrf,
    db,
    end_reads_with_commit,
    limiter,
    login_manager,
    migrate,
)
from workspace.types import MAX_ID
from workspace.web import RememberedSessionCookies

ROOT = Path(__file__).resolve().parent.parent

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def create_app(test_config: Mapping[str, object] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("WORKSPACE_INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
    )
    if test_config is None:
        load_dotenv(ROOT / ".env", override=False)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(config.DEFAULTS)
    app.config.update(config.from_environment(Path(app.instance_path)))
    if test_config:
        app.config.update(test_config)
    # A request may carry one file of the maximum size and a form around it.
    app.config["MAX_CONTENT_LENGTH"] = (app.config["WORKSPACE_MAX_UPLOAD_MB"] + 1) * 1024 * 1024
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(Path(app.instance_path))

    if proxies := app.config["WORKSPACE_PROXIES"]:
        # Behind a reverse proxy, trust its X-Forwarded-* headers for the client's address
        # (rate limits), scheme and host (links in emails and feeds).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    configure_storage(app)
    configure_extensions(app)
    configure_listeners()
    configure_signals()
    app.url_map.converters["int"] = DatabaseId
    configure_blueprints(app)
    configure_templates(app)
    configure_responses(app)
    from workspace.commands import register_commands

    register_commands(app)
    if app.config["WORKSPACE_SCHEDULER"] == "inline":
        from workspace.scheduler import start_inline

        start_inline(app)
    return app


def configure_storage(app: Flask) -> None:
    """An object store that cannot be used stops the start (every worker, every command), with
    a message that says what to fix, rather than failing each upload and download later."""
    from workspace.files.storage import StorageUnavailable, storage_at

    url = str(app.config["WORKSPACE_STORAGE_URL"])
    store = storage_at(url, app.config)  # ValueError for a URL of another kind
    if url.startswith("s3:"):
        try:
            store.check()
        except StorageUnavailable as error:
            raise StorageUnavailable(f"Workspace cannot start: the file store is not usable: "
                                     f"{error}") from None


class DatabaseId(IntegerConverter):
    """`<int:…>` in a URL: an id that fits the database's integer columns. A larger number
    is a 404 instead of overflowing in the database. Not a failed match: werkzeug would then
    try the path's rules for other methods and answer 405."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > MAX_ID:
            raise NotFound()
        return number


def configure_extensions(app: Flask) -> None:
    from workspace.i18n import select_locale, select_timezone
    from workspace.models import User

    db.init_app(app)
    end_reads_with_commit(app)  # after db.init_app: teardowns run last registered first
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    configure_limits(app)

    app.session_interface = RememberedSessionCookies()
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    @user_logged_in.connect_via(app)
    def renew_csrf_token(sender: Flask, user: User, **extra: object) -> None:
        """A form token that existed before the sign-in (perhaps in a session someone planted)
        must not be valid after it."""
        session.pop("csrf_token", None)
        g.pop("csrf_token", None)

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        from workspace.notifications.sessions import user_for_session

        return user_for_session(session_id)


def configure_limits(app: Flask) -> None:
    """Rate limits counted in Redis when WORKSPACE_REDIS_URL is set, so that every worker of
    every node shares one count; otherwise in each process. A Redis that does not answer
    within a second is left for the in-memory fallback (config.DEFAULTS), whose warning goes
    where the app's own messages go (Flask-Limiter gives its logger no handler)."""
    if redis_url := app.config["WORKSPACE_REDIS_URL"]:
        app.config["RATELIMIT_STORAGE_URI"] = redis_url
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS",
                              {"socket_connect_timeout": 1, "socket_timeout": 1})
    limiter.init_app(app)
    limiter_log = logging.getLogger("flask-limiter")
    if default_handler not in limiter_log.handlers:
        limiter_log.addHandler(default_handler)


def configure_listeners() -> None:
    """What keeps derived data in step with the items, listening on the app's session."""
    from workspace.search.indexing import keep_index_in_step

    keep_index_in_step(db.session)


def configure_signals() -> None:
    """Connect each domain's receivers to the signals of the domains below it (see
    docs/architecture.md). Receivers of one signal run in the order connected here; connecting
    again (another app in the same process) changes nothing."""
    from workspace.api.receivers import connect_signals as api
    from workspace.files.receivers import connect_signals as files
    from workspace.inbound.receivers import connect_signals as inbound
    from workspace.mail.receivers import connect_signals as mail
    from workspace.notifications.receivers import connect_signals as notifications
    from workspace.projects.receivers import connect_signals as projects

    for connect in (projects, files, api, inbound, mail, notifications):
        connect()


def configure_blueprints(app: Flask) -> None:
    from workspace.activity.views import bp as activity_bp
    from workspace.admin import api as admin_api  # noqa: F401 (routes)
    from workspace.admin.views import bp as admin_bp
    from workspace.alerts.views import bp as reminders_bp
    from workspace.api import (  # noqa: F401 (routes)
        delivery,
        documents,
        events,
        files,
        folders,
        followers,
        messages,
        milestones,
        projects,
        templates,
        todos,
    )
    from workspace.api.views import bp as api_bp
    from workspace.api.views import docs_bp as api_docs_bp
    from workspace.auth.views import bp as auth_bp
    from workspace.comments.views import add_comment_routes
    from workspace.comments.views import bp as comments_bp
    from workspace.documents.views import bp as documents_bp
    from workspace.feeds.views import bp as feeds_bp
    from workspace.files.views import bp as files_bp
    from workspace.folders.views import bp as folders_bp
    from workspace.health import bp as health_bp
    from workspace.inbound.views import bp as inbound_bp
    from workspace.messages.views import bp as messages_bp
    from workspace.milestones.views import bp as milestones_bp
    from workspace.notifications.views import bp as notifications_bp
    from workspace.overview import views as overview  # noqa: F401 (a route of projects_bp)
    from workspace.project_templates.views import bp as templates_bp
    from workspace.projects.people_views import bp as people_bp
    from workspace.projects.views import bp as projects_bp
    from workspace.schedule.views import bp as schedule_bp
    from workspace.schedule.views import mine_bp as my_schedule_bp
    from workspace.search.views import bp as search_bp
    from workspace.todos.views import assignments_bp
    from workspace.todos.views import bp as todos_bp

    for blueprint in (auth_bp, projects_bp, people_bp, messages_bp, comments_bp, activity_bp,
                      todos_bp, assignments_bp, feeds_bp, files_bp, documents_bp, folders_bp,
                      milestones_bp,
                      notifications_bp, inbound_bp, api_bp, api_docs_bp, search_bp, health_bp,
                      admin_bp, schedule_bp, my_schedule_bp, reminders_bp, templates_bp):
        app.register_blueprint(blueprint)
    add_comment_routes(app)


def configure_templates(app: Flask) -> None:
    from flask_babel import get_locale

    from workspace.auth.browsers import browser_name
    from workspace.comments.fragments import kept_comments
    from workspace.errors import register_error_pages
    from workspace.forms import replace_id_prefix, squeeze_whitespace
    from workspace.fragments import TOKEN_FIELD, csrf, kept_header
    from workspace.i18n import register_filters
    from workspace.links import comments_url, event_url, item_url, item_url_prefix
    from workspace.projects.access import Action
    from workspace.todos.fragments import kept_todos

    register_error_pages(app)

    @app.context_processor
    def unread_notifications() -> dict[str, object]:
        from flask_login import current_user

        from workspace.notifications.operations import unread_count

        if current_user and current_user.is_authenticated:
            return {"unread_count": lambda: unread_count(current_user)}
        return {"unread_count": lambda: 0}
    register_filters(app)
    app.jinja_env.filters["browser_name"] = browser_name
    app.jinja_env.globals.update(
        Action=Action, get_locale=get_locale, event_url=event_url, item_url=item_url,
        item_url_prefix=item_url_prefix, comments_url=comments_url,
        kept_comments=kept_comments,
        kept_todos=kept_todos, kept_token_field=TOKEN_FIELD, csrf=csrf, kept_header=kept_header,
    )
    app.jinja_env.filters["replace_id_prefix"] = replace_id_prefix
    app.jinja_env.filters["squeeze_whitespace"] = squeeze_whitespace
    app.jinja_env.add_extension("jinja2.ext.do")


def configure_responses(app: Flask) -> None:
    @app.before_request
    def refuse_oversized_bodies() -> None:
        """Werkzeug only enforces MAX_CONTENT_LENGTH on a body that is read; refuse a body
        declared too large before anything acts, whether the route reads it or not."""
        limit = request.max_content_length
        if limit is not None and (request.content_length or 0) > limit:
            abort(413)

    @app.after_request
    def secure_headers(response):  # type: ignore[no-untyped-def]
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        return response


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record) -> None:  # type: ignore[no-untyped-def]
    """WAL lets readers work while one writer writes; the busy timeout waits instead of failing."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
