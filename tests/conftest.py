"""Fixtures: every test runs on SQLite, and on PostgreSQL too when WORKSPACE_TEST_DATABASE_URL
is set. Tests read as stories: `make.project(owner=ana)`, `client_for(ana).get(...)`."""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, event, insert, make_url, text
from werkzeug.serving import make_server

import workspace.models  # noqa: F401 (every model mapped before a test module builds a query at import)
from workspace import create_app
from workspace.auth.models import User
from workspace.auth.operations import open_session
from workspace.extensions import db, limiter
from workspace.fragments import FRAGMENTS
from workspace.items import Item
from workspace.kept import forget_kept
from workspace.projects.models import Membership, Project, Role
from workspace.projects.operations import join_project

PASSWORD = "correct horse battery"
IN_CI = os.environ.get("CI") == "true"
POSTGRES_URL = os.environ.get("WORKSPACE_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def skip_or_fail(reason: str) -> None:
    """Under CI a missing browser or database is a failure, never a silent skip."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def test_config(database_url: str) -> dict[str, object]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test secret key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SERVER_NAME": "workspace.test",
        "HEALTH_CHECK_SECONDS": 0,  # tests change the app's dependencies between requests
    }


test_config.__test__ = False  # a helper, not a test, when imported by test modules


@pytest.fixture(scope="session", autouse=True)
def _instance_path(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["WORKSPACE_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                 _instance_path: None) -> Iterator[str]:
    """A database with the models' schema, created once per backend for the whole run."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'workspace.db'}"
        create_schema(url)
        yield url
        return
    with scratch_postgres_database(f"workspace_test_{os.getpid()}") as url:
        create_schema(url)
        yield url


def create_schema(url: str) -> None:
    app = create_app(test_config(url))
    with app.app_context():
        db.create_all()
        db.engine.dispose()


@contextmanager
def scratch_postgres_database(name: str) -> Iterator[str]:
    """A database of our own on the server WORKSPACE_TEST_DATABASE_URL points at, so that
    concurrent runs never wipe each other's rows; dropped afterwards."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # A commit need not wait for the disk: a crash of the server loses a scratch database.
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def wipe_database() -> None:
    """Empty the tables that hold rows and start every id at 1 again, as in a new database.
    DELETE, not TRUNCATE: on PostgreSQL a TRUNCATE makes new files for every table its CASCADE
    reaches (about 0.4 s), a DELETE of a few rows takes milliseconds."""
    tables = db.metadata.sorted_tables
    connection = db.session.connection()
    written = set(connection.exec_driver_sql(" UNION ALL ".join(
        f"SELECT '{table.name}' WHERE EXISTS (SELECT 1 FROM \"{table.name}\")"
        for table in tables)).scalars())
    deletes = [f'DELETE FROM "{table.name}"' for table in reversed(tables)
               if table.name in written]
    if connection.dialect.name == "postgresql":
        # In one round trip; every sequence, since a rolled-back insert moves one too.
        restarts = ", ".join(
            f"setval(pg_get_serial_sequence('\"{table.name}\"', '{column.name}'), 1, false)"
            for table in tables if (column := table.autoincrement_column) is not None)
        connection.exec_driver_sql("; ".join([*deletes, f"SELECT {restarts}"]))
    else:  # SQLite gives an empty table's next row the id 1
        for delete in deletes:
            connection.exec_driver_sql(delete)
    db.session.commit()


class Client(FlaskClient):
    """A test client that sends a valid CSRF token with every form, as a browser would."""

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        serializer = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token")
        return serializer.dumps(raw)

    def open(self, *args: object, **kwargs: object):  # type: ignore[override]
        """Serve each request in its own app context, as a real server does (fresh `g` and
        session), then expire the test's own objects so that it reads what the request wrote."""
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response

    def post(self, *args: object, csrf: bool = True, **kwargs: object):  # type: ignore[override]
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)):
            kwargs["data"] = {"csrf_token": self.csrf_token(), **(data or {})}
        return super().post(*args, **kwargs)


@pytest.fixture(scope="session")
def shared_app(database_url: str) -> Iterator[Flask]:
    """One app per test worker and database: building one, and compiling its templates again,
    cost more than most tests. `app` puts back what a test changes in it."""
    app = create_app(test_config(database_url))
    app.test_client_class = Client
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            event.listen(db.engine, "checkout", PooledSettings.reset_once_per_test)
        yield app
        db.engine.dispose()


@dataclass
class AppState:
    """What a test may change in the shared app, kept before it runs and put back after."""

    config: dict[str, object]
    extensions: dict[str, object]
    view_functions: dict[str, object]  # a test may put a failing view in a route's place
    auto_reload: bool

    @classmethod
    def of(cls, app: Flask) -> AppState:
        return cls(dict(app.config), dict(app.extensions), dict(app.view_functions),
                   app.jinja_env.auto_reload)

    def restore(self, app: Flask) -> None:
        forget_kept(app)  # ids come back in the next test, with other contents
        FRAGMENTS.clear()
        app.config.clear()
        app.config.update(self.config)
        app.extensions.clear()  # and what a test started: the inline scheduler
        app.extensions.update(self.extensions)
        app.view_functions.clear()
        app.view_functions.update(self.view_functions)
        app.jinja_env.auto_reload = self.auto_reload


