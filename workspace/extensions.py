"""The Flask extensions, created here and bound to the app in `create_app`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from flask import Flask, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Connection, CursorResult, Engine, Executable, MetaData, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(get_remote_address)

Claim = TypeVar("Claim")
Job = TypeVar("Job")


def end_reads_with_commit(app: Flask) -> None:
    """End a request whose transaction wrote nothing with COMMIT rather than ROLLBACK: psycopg
    forgets every prepared statement on a ROLLBACK (a rolled-back transaction may have dropped
    what they name), so PostgreSQL would plan every statement of every page again, each time.
    A transaction that wrote nothing ends in the same state either way."""
    for target, name, listener in ((Session, "after_begin", note_connection),
                                   (Engine, "before_cursor_execute", note_writes)):
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)

    @app.teardown_appcontext
    def commit_reads(exception: BaseException | None) -> None:
        session = db.session()
        connection = session.info.pop("connection", None)
        if (exception is None and connection is not None and not connection.closed
                and not connection.info.get("wrote") and session.in_transaction()
                and not (session.new or session.dirty or session.deleted)):
            session.commit()


def note_connection(session: Session, transaction: object, connection: Connection) -> None:
    session.info["connection"] = connection
    connection.info["wrote"] = False


def note_writes(connection: Connection, cursor: object, statement: str, *args: object) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        connection.info["wrote"] = True


def claimed(row: Claim) -> Claim | None:
    """Insert `row`, whose unique key names a job done once (an alert, a reminder, a recap
    for its period), and return it; None when another run, in this process or another,
    inserted it first. Only the row's savepoint is undone then."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return None
    return row


def done_once(jobs: Iterable[Job], claim: Callable[[Job], Claim | None],
              do: Callable[[Job], object]) -> list[Claim]:
    """Do each job whose claim (`claimed`) this run wins, committing each with its claim, so
    that two schedulers at once do every job exactly once; returns the claims won."""
    won = []
    for job in jobs:
        row = claim(job)
        if row is None:
            continue
        do(job)
        db.session.commit()
        won.append(row)
    return won


def read(statement: Executable, parameters: dict | None = None) -> CursorResult:
    """The result of a prebuilt statement that selects plain columns, run on the session's
    connection after flushing what is pending (as the ORM would): for the cheapest pages, where
    the ORM's execution layer, made to build objects, costs twice the statement itself.
    (Statements built per request gain nothing: their cache key costs the same either way.)"""
    db.session.flush()
    return db.session.connection().execute(statement, parameters)

# The blueprints whose routes have rate limits (sign-in and emailed links, the API). Every
# other request skips the limiter's work, a tenth of a cheap page's cost.
RATE_LIMITED_BLUEPRINTS = frozenset({"auth", "api"})


@limiter.request_filter
def without_limits() -> bool:
    return request.blueprint not in RATE_LIMITED_BLUEPRINTS
