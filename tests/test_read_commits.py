"""A request whose transaction wrote nothing ends with COMMIT (psycopg forgets its prepared
statements on ROLLBACK); anything that wrote, or failed, still ends with ROLLBACK."""

from __future__ import annotations

from sqlalchemy import event, func, select

from workspace.auth.models import User
from workspace.extensions import db


def endings(app, work):  # type: ignore[no-untyped-def]
    """How the transaction `work` runs in, in a context of its own, ended."""
    seen: list[str] = []

    def commit(connection):  # type: ignore[no-untyped-def]
        seen.append("commit")

    def rollback(connection):  # type: ignore[no-untyped-def]
        seen.append("rollback")

    with app.app_context():
        engine = db.engine
    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    try:
        context = app.app_context()
        context.push()
        error = None
        try:
            work()
        except RuntimeError as raised:
            error = raised
        finally:
            context.pop(error)
    finally:
        event.remove(engine, "commit", commit)
        event.remove(engine, "rollback", rollback)
    return seen


def people() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_a_transaction_that_only_read_ends_with_commit(app, make):
    make.user("Ana")
    assert endings(app, people) == ["commit"]


def test_a_transaction_that_wrote_without_committing_is_rolled_back(app, make):
    make.user("Ana")
    before = people()

    def write() -> None:
        bo = User(name="Bo", email="bo@example.org")
        bo.set_password("a long enough password")
        db.session.add(bo)
        db.session.flush()

    assert endings(app, write) == ["rollback"]
    assert people() == before


def test_pending_changes_or_a_failure_are_never_committed(app, make):
    ana = make.user("Ana")

    def change() -> None:
        db.session.get(User, ana.id).name = "Changed"  # pending, never flushed

    def fail() -> None:
        people()
        raise RuntimeError("the request failed")

    assert endings(app, change) == ["rollback"]
    assert endings(app, fail) == ["rollback"]
    db.session.expire_all()
    assert db.session.get(User, ana.id).name == "Ana"
