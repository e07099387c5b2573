"""Schedule pages: a project's month and "My schedule" across projects, with milestones,
events and dated to-dos the person may see; as many queries for 1,000 events as for 10."""

from __future__ import annotations

import re
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


PAGE_LIMIT = 150 * 1024


def packed(html: str) -> set[int]:
    """The numbers of the packed events a page shows."""
    return {int(n) for n in re.findall(r"Packed (\d+)\b", html)}


def packed_month(project, author, count: int) -> None:  # type: ignore[no-untyped-def]
    """`count` events spread over the days of March, a third of them private, every tenth
    one weekly: a month far fuller than a grid can show."""
    rows = []
    for n in range(count):
        begins = datetime(2026, 3, 1 + n % 31, 8, tzinfo=UTC) + timedelta(minutes=n // 31)
        rows.append({"project_id": project.id, "author_id": author.id, "title": f"Packed {n}",
                     "place": "", "notes": "", "notes_html": "", "starts_at": begins,
                     "ends_at": begins + timedelta(hours=1), "all_day": False,
                     "timezone": "Europe/Paris", "rule": "FREQ=WEEKLY" if n % 10 == 0 else None,
                     "last_ends_at": None if n % 10 == 0 else begins + timedelta(hours=1),
                     "private": n % 3 == 0, "created_at": begins})
    insert_items(CalendarEvent, "event", rows, [None] * count)
    db.session.commit()


def test_a_month_of_1000_events_stays_small_with_as_many_queries_as_for_10(make, client_for):
    ana, bo, cy = make.user("Ana"), make.user("Bo"), make.user("Cy")
    small = make.project("Small", owner=ana, members=(bo,))
    large = make.project("Large", owner=ana, members=(cy,))
    packed_month(small, ana, 10)
    packed_month(large, ana, 1000)
    team = client_for(ana)
    counts, sizes = {}, {}
    for project in (small, large):
        with count_queries() as counter:
            response = team.get(f"/projects/{project.id}/schedule?month={MONTH}")
        assert response.status_code == 200
        counts[project.name], sizes[project.name] = counter.count, len(response.data)
    assert counts["Small"] == counts["Large"]
    assert sizes["Large"] < PAGE_LIMIT
    html = team.get(f"/projects/{large.id}/schedule?month={MONTH}").get_data(as_text=True)
    assert 0 in packed(html) and len(packed(html)) <= 5 * 31
    assert f'href="/projects/{large.id}/schedule?day=2026-03-01"' in html
    assert "+" in html and " more" in html
    for person in (bo, cy):  # one in the small project, one in the large one
        with count_queries() as counter:
            response = client_for(person).get(f"/schedule?month={MONTH}")
        assert response.status_code == 200
        counts[person.name], sizes[person.name] = counter.count, len(response.data)
    assert counts["Bo"] == counts["Cy"]
    assert sizes["Cy"] < PAGE_LIMIT
    assert 'href="/schedule?day=2026-03-01"' in client_for(cy).get(
        f"/schedule?month={MONTH}").get_data(as_text=True)


def test_a_day_s_own_page_shows_all_it_holds_a_page_at_a_time(make, client_for):
    ana, cy = make.user("Ana"), make.user("Cy")
    small = make.project("Small", owner=ana)
    large = make.project("Large", owner=ana, clients=(cy,))
    packed_month(small, ana, 10)
    packed_month(large, ana, 1000)
    team = client_for(ana)
    counts = {}
    for project in (small, large):
        with count_queries() as counter:
            response = team.get(f"/projects/{project.id}/schedule?day=2026-03-01")
        assert response.status_code == 200
        counts[project.name] = counter.count
    assert counts["Small"] == counts["Large"]
    # 33 events start on March 1 (n = 0, 31, …, 992), in that order: 25 a page.
    first = team.get(f"/projects/{large.id}/schedule?day=2026-03-01").get_data(as_text=True)
    assert "Page 1 of 2" in first and 0 in packed(first)
    assert f'href="/projects/{large.id}/schedule?day=2026-03-01&amp;page=2"' in first
    second = team.get(f"/projects/{large.id}/schedule?day=2026-03-01&page=2")
    assert "Page 2 of 2" in second.get_data(as_text=True)
    assert packed(first) | packed(second.get_data(as_text=True)) == set(range(0, 993, 31))
    past_the_end = team.get(f"/projects/{large.id}/schedule?day=2026-03-01&page=99")
    assert "Page 2 of 2" in past_the_end.get_data(as_text=True)
    # A client sees no private event there, nor on their own schedule's day.
    for url in (f"/projects/{large.id}/schedule?day=2026-03-01", "/schedule?day=2026-03-01"):
        seen = packed(client_for(cy).get(url).get_data(as_text=True))
        assert 31 in seen and 0 not in seen and 93 not in seen
    french = client_for(ana)
    french.post("/language", data={"language": "fr"})
    assert "autres" in french.get(f"/projects/{large.id}/schedule?month={MONTH}").get_data(
        as_text=True)
