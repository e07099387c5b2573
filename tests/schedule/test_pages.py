"""Schedule pages: a project's month and "My schedule" across projects, with milestones,
events and dated to-dos the person may see; as many queries for 1,000 events as for 10."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.conftest import count_queries, insert_items
from workspace.extensions import db
from workspace.milestones.models import Milestone
from workspace.schedule.models import CalendarEvent
from workspace.todos.models import Todo, TodoList

from .helpers import add_event

MONTH = "2026-03"


def dated_things(project, ana) -> None:  # type: ignore[no-untyped-def]
    todo_list = TodoList(project_id=project.id, name="Chores")
    db.session.add_all([todo_list, Milestone(project_id=project.id, title="Beta launch",
                                             due_on=date(2026, 3, 20), responsible_id=ana.id)])
    db.session.flush()
    db.session.add_all([
        Todo(project_id=project.id, list_id=todo_list.id, text="Print flyers",
             due_on=date(2026, 3, 18), assignee_id=ana.id),
        Todo(project_id=project.id, list_id=todo_list.id, text="Someone else's chore",
             due_on=date(2026, 3, 19)),
    ])
    db.session.commit()


def test_a_project_month_shows_milestones_events_and_dated_to_dos(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    other = make.project("Other", owner=ana)
    team = client_for(ana)
    dated_things(project, ana)
    add_event(team, project, title="Weekly sync", repeat="weekly", timezone="UTC")
    add_event(team, project, title="Offsite", all_day="y", starts_on="2026-03-10",
              ends_on="2026-03-12", starts_time="", ends_time="")
    add_event(team, other, title="Elsewhere")
    page = team.get(f"/projects/{project.id}/schedule?month={MONTH}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in ("Beta launch", "Print flyers", "Someone else&#39;s chore", "Weekly sync",
                 "Offsite"):
        assert text in html, text
    assert "Elsewhere" not in html
    # Every Monday of March from the 2nd, in the grid and in the phone's list.
    assert html.count("Weekly sync") == 5 + 5
    assert html.count("Offsite") == 3 * 2  # three days, grid and list
    assert '<time datetime="2026-03-02T09:00:00+00:00">' in html


def test_my_schedule_spans_my_projects_and_can_show_only_mine(make, client_for):
    ana, bo, cy = make.user("Ana"), make.user("Bo"), make.user("Cy")
    first = make.project("First", owner=ana, members=(bo,), clients=(cy,))
    second = make.project("Second", owner=bo, members=(ana,))
    dated_things(first, ana)
    team = client_for(ana)
    add_event(team, first, title="Kick-off", attendees=[str(ana.id)])
    add_event(client_for(bo), second, title="Review")
    add_event(team, first, title="Team secret", private="y")
    everything = team.get(f"/schedule?month={MONTH}").get_data(as_text=True)
    for text in ("Beta launch", "Print flyers", "Someone else", "Kick-off", "Review",
                 "Team secret", "First", "Second"):
        assert text in everything, text
    mine = team.get(f"/schedule?month={MONTH}&mine=1").get_data(as_text=True)
    assert "Kick-off" in mine and "Print flyers" in mine and "Beta launch" in mine
    assert "Review" not in mine and "Someone else" not in mine
    seen_by_client = client_for(cy).get(f"/schedule?month={MONTH}").get_data(as_text=True)
    assert "Kick-off" in seen_by_client and "Review" not in seen_by_client
    assert "Team secret" not in seen_by_client


def many_events(project, author, count: int) -> None:  # type: ignore[no-untyped-def]
    start = datetime(2026, 3, 1, 8, tzinfo=UTC)
    rows = []
    for n in range(count):
        begins = start + timedelta(hours=7 * n)
        rows.append({"project_id": project.id, "author_id": author.id, "title": f"Event {n}",
                     "place": "", "notes": "", "notes_html": "", "starts_at": begins,
                     "ends_at": begins + timedelta(hours=1), "all_day": False,
                     "timezone": "Europe/Paris", "rule": "FREQ=WEEKLY" if n % 10 == 0 else None,
                     "last_ends_at": None if n % 10 == 0 else begins + timedelta(hours=1),
                     "private": n % 3 == 0, "created_at": begins})
    insert_items(CalendarEvent, "event", rows, [None] * count)
    db.session.commit()


def test_pages_make_as_many_queries_for_1000_events_as_for_10(make, client_for):
    ana, bo, cy = make.user("Ana"), make.user("Bo"), make.user("Cy")
    small = make.project("Small", owner=ana, members=(bo,))
    large = make.project("Large", owner=ana, members=(cy,))
    many_events(small, ana, 10)
    many_events(large, ana, 1000)
    team = client_for(ana)
    counts = {}
    for project in (small, large):
        with count_queries() as counter:
            response = team.get(f"/projects/{project.id}/schedule?month={MONTH}")
        assert response.status_code == 200
        counts[project.name] = counter.count
    assert counts["Small"] == counts["Large"]
    mine = {}
    for person in (bo, cy):  # one in the small project, one in the large one
        with count_queries() as counter:
            assert client_for(person).get(f"/schedule?month={MONTH}").status_code == 200
        mine[person.name] = counter.count
    assert mine["Bo"] == mine["Cy"]
