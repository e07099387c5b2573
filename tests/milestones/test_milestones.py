"""Creating, editing, completing, reopening and deleting milestones, and what the pages show."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from workspace.comments.models import Comment
from workspace.extensions import db
from workspace.milestones.models import Milestone
from workspace.projects.models import Project
from workspace.todos.models import Todo, TodoList
from workspace.types import utcnow

from .helpers import add, created, events_of, in_days, page, texts, url, zone_today


def test_a_member_creates_a_milestone_and_the_event_is_recorded(make, client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    client = client_for(bo)
    due = in_days(30)
    milestone = created(client, project, title="  Beta release  ", due_on=due,
                        responsible=str(ana.id), notes="Ship **it**")
    assert milestone.title == "Beta release"
    assert milestone.due_on == date.fromisoformat(due)
    assert milestone.responsible_id == ana.id
    assert milestone.author_id == bo.id
    assert "<strong>it</strong>" in milestone.notes_html
    assert events_of(milestone.id) == ["created"]

    shown = client.get(url(milestone))
    assert shown.status_code == 200
    html = shown.get_data(as_text=True)
    assert "Beta release" in html and "<strong>it</strong>" in html and "Ana" in html
    assert "late" not in texts(page(shown).xpath("//h1"))[0]
    assert "Bo added the milestone" in client.get(f"/projects/{project.id}").get_data(as_text=True)


def test_edit_keeps_the_form_filled_and_records_the_event(make, client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    client = client_for(ana)
    milestone = created(client, project, title="Beta", responsible=str(bo.id))

    form = page(client.get(url(milestone, "edit")))
    assert form.xpath("//input[@name='title']/@value") == ["Beta"]
    assert form.xpath("//select[@name='responsible']/option[@selected]/text()") == ["Bo"]
    assert form.xpath("//input[@name='due_on']/@value") == [milestone.due_on.isoformat()]

    response = client.post(url(milestone, "edit"), data={
        "title": "Beta 2", "due_on": in_days(40), "responsible": "", "notes": "Later",
    })
    assert response.status_code == 302
    assert response.headers["Location"].endswith(url(milestone))
    assert (milestone.title, milestone.responsible_id, milestone.notes) == ("Beta 2", None, "Later")
    assert milestone.due_on == date.fromisoformat(in_days(40))
    assert milestone.edited_at is not None
    assert events_of(milestone.id) == ["created", "edited"]
    assert "Nobody" in client.get(url(milestone)).get_data(as_text=True)


def test_complete_and_reopen_record_events_once(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    milestone = created(client, project, due_on=in_days(-3))
    assert "late" in texts(page(client.get(url(milestone))).xpath("//h1"))[0]

    assert client.post(url(milestone, "complete")).status_code == 302
    assert milestone.is_completed and milestone.completed_by_id == ana.id
    client.post(url(milestone, "complete"))  # a second click changes nothing
    shown = client.get(url(milestone))
    heading = texts(page(shown).xpath("//h1"))[0]
    assert "completed" in heading and "late" not in heading
    assert "Completed by Ana" in shown.get_data(as_text=True)
    assert page(shown).xpath("//form[contains(@action, '/reopen')]")

    assert client.post(url(milestone, "reopen")).status_code == 302
    assert not milestone.is_completed and milestone.completed_by_id is None
    client.post(url(milestone, "reopen"))
    assert events_of(milestone.id) == ["created", "completed", "reopened"]


def test_delete_forgets_events_and_comments_and_unlinks_lists(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    milestone = created(client, project)
    keep = created(client, project, title="Other")
    todo_list = TodoList(project_id=project.id, name="Launch list", milestone_id=milestone.id)
    db.session.add(todo_list)
    db.session.commit()
    assert client.post(url(milestone, "comments"), data={"body": "Soon?"}).status_code == 302
    version = db.session.get(Project, project.id).activity_version
    milestone_id, list_id = milestone.id, todo_list.id

    shown = page(client.get(url(milestone)))
    assert shown.xpath("//details[@class='confirm']/form[contains(@action, '/delete')]")
    response = client.post(url(milestone, "delete"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/projects/{project.id}/milestones")
    db.session.expire_all()
    assert db.session.get(Milestone, milestone_id) is None
    assert events_of(milestone_id) == []
    assert events_of(keep.id) == ["created"]
    assert db.session.scalars(select(Comment)).all() == []
    assert db.session.get(TodoList, list_id).milestone_id is None
    assert db.session.get(Project, project.id).activity_version > version
    assert client.get(f"/projects/{project.id}/milestones/{milestone_id}").status_code == 404


def test_clients_and_members_comment_and_the_comment_shows(make, client_for):
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    milestone = created(client_for(ana), project)
    client = client_for(cy)
    response = client.post(url(milestone, "comments"), data={"body": "Looks *good*"})
    assert response.status_code == 302
    comment = db.session.scalars(select(Comment)).one()
    assert response.headers["Location"].endswith(f"{url(milestone)}#comment-{comment.id}")
    assert milestone.comments_count == 1
    assert events_of(milestone.id) == ["created", "commented"]
    html = client.get(url(milestone)).get_data(as_text=True)
    assert "<em>good</em>" in html and "1 comment" in html

    empty = client.post(url(milestone, "comments"), data={"body": "  "})
    assert empty.status_code == 400
    assert "Write a comment." in empty.get_data(as_text=True)


def test_index_orders_late_then_upcoming_by_date_then_completed(make, client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    today = zone_today("UTC")
    add(project, ana, "Upcoming later", today + timedelta(days=20))
    add(project, ana, "Late long ago", today - timedelta(days=30), responsible=bo)
    add(project, ana, "Due today", today)
    add(project, ana, "Late yesterday", today - timedelta(days=1))
    add(project, ana, "Done early", today - timedelta(days=5), completed_at=utcnow())
    add(project, ana, "Upcoming soon", today + timedelta(days=2))
    add(project, ana, "Done late", today + timedelta(days=5),
        completed_at=utcnow() - timedelta(days=1))

    tree = page(client_for(ana).get(f"/projects/{project.id}/milestones"))
    assert texts(tree.xpath("//h2")) == ["Late", "Upcoming", "Completed"]
    groups = {
        heading: texts(tree.xpath(f"//section[h2='{heading}']//li/a"))
        for heading in ("Late", "Upcoming", "Completed")
    }
    assert groups == {
        "Late": ["Late long ago", "Late yesterday"],
        "Upcoming": ["Due today", "Upcoming soon", "Upcoming later"],
        "Completed": ["Done early", "Done late"],
    }
    late_items = tree.xpath("//section[h2='Late']//li")
    assert all("late" in item.get("class").split() for item in late_items)
    # Late is said in words, not only in red.
    assert all("late" in texts(item.xpath(".//span[@class='badge badge-late']"))
               for item in late_items)
    assert "Bo" in texts(late_items)[0]
    assert not tree.xpath("//section[h2='Upcoming']//*[contains(@class, 'late')]")


def test_index_empty_and_tab_current_on_every_milestone_page(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    base = f"/projects/{project.id}/milestones"
    assert "No milestone yet" in client.get(base).get_data(as_text=True)
    milestone = created(client, project)
    for path in (base, f"{base}/calendar", f"{base}/new", url(milestone), url(milestone, "edit")):
        tree = page(client.get(path))
        assert texts(tree.xpath("//nav[@class='tabs']//a[@aria-current='page']")) == [
            "Milestones"], path
        assert [h.tag for h in tree.xpath("//h1")] == ["h1"], path


def test_progress_of_linked_lists_on_index_and_milestone_page(make, client_for):
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    milestone = add(project, ana, "Launch")
    lists = [TodoList(project_id=project.id, name="Shared", milestone_id=milestone.id),
             TodoList(project_id=project.id, name="Team only", milestone_id=milestone.id,
                      private=True),
             TodoList(project_id=project.id, name="Unlinked")]
    db.session.add_all(lists)
    db.session.flush()
    for todo_list, done, open_ in zip(lists, (1, 2, 5), (1, 0, 5), strict=True):
        db.session.add_all(
            Todo(project_id=project.id, list_id=todo_list.id, text="t", private=todo_list.private,
                 completed_at=utcnow() if n < done else None)
            for n in range(done + open_)
        )
    db.session.commit()

    index = client_for(ana).get(f"/projects/{project.id}/milestones").get_data(as_text=True)
    assert "3 of 4 done" in index
    shown = page(client_for(ana).get(url(milestone)))
    assert texts(shown.xpath("//section[@aria-labelledby='lists-heading']//li/a")) == [
        "Shared", "Team only"]
    # A client sees only the lists they may see, and only their progress.
    assert "1 of 2 done" in client_for(cy).get(
        f"/projects/{project.id}/milestones").get_data(as_text=True)
    shown = page(client_for(cy).get(url(milestone)))
    assert texts(shown.xpath("//section[@aria-labelledby='lists-heading']//li/a")) == ["Shared"]


def test_overview_shows_late_and_next_two_weeks(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    today = zone_today("UTC")
    add(project, ana, "Overdue", today - timedelta(days=3))
    add(project, ana, "In two weeks", today + timedelta(days=14))
    add(project, ana, "In three weeks", today + timedelta(days=21))
    add(project, ana, "Done", today + timedelta(days=1), completed_at=utcnow())
    tree = page(client_for(ana).get(f"/projects/{project.id}"))
    panel = tree.xpath("//section[@aria-labelledby='milestones-heading']")[0]
    items = panel.xpath(".//li")
    assert texts([item.xpath("./a")[0] for item in items]) == ["Overdue", "In two weeks"]
    assert "late" in texts(items[0].xpath(".//span"))

    other = make.project("Quiet", owner=ana)
    quiet = page(client_for(ana).get(f"/projects/{other.id}"))
    panel = quiet.xpath("//section[@aria-labelledby='milestones-heading']")[0]
    assert "Nothing due in the next two weeks." in panel.text_content()
