"""How long a project feed takes on a project with many events, and how many queries it runs.

Builds a scratch SQLite (or WORKSPACE_DATABASE_URL) project with --events events, then times
the Atom feed (50 entries) and the conditional poll answered 304, in-process. Usage:

    .venv/bin/python bench/feed.py --events 100000
"""

from __future__ import annotations

import argparse
import statistics
import time

from scratch import scratch_instance
from sqlalchemy import event, insert


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    scratch_instance()

    from workspace import create_app
    from workspace.activity.models import Event
    from workspace.auth.models import User
    from workspace.conditional import BODIES
    from workspace.extensions import db
    from workspace.messages.models import Message
    from workspace.projects.models import Membership, Project, Role
    from workspace.types import utcnow

    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.create_all()
        user = User(email="bench@example.org", name="Bench")
        user.set_password("benchmark password")
        project = Project(name="Bench", description="")
        project.memberships.append(Membership(user=user, role=Role.OWNER))
        db.session.add_all([user, project])
        db.session.flush()
        messages = [Message(project_id=project.id, author_id=user.id, title=f"Message {n}",
                            body="b", body_html="<p>Some <strong>text</strong></p>")
                    for n in range(1000)]
        db.session.add_all(messages)
        db.session.flush()
        now = utcnow()
        db.session.execute(insert(Event), [
            {"project_id": project.id, "actor_id": user.id, "action": "created",
             "subject_type": "message", "subject_id": messages[n % 1000].id,
             "target_type": "message", "target_id": messages[n % 1000].id,
             "summary": f"Message {n % 1000}", "excerpt": "", "private": n % 7 == 0,
             "created_at": now}
            for n in range(args.events)
        ])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # statistics, as autovacuum would gather
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
        url = f"/projects/{project.id}/feed.atom?token={user.feed_token}"

    client = app.test_client()
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda *a: statements.append(a[2]))
    first = client.get(url)
    full_queries = len(statements)
    etag = first.headers["ETag"]
    statements.clear()
    client.get(url, headers={"If-None-Match": etag})
    poll_queries = len(statements)
    statements.clear()
    client.get(url)
    kept_queries = len(statements)
    full = timed(lambda: (BODIES.clear(), client.get(url)), args.runs)
    kept = timed(lambda: client.get(url), args.runs)
    poll = timed(lambda: client.get(url, headers={"If-None-Match": etag}), args.runs)
    print(f"{args.events} events, feed of 50 entries ({len(first.data)} bytes)")
    print(f"full feed, built:  median {full:.1f} ms, {full_queries} SQL queries")
    print(f"full feed, kept:   median {kept:.1f} ms, {kept_queries} SQL queries")
    print(f"304 poll:          median {poll:.1f} ms, {poll_queries} SQL queries")


def timed(call, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


if __name__ == "__main__":
    main()
