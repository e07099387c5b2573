"""The newest events a person may see across projects: the same answer as sorting every
visible event, read through the (project_id, id) index so that its cost does not grow with
the number of events."""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import insert, select

from tests.conftest import BACKENDS
from workspace.access import access_to, newest_visible_events
from workspace.activity.models import Event
from workspace.extensions import db
from workspace.items import Item
from workspace.projects.models import Role
from workspace.types import utcnow


def add_events(project_id: int, count: int, *, private_every: int = 0,
               rng: random.Random | None = None) -> None:
    """`count` events in one project, every `private_every`-th private (0: none)."""
    now = utcnow()
    item = Item(kind="message", project_id=project_id)  # what they are about, for its key
    db.session.add(item)
    db.session.flush()
    db.session.execute(insert(Event), [
        {"project_id": project_id, "action": "created", "subject_type": "message",
         "subject_id": n, "target_type": "message", "target_id": n, "summary": f"E{n}",
         "subject_item_id": item.id, "target_item_id": item.id,
         "private": bool(private_every and n % private_every == 0), "created_at": now}
        for n in range(count)
    ])


def world(make, rng: random.Random):  # type: ignore[no-untyped-def]
    """Four projects of very different sizes, events interleaved between them, a quarter of
    them private; Ana owns all, Chloé is a client of two, Sam is a site administrator."""
    ana, chloe, sam = make.user("Ana"), make.user("Chloé"), make.user("Sam")
    sam.is_admin = True
    projects = [make.project(f"P{n}", owner=ana) for n in range(4)]
    make.join(projects[0], chloe, Role.CLIENT)
    make.join(projects[2], chloe, Role.CLIENT)
    for _ in range(40):  # interleaved batches: a project's events are not contiguous
        project = rng.choice(projects[:3])
        add_events(project.id, rng.randint(1, 9), private_every=4)
    add_events(projects[3].id, 2)  # a project with fewer events than any page
    db.session.commit()
    return ana, chloe, sam, projects


def everything_sorted(project_ids: set[int], sees_private: bool) -> list[int]:
    query = select(Event.id).where(Event.project_id.in_(project_ids)).order_by(Event.id.desc())
    if not sees_private:
        query = query.where(Event.private.is_(False))
    return list(db.session.scalars(query))


@pytest.mark.parametrize("limit", [1, 3, 10, 51])
def test_the_same_events_as_sorting_every_visible_one(make, limit):
    ana, chloe, sam, projects = world(make, random.Random(limit))
    everyone = {p.id for p in projects}
    expected = {
        ana: everything_sorted(everyone, sees_private=True),
        sam: everything_sorted(everyone, sees_private=True),  # not a member, an administrator
        chloe: everything_sorted({projects[0].id, projects[2].id}, sees_private=False),
    }
    for person, visible in expected.items():
        assert [e.id for e in db.session.scalars(newest_visible_events(person, limit))] \
            == visible[:limit]
        middle = visible[len(visible) // 3]
        older = [i for i in visible if i < middle][:limit]
        assert [e.id for e in db.session.scalars(
            newest_visible_events(person, limit, before=middle))] == older
        newer = [i for i in visible if i > middle]
        assert [e.id for e in db.session.scalars(
            newest_visible_events(person, limit, after=middle))] == newer[:limit]
    stranger = make.user("Nobody")
    assert db.session.scalars(newest_visible_events(stranger, limit)).all() == []


def test_a_client_never_gets_a_private_event_even_when_the_newest_are_private(make):
    ana, chloe = make.user("Ana"), make.user("Chloé")
    project = make.project("Quiet", owner=ana)
    make.join(project, chloe, Role.CLIENT)
    add_events(project.id, 5)
    add_events(project.id, 60, private_every=1)  # the newest sixty are all private
    db.session.commit()
    seen = db.session.scalars(newest_visible_events(chloe, 51)).all()
    assert len(seen) == 5 and not any(event.private for event in seen)


def large_world(make):  # type: ignore[no-untyped-def]
    """Ana in twenty projects of 300 events each: 6,000 events, 51 wanted."""
    ana = make.user("Ana")
    projects = [make.project(f"P{n}", owner=ana) for n in range(20)]
    for _ in range(3):
        for project in projects:
            add_events(project.id, 100, private_every=7)
    db.session.commit()
    return ana


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_reads_events_only_through_the_project_index(make):
    ana = large_world(make)
    statement = newest_visible_events(ana, 51).compile(db.engine)
    plan = [row[-1] for row in db.session.connection().exec_driver_sql(
        f"EXPLAIN QUERY PLAN {statement}", tuple(statement.positiontup and [
            statement.params[name] for name in statement.positiontup]))]
    event_steps = [step for step in plan if " events" in step]
    assert event_steps and all("USING INDEX ix_events_project_id_id" in step
                               for step in event_steps), plan
    assert not any(step.startswith("SCAN") for step in plan), plan


@pytest.mark.parametrize("database_url", BACKENDS[1:], indirect=True)  # PostgreSQL's only
def test_postgresql_reads_a_bounded_number_of_events(make):
    """EXPLAIN ANALYZE: however many events there are, the rows read from `events` stay
    within a few times (projects + 1) x limit, never the 6,000 a sort would read."""
    ana = large_world(make)
    db.session.execute(db.text("ANALYZE"))
    statement = newest_visible_events(ana, 51).compile(db.engine)
    plan = db.session.connection().exec_driver_sql(
        f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", statement.params).scalar()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    read = rows_read_from(plan[0]["Plan"], "events")
    assert 0 < read <= 2 * 21 * 51, (read, plan)


def rows_read_from(node: dict, table: str) -> int:
    """Rows that scans of `table` produced, over all their loops, in an EXPLAIN ANALYZE plan."""
    own = 0
    if node.get("Relation Name") == table:
        own = node["Actual Rows"] * node["Actual Loops"] + node.get("Rows Removed by Filter", 0)
    return own + sum(rows_read_from(child, table) for child in node.get("Plans", []))


def quiet_project_access(make):  # type: ignore[no-untyped-def]
    """Twenty-one projects of 300 events each, as alike as the planner can tell, but the quiet
    one's are all older than the others' 6,000."""
    ana = make.user("Ana")
    quiet = make.project("Quiet", owner=ana)
    busy = [make.project(f"Busy {n}", owner=ana) for n in range(20)]
    add_events(quiet.id, 300)
    for _ in range(6):
        for project in busy:
            add_events(project.id, 50)
    db.session.commit()
    return access_to(ana, quiet)


def test_a_quiet_projects_newest_events_are_read_through_its_index(make, database_url):
    """A project's feed and stream (ProjectAccess.events): the newest events of the project,
    read through (project_id, id), never by walking every newer event of other projects
    backwards along the primary key (PostgreSQL's planner did, with a filter)."""
    statement = quiet_project_access(make).events().limit(51).compile(db.engine)
    connection = db.session.connection()
    if database_url.startswith("sqlite"):
        plan = [row[-1] for row in connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}",
            tuple(statement.params[name] for name in statement.positiontup))]
        assert all("ix_events_project_id_id" in step for step in plan), plan
        return
    db.session.execute(db.text("ANALYZE"))
    plan = connection.exec_driver_sql(
        f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", statement.params).scalar()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    assert 0 < rows_read_from(plan[0]["Plan"], "events") <= 2 * 51, plan
