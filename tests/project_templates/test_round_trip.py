"""A project saved as a template makes a new project of the same structure, its dates
shifted (weekends skipped or not, across month ends and a daylight-saving change), on both
databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from workspace import items, models
from workspace.extensions import db
from workspace.project_templates import operations
from workspace.project_templates.capture import Keep
from workspace.project_templates.dates import Calendar
from workspace.project_templates.instantiate import ASSIGNED, COMMENTED, CREATED, WRITTEN_KINDS
from workspace.projects.access import access_to
from workspace.projects.models import Role
from workspace.search.models import SearchEntry

from .helpers import source_project

EVERYTHING = dict(people=True, private=True, settings=True)


def saved(source, **keep):
    access = access_to(source.owner, source.project)
    return operations.save_project_template(
        access, Keep(message_ids=source.message_ids, **{**EVERYTHING, **keep}),
        name="Agency launch", description="What worked")


def made(template, by, start, *, from_end=False, skip_weekends=False, people=None):
    return operations.create_project(
        template, name="Second launch", description="", anchor_date=start, from_end=from_end,
        skip_weekends=skip_weekends, people=people or {}, by=by)


def structure(project):
    """What a project holds, dates included, in a comparable shape."""
    lists = db.session.scalars(select(models.TodoList).where(
        models.TodoList.project_id == project.id).order_by(models.TodoList.position)).all()
    return {
        "milestones": [(m.title, m.due_on, m.responsible_id and m.responsible.name)
                       for m in db.session.scalars(select(models.Milestone).where(
                           models.Milestone.project_id == project.id)
                           .order_by(models.Milestone.due_on, models.Milestone.id))],
        "lists": [(todo_list.name, todo_list.private,
                   todo_list.milestone and todo_list.milestone.title,
                   [(t.text, t.due_on, t.assignee and t.assignee.name, t.private)
                    for t in db.session.scalars(select(models.Todo).where(
                        models.Todo.list_id == todo_list.id).order_by(models.Todo.position))])
                  for todo_list in lists],
        "folders": sorted((f.name, f.private) for f in db.session.scalars(
            select(models.Folder).where(models.Folder.project_id == project.id))),
        "documents": [(d.title, d.body, d.folder_id is not None) for d in db.session.scalars(
            select(models.Document).where(models.Document.project_id == project.id))],
        "messages": [m.title for m in db.session.scalars(
            select(models.Message).where(models.Message.project_id == project.id))],
    }


def test_a_project_comes_back_with_its_structure_and_dates_shifted(make):
    source = source_project(make)
    template = saved(source)
    second = made(template, source.owner, date(2027, 3, 1),
                  people={"r1": source.owner.id, "r2": source.designer.id})
    assert structure(second) == {
        "milestones": [("Kick-off", date(2027, 3, 1), None),
                       ("Launch", date(2027, 3, 26), "Dina Designer")],
        "lists": [("Design", False, "Kick-off", [
                      ("Sketch <b>logo</b>", date(2027, 3, 3), "Dina Designer", False),
                      ("Pick colours", date(2027, 3, 8), None, False),
                      ("Undated", None, None, False)]),
                  ("Budget", True, None, [("Agree the fee", date(2027, 3, 5), None, True)])],
        "folders": [("Briefs", False), ("Contracts", True)],
        "documents": [("Creative brief", "# Goals\n\nBe *bold*", True)],
        "messages": ["Welcome"],
    }
    assert (second.timezone, second.alert_days_before) == ("Europe/Paris", 3)
    roles = {m.user.name: m.role for m in second.memberships}
    assert roles == {"Olga Owner": Role.OWNER, "Dina Designer": Role.MEMBER}


def test_what_was_not_chosen_stays_out(make):
    source = source_project(make)
    template = saved(source, people=False, private=False, settings=False, documents=False)
    second = made(template, source.owner, date(2027, 3, 1))
    shape = structure(second)
    assert [name for name, *_ in shape["lists"]] == ["Design"]
    assert shape["folders"] == [] and shape["documents"] == []
    assert all(assignee is None for *_, todos in shape["lists"] for *_, assignee, _ in todos)
    assert second.timezone == "UTC" and [m.user.name for m in second.memberships] == [
        "Olga Owner"]


def test_completed_items_come_back_open_when_asked(make):
    source = source_project(make)
    second = made(saved(source, completed=True), source.owner, date(2027, 1, 4))
    shape = structure(second)
    assert ("Old review", date(2027, 1, 5), None) in shape["milestones"]
    assert ("Buy fonts", date(2027, 1, 7), None, False) in shape["lists"][0][3]
    assert db.session.scalar(select(models.Todo.id).where(
        models.Todo.project_id == second.id, models.Todo.completed_at.is_not(None))) is None


def dates_of(project):
    shape = structure(project)
    return ([day for _, day, _ in shape["milestones"]]
            + [day for *_, todos in shape["lists"] for _, day, *_ in todos if day])


def test_weekends_are_skipped_to_the_monday_after(make):
    source = source_project(make)
    second = made(saved(source), source.owner, date(2027, 2, 27), skip_weekends=True)
    # Kick-off (day 0) on Saturday 27 February, Pick colours (day 7) on Saturday 6 March.
    assert dates_of(second) == [date(2027, 3, 1), date(2027, 3, 24), date(2027, 3, 1),
                                date(2027, 3, 8), date(2027, 3, 3)]
    assert all(day.weekday() < 5 for day in dates_of(second))


def test_an_end_date_counts_backwards_and_weekends_go_to_the_friday_before(make):
    source = source_project(make)
    template = saved(source)
    plain = made(template, source.owner, date(2027, 6, 30), from_end=True)
    assert max(dates_of(plain)) == date(2027, 6, 30)  # Launch, the last day
    assert min(dates_of(plain)) == date(2027, 6, 5)  # 25 days before: a Saturday
    skipped = made(template, source.owner, date(2027, 6, 30), from_end=True, skip_weekends=True)
    assert min(dates_of(skipped)) == date(2027, 6, 4)
    assert max(dates_of(skipped)) <= date(2027, 6, 30)


def test_month_ends_and_leap_days(make):
    source = source_project(make)
    template = saved(source)
    second = made(template, source.owner, date(2027, 1, 31))
    # Sketch is day 2, Pick colours day 7, Launch day 25: counted in days over month ends.
    assert dates_of(second) == [date(2027, 1, 31), date(2027, 2, 25), date(2027, 2, 2),
                                date(2027, 2, 7), date(2027, 2, 4)]
    leap = made(template, source.owner, date(2028, 2, 27))
    assert date(2028, 2, 29) in dates_of(leap)  # Sketch, day 2


def test_a_daylight_saving_change_moves_no_date(make, client_for):
    """Europe/Paris goes to summer time on Sunday 28 March 2027: a to-do due that day is due
    that day in the new project and in its calendar, not the day before."""
    source = source_project(make)
    second = made(saved(source), source.owner, date(2027, 3, 26))
    assert date(2027, 3, 28) in dates_of(second)  # Sketch, day 2
    assert second.timezone == "Europe/Paris"
    calendar = client_for(source.owner).get(f"/projects/{second.id}/milestones.ics")
    assert calendar.status_code == 200
    assert "DTSTART;VALUE=DATE:20270328" in calendar.text  # the dated to-do
    assert "DTSTART;VALUE=DATE:20270420" in calendar.text  # Launch, day 25


@pytest.mark.parametrize("day, start, expected", [
    (0, date(2027, 1, 30), date(2027, 2, 1)),  # Saturday -> Monday
    (1, date(2027, 1, 30), date(2027, 2, 1)),  # Sunday -> Monday
    (2, date(2027, 1, 30), date(2027, 2, 1)),  # Monday stays
    (5, date(2027, 12, 31), date(2028, 1, 5)),  # over a year end
])
def test_the_weekend_rule(day, start, expected):
    assert Calendar(start, 10, skip_weekends=True).date_of(day) == expected


def test_the_new_items_are_real_items_with_their_events_and_search_entries(make):
    source = source_project(make)
    second = made(saved(source), source.owner, date(2027, 3, 1),
                  people={"r2": source.designer.id})
    todos = db.session.scalars(select(models.Todo).where(
        models.Todo.project_id == second.id)).all()
    events = db.session.execute(select(models.Event.action, models.Event.subject_type).where(
        models.Event.project_id == second.id)).all()
    assert events.count(("created", "todo")) == len(todos) == 4
    assert events.count(("assigned", "todo")) == 1
    assert events.count(("created", "todolist")) == 2
    assert {("created", kind) for kind in ("milestone", "folder", "document", "message")} <= set(
        events)
    entries = db.session.scalars(select(SearchEntry.title).where(
        SearchEntry.project_id == second.id, SearchEntry.kind == "todo")).all()
    assert sorted(entries) == sorted(t.text for t in todos)
    sketch = next(t for t in todos if t.text.startswith("Sketch"))
    followers = db.session.scalars(select(models.Follower.user_id).where(
        models.Follower.item_id == sketch.item_id)).all()
    assert sorted(followers) == sorted([source.owner.id, source.designer.id])


def test_every_kind_written_describes_what_is_recorded(app):
    assert all(items.description(CREATED, kind) for kind in WRITTEN_KINDS)
    assert items.description(ASSIGNED, "todo")
    assert items.description(COMMENTED, "comment")  # its target is the comment


def comments_of(project):
    """(kind, item title, text, author) of a project's comments, in their order."""
    titles = {(kind, row.id): row.title for kind, model in (
        ("todo", models.Todo), ("milestone", models.Milestone), ("document", models.Document),
        ("message", models.Message))
        for row in db.session.scalars(select(model).where(model.project_id == project.id))}
    return [(c.subject_type, titles[(c.subject_type, c.subject_id)], c.body, c.author.name)
            for c in db.session.scalars(select(models.Comment).where(
                models.Comment.project_id == project.id).order_by(models.Comment.id))]


