"""How long a project takes to be made from a large template, and in how many statements.

Builds in a scratch SQLite (or an empty WORKSPACE_DATABASE_URL) a template of --lists lists of
--todos to-dos each (with notes, due days, a comment each, and three roles the to-dos are
assigned to and commented by in turn), plus two milestones, a folder, a document and a message
(each with a comment); then makes a project from it
--runs times, timing each creation and counting its SQL statements, and once more from a
template of one list of ten to-dos: the statements of both are printed, to show that they do
not grow with the to-dos and their comments (only by a page of a thousand rows per multi-row
INSERT, and a batch of 500 per search-index write). Usage:

    .venv/bin/python bench/templates.py --lists 50 --todos 100
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def template_file(lists: int, todos: int) -> bytes:
    roles = [{"key": key, "label": key.title(), "project_role": "member"}
             for key in ("designer", "writer", "developer")]
    return json.dumps({
        "workspace_template": 1, "kind": "project", "name": f"{lists} x {todos}",
        "roles": roles,
        "milestones": [{"key": "kick", "title": "Kick-off", "day": 0, "responsible": "designer",
                        "comments": [{"body": "Room booked", "author": "writer"}]},
                       {"key": "ship", "title": "Ship", "day": 90, "responsible": None}],
        "lists": [{"key": f"l{n}", "name": f"List {n}", "description": "Steps",
                   "milestone": "ship" if n % 2 else "kick",
                   "todos": [{"text": f"To-do {n}.{m}", "notes": f"Notes for *{n}.{m}*",
                              "day": (n + m) % 90, "assignee": roles[m % 3]["key"],
                              "comments": [{"body": f"Done *{n}.{m}*?",
                                            "author": roles[(m + 1) % 3]["key"]}]}
                             for m in range(todos)]} for n in range(lists)],
        "folders": [{"key": "f", "name": "Specs"}],
        "documents": [{"title": "Brief", "body": "# Goals", "folder": "f",
                       "comments": [{"body": "Clear", "author": None}]}],
        "messages": [{"title": "Welcome", "body": "Hello",
                      "comments": [{"body": "Hi", "author": "developer"}]}],
    }).encode()


@dataclass
class Creation:
    seconds: float
    statements: int
    todos: int


@contextmanager
def counted() -> Iterator[list[str]]:
    from sqlalchemy import event

    from workspace.extensions import db

    statements: list[str] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def create_from(lists: int, todos: int, owner, people: list) -> Creation:  # type: ignore[no-untyped-def]
    """Import a template of `lists` x `todos`, then time and count the creation of a project
    from it (the roles given to `people`), in the current app context."""
    from workspace.project_templates import operations

    template = operations.import_template(template_file(lists, todos), by=owner)
    chosen = dict(zip(("designer", "writer", "developer"), (p.id for p in people), strict=False))
    with counted() as statements:
        started = time.perf_counter()
        operations.create_project(template, name="Benchmarked", description="",
                                  anchor_date=date(2027, 3, 1), from_end=False,
                                  skip_weekends=True, people=chosen, by=owner)
        seconds = time.perf_counter() - started
    return Creation(seconds, len(statements), lists * todos)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lists", type=int, default=50)
    parser.add_argument("--todos", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from scratch import scratch_instance

    scratch_instance()
    from workspace import create_app
    from workspace.auth.models import User
    from workspace.extensions import db
    from workspace.projects.models import Project, Role
    from workspace.projects.operations import join_project

    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "SERVER_NAME": "bench"})
    with app.app_context():
        db.create_all()
        people = [User(name=name, email=f"{name.lower()}@bench.example")
                  for name in ("Owner", "Dee", "Wes", "Devi")]
        for person in people:
            person.set_password("bench password")
        db.session.add_all(people)
        project = Project(name="Where they meet")
        db.session.add(project)
        for person in people:
            join_project(project, person, Role.MEMBER)
        db.session.commit()
        owner, *others = people
        small = create_from(1, 10, owner, others)
        runs = [create_from(args.lists, args.todos, owner, others) for _ in range(args.runs)]
        print(f"{db.engine.dialect.name}: a project from a template of {args.lists} lists x "
              f"{args.todos} to-dos ({runs[0].todos} to-dos, assigned, dated, with notes and a "
              f"comment each)")
        print(f"  median {statistics.median(r.seconds for r in runs):.2f} s, worst "
              f"{max(r.seconds for r in runs):.2f} s over {args.runs} runs "
              f"(target: under 2 s)")
        print(f"  statements: {runs[0].statements} (1 list x 10 to-dos: {small.statements})")


if __name__ == "__main__":
    main()
