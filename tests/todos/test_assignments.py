from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.conftest import count_queries, insert_items
from workspace.extensions import db
from workspace.todos.models import Todo, TodoList
from workspace.types import utcnow


def todo(project, todo_list, assignee, text, due=None, **extra) -> Todo:
    item = Todo(project_id=project.id, list_id=todo_list.id, assignee_id=assignee.id, text=text,
                due_on=due, private=todo_list.private, **extra)
    db.session.add(item)
    return item


def test_my_assignments_are_grouped_by_due_date_in_my_timezone(make, client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    bo.timezone = "Pacific/Kiritimati"
    today = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    work, old = make.project("Work", owner=ana, members=(bo,)), make.project("Old", owner=bo)
    lists = [TodoList(project_id=p.id, name="L") for p in (work, old)]
    db.session.add_all(lists)
    db.session.flush()
    todo(work, lists[0], bo, "Overdue", today - timedelta(days=1))
    todo(work, lists[0], bo, "Today's", today)
    todo(work, lists[0], bo, "Soon", today + timedelta(days=3))
    todo(work, lists[0], bo, "Far", today + timedelta(days=30))
    todo(work, lists[0], bo, "Whenever")
    todo(work, lists[0], bo, "Finished", today, completed_at=utcnow())
    todo(work, lists[0], ana, "Not mine", today)
    todo(old, lists[1], bo, "Archived work", today)
    old.archived_at = utcnow()
    db.session.commit()
    page = client_for(bo).get("/assignments").data.decode()
    order = ["Late", "Overdue", "Due today", "Today&#39;s", "This week", "Soon", "Later", "Far",
             "No due date", "Whenever"]
    assert [page.index(text) for text in order] == sorted(page.index(text) for text in order)
    for absent in ("Finished", "Not mine", "Archived work"):
        assert absent not in page


def test_a_client_is_not_shown_private_assignments(make, client_for):
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    secret = TodoList(project_id=project.id, name="S", private=True)
    db.session.add(secret)
    db.session.flush()
    todo(project, secret, cy, "Hidden task")
    db.session.commit()
    assert "Hidden task" not in client_for(cy).get("/assignments").data.decode()


def test_todo_pages_do_not_grow_with_the_project(make, client_for):
    ana = make.user("Ana")
    small, large = make.project("Small", owner=ana), make.project("Large", owner=ana)
    for project, list_count, todo_count in ((small, 2, 3), (large, 50, 100)):
        lists = [TodoList(project_id=project.id, name=f"L{n}", position=n)
                 for n in range(list_count)]
        db.session.add_all(lists)
        db.session.flush()
        # In one INSERT of many rows: added one by one, the 5,000 to-dos' search entries (that
        # these pages never read) would cost most of the test's time.
        pairs = [(todo_list, n) for todo_list in lists for n in range(todo_count)]
        insert_items(Todo, "todo", [
            {"project_id": project.id, "list_id": todo_list.id, "text": f"T{n}",
             "position": n, "assignee_id": ana.id} for todo_list, n in pairs],
            [todo_list.item_id for todo_list, _ in pairs])
    db.session.commit()
    client = client_for(ana)

    def queries(url: str) -> int:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    for path in ("/todolists", ""):
        assert queries(f"/projects/{small.id}{path}") == queries(f"/projects/{large.id}{path}")
    first_small = db.session.scalar(db.select(TodoList.id).where(TodoList.project_id == small.id))
    first_large = db.session.scalar(db.select(TodoList.id).where(TodoList.project_id == large.id))
    assert queries(f"/projects/{small.id}/todolists/{first_small}") == queries(
        f"/projects/{large.id}/todolists/{first_large}")
