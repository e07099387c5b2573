"""The milestone pages run the same number of SQL queries whatever the project's size."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import count_queries, insert_items
from workspace.extensions import db
from workspace.milestones.models import Milestone
from workspace.todos.models import Todo, TodoList
from workspace.types import utcnow

from .helpers import page, zone_today


def fill(project, people, count: int) -> Milestone:
    """`count` milestones around today: late, upcoming and completed ones, each with a
    responsible person and a linked list of to-dos."""
    today = zone_today("UTC")
    milestones = [
        Milestone(project_id=project.id, author=people[0], title=f"M{n}",
                  due_on=today + timedelta(days=n % 60 - 20),
                  responsible=people[n % len(people)],
                  completed_at=utcnow() if n % 5 == 0 else None,
                  completed_by=people[(n + 1) % len(people)] if n % 5 == 0 else None)
        for n in range(count)
    ]
    db.session.add_all(milestones)
    db.session.flush()
    lists = [TodoList(project_id=project.id, name=f"L{m.id}", milestone_id=m.id,
                      private=n % 2 == 0) for n, m in enumerate(milestones)]
    db.session.add_all(lists)
    db.session.flush()
    # In one INSERT of many rows, without the search entries that these pages never read.
    pairs = [(todo_list, k) for todo_list in lists for k in range(3)]
    insert_items(Todo, "todo", [
        {"project_id": project.id, "list_id": todo_list.id, "text": "t",
         "private": todo_list.private, "completed_at": utcnow() if k == 0 else None,
         "due_on": today - timedelta(days=k)} for todo_list, k in pairs],
        [todo_list.item_id for todo_list, _ in pairs])
    db.session.commit()
    return milestones[1]


def queries_for(client, path: str) -> int:
    with count_queries() as counter:
        response = client.get(path)
        assert response.status_code == 200, path
    return counter.count


def test_milestone_pages_do_not_grow_with_the_project(make, client_for):
    ana, bo, cy, dee = (make.user(name) for name in ("Ana", "Bo", "Cy", "Dee"))
    small = make.project("Small", owner=ana, members=(bo, dee), clients=(cy,))
    large = make.project("Large", owner=ana, members=(bo, dee), clients=(cy,))
    small_one = fill(small, [ana, bo, cy, dee], 5)
    large_one = fill(large, [ana, bo, cy, dee], 200)
    month = f"{zone_today('UTC'):%Y-%m}"
    for person in (ana, cy):
        client = client_for(person)
        for path in ("/milestones", f"/milestones/calendar?month={month}", ""):
            small_count = queries_for(client, f"/projects/{small.id}{path}")
            large_count = queries_for(client, f"/projects/{large.id}{path}")
            assert small_count == large_count, (person.name, path, small_count, large_count)
        assert queries_for(client, f"/projects/{small.id}/milestones/{small_one.id}") == (
            queries_for(client, f"/projects/{large.id}/milestones/{large_one.id}"))

    tree = page(client_for(ana).get(f"/projects/{large.id}/milestones"))
    assert len(tree.xpath("//li[contains(concat(' ', @class, ' '), ' milestone ')]")) == 200
