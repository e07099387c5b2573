"""bench/templates.py at a small size: a project made from a template runs the same number
of SQL statements for a few to-dos (and their comments) as for hundreds (below the 500 rows
of a search-index batch), and the benchmark itself runs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from workspace import models
from workspace.extensions import db
from workspace.projects.models import Role

BENCH = Path(__file__).resolve().parents[2] / "bench" / "templates.py"


def bench_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_templates", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_statements_do_not_grow_with_the_todos(make):
    bench = bench_module()
    owner, *others = (make.user(name) for name in ("Owner", "Dee", "Wes", "Devi"))
    project = make.project("Where they meet", owner=owner)
    for person in others:
        make.join(project, person, Role.MEMBER)
    few = bench.create_from(2, 3, owner, others)
    many = bench.create_from(4, 110, owner, others)
    assert (few.todos, many.todos) == (6, 440)
    assert few.statements == many.statements
    made = db.session.scalars(db.select(models.Todo.assignee_id).where(
        models.Todo.project_id == db.select(db.func.max(models.Project.id)).scalar_subquery()
    )).all()
    assert len(made) == 440 and set(made) == {person.id for person in others}
    comments = db.session.scalars(db.select(models.Comment.author_id).where(
        models.Comment.project_id == db.select(db.func.max(models.Project.id)).scalar_subquery()
    )).all()
    assert len(comments) == 440 + 3 and set(comments) == {owner.id, *(p.id for p in others)}