class PooledSettings:
    """The shared app's pool outlives a test: in each test, a pooled PostgreSQL connection
    first forgets what a previous test SET on it (once, not on every checkout)."""

    test = 0

    @classmethod
    def reset_once_per_test(cls, dbapi_connection, record, proxy) -> None:  # type: ignore[no-untyped-def]
        if record.info.get("test") != cls.test:
            record.info["test"] = cls.test
            dbapi_connection.execute("RESET ALL")
            dbapi_connection.commit()


@pytest.fixture
def app(shared_app: Flask, tmp_path) -> Iterator[Flask]:
    PooledSettings.test += 1
    app, state = shared_app, AppState.of(shared_app)
    app.config["WORKSPACE_UPLOAD_DIR"] = str(tmp_path)
    limiter.init_app(app)  # the limiter is one object: an app a test built may have enabled it
    try:
        with app.app_context():
            yield app
            db.session.remove()
            wipe_database()
            db.session.remove()
    finally:
        state.restore(app)


@pytest.fixture
def live_config() -> dict[str, object]:
    """Settings of the served app beyond the tests' own; a test module may override this."""
    return {}


@pytest.fixture(scope="session")
def served_app(database_url: str) -> Iterator[tuple[Flask, str]]:
    """The app that `live_server` serves on 127.0.0.1 from a background thread, and its base
    URL: one per test worker and database, as `shared_app`, so that no test pays for building
    it, compiling its templates and stopping its server."""
    # Email in is on, so that the pages the browser tests check show its panel too.
    config = {**test_config(database_url),
              "WORKSPACE_MAIL_INBOUND_ADDRESS": "workspace@example.org"}
    del config["SERVER_NAME"]
    served = create_app(config)
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with served.app_context():
            db.engine.dispose()


@pytest.fixture
def live_server(app: Flask, served_app: tuple[Flask, str], tmp_path,
                live_config: dict[str, object]) -> Iterator[str]:
    """The served app's base URL, with this test's uploads directory and `live_config`; put
    back as it was afterwards. Depends on `app`, whose teardown (after this one) empties the
    database."""
    served, url = served_app
    state = AppState.of(served)
    served.config.update({"WORKSPACE_UPLOAD_DIR": str(tmp_path), **live_config})
    try:
        yield url
    finally:
        state.restore(served)


@pytest.fixture
def client(app: Flask) -> Client:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@dataclass
class Factory:
    """Builds people and projects straight through the models, for tests to stand on."""

    counter: int = 0
    created: list[object] = field(default_factory=list)

    def user(self, name: str | None = None, *, email: str | None = None,
             admin: bool = False) -> User:
        self.counter += 1
        name = name or f"Person {self.counter}"
        email = email or f"{name.split()[0].lower()}{self.counter}@example.org"
        user = User(name=name, email=email, is_admin=admin)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    def project(self, name: str = "Launch plan", *, owner: User | None = None,
                members: tuple[User, ...] = (), clients: tuple[User, ...] = ()) -> Project:
        project = Project(name=name, description="")
        db.session.add(project)
        for user, role in [(owner or self.user("Owner"), Role.OWNER),
                           *((m, Role.MEMBER) for m in members),
                           *((c, Role.CLIENT) for c in clients)]:
            join_project(project, user, role)
        db.session.commit()
        return project

    def join(self, project: Project, user: User, role: Role) -> Membership:
        membership = join_project(project, user, role)
        db.session.commit()
        return membership


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory()


@pytest.fixture
def client_for(app: Flask):  # type: ignore[no-untyped-def]
    """A test client signed in as `user` (without going through the login form)."""
    return lambda user: signed_in_client(app, user)


def signed_in_client(app: Flask, user: User) -> Client:
    """A test client of `app` with a login session of its own for `user`."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = open_session(user)
        session["_fresh"] = True
    return client


def insert_items(model: type, kind: str, rows: list[dict], parents: list[int]) -> None:
    """Many rows of an item kind in two INSERTs (their `items` rows, each under its parent
    item, then theirs), for tests that need thousands: without the ORM's work per row, and
    so without search entries (which the pages these tests read never use)."""
    item_ids = db.session.scalars(
        insert(Item).returning(Item.id, sort_by_parameter_order=True),
        [{"kind": kind, "project_id": row["project_id"], "parent_id": parent}
         for row, parent in zip(rows, parents, strict=True)]).all()
    db.session.execute(insert(model), [{**row, "item_id": item_id}
                                       for row, item_id in zip(rows, item_ids, strict=True)])


@dataclass
class QueryCounter:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries() -> Iterator[QueryCounter]:
    """Count the SQL statements run inside the block (Indico's fixture, in a few lines)."""
    counter = QueryCounter()

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        counter.statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", record)


# The S3 server fixture, for any test that asks for it (tests/s3.py says how to use it).
from tests.s3 import any_store, s3_server  # noqa: E402, F401