def test_comments_are_left_out_unless_asked(make):
    source = source_project(make)
    template = saved(source)
    assert not [c for entry in (*template.content["milestones"], *template.content["messages"])
                for c in entry["comments"]]
    second = made(template, source.owner, date(2027, 3, 1))
    assert comments_of(second) == []


def test_comments_come_back_by_their_roles_people_without_telling_anyone(make):
    source = source_project(make)
    template = saved(source, comments=True)
    assert template.content["lists"][0]["todos"][0]["comments"] == [
        {"body": "Round *corners*", "author": "r2", "day": 0},
        {"body": "Agreed", "author": "r1", "day": 0}]
    told = (db.session.scalar(select(func.count()).select_from(models.Notification)),
            db.session.scalar(select(func.count()).select_from(models.OutboxEmail)))
    # The designer makes it, the owner takes the designer's role, the owner's role nobody's:
    # the owner's comments are the maker's.
    second = made(template, source.designer, date(2027, 3, 1), people={"r2": source.owner.id})
    owner, designer = source.owner.name, source.designer.name
    assert comments_of(second) == [  # each item's in their order
        ("todo", "Sketch <b>logo</b>", "Round *corners*", owner),
        ("todo", "Sketch <b>logo</b>", "Agreed", designer),
        ("todo", "Agree the fee", "Ask for 10%", designer),
        ("milestone", "Kick-off", "Book the room", designer),
        ("document", "Creative brief", "Shorter please", owner),
        ("message", "Welcome", "Hi team", owner)]  # not "Fonts bought" (done), "Off topic"
    assert told == (db.session.scalar(select(func.count()).select_from(models.Notification)),
                    db.session.scalar(select(func.count()).select_from(models.OutboxEmail)))

    sketch = db.session.scalar(select(models.Todo).where(
        models.Todo.project_id == second.id, models.Todo.text.startswith("Sketch")))
    assert (sketch.comments_count, sketch.last_commenter_id) == (2, source.designer.id)
    assert "<em>corners</em>" in db.session.scalar(select(models.Comment.body_html).where(
        models.Comment.subject_item_id == sketch.item_id, models.Comment.body.startswith("R")))
    message = db.session.scalar(select(models.Message).where(
        models.Message.project_id == second.id))
    assert message.comments_count == 1 and message.last_activity_at is not None
    followers = set(db.session.scalars(select(models.Follower.user_id).where(
        models.Follower.item_id == message.item_id)))
    assert followers == {source.owner.id, source.designer.id}

    events = db.session.execute(select(
        models.Event.subject_type, models.Event.actor_id, models.Event.private,
        models.Event.target_type).where(models.Event.project_id == second.id,
                                        models.Event.action == "commented")).all()
    assert sorted(events) == sorted([
        ("document", source.owner.id, False, "comment"),
        ("message", source.owner.id, False, "comment"),
        ("milestone", source.designer.id, False, "comment"),
        ("todo", source.owner.id, False, "comment"),
        ("todo", source.designer.id, False, "comment"),
        ("todo", source.designer.id, True, "comment")])  # private with its to-do
    entries = db.session.execute(select(SearchEntry.title, SearchEntry.body,
                                        SearchEntry.private).where(
        SearchEntry.project_id == second.id, SearchEntry.kind == "comment")).all()
    assert sorted(entries) == sorted([
        ("Kick-off", "Book the room", False), ("Sketch <b>logo</b>", "Round *corners*", False),
        ("Sketch <b>logo</b>", "Agreed", False), ("Agree the fee", "Ask for 10%", True),
        ("Creative brief", "Shorter please", False), ("Welcome", "Hi team", False)])


def test_a_list_templates_comments_come_with_it(make):
    source = source_project(make)
    access = access_to(source.owner, source.project)
    design = db.session.scalar(select(models.TodoList).where(models.TodoList.name == "Design"))
    template = operations.save_list_template(access, design, Keep(people=True, comments=True),
                                             name="Design steps")
    target = make.project("Autumn", owner=source.owner, members=(source.designer,))
    added = operations.insert_list(access_to(source.owner, target), template,
                                   anchor_date=date(2027, 9, 1), skip_weekends=False,
                                   people={"r1": source.designer.id})
    assert [(c[1], c[2], c[3]) for c in comments_of(target)] == [
        ("Sketch <b>logo</b>", "Round *corners*", source.designer.name),
        ("Sketch <b>logo</b>", "Agreed", source.owner.name)]
    assert added.project_id == target.id
