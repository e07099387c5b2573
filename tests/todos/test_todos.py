from datetime import date, timedelta

import pytest

from workspace.activity.models import Event
from workspace.extensions import db
from workspace.todos.models import Todo

from .helpers import add, added, new_list


def actions(todo) -> list[str]:
    return list(db.session.scalars(db.select(Event.action).where(
        Event.subject_type == "todo", Event.subject_id == todo.id).order_by(Event.id)))


def test_a_todo_is_added_assigned_checked_off_and_on_with_events(make, client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    client = client_for(ana)
    todo = added(client, new_list(client, project), assignee=str(bo.id), due_on="2030-01-02")
    assert (todo.assignee_id, todo.due_on) == (bo.id, date(2030, 1, 2))
    base = f"/projects/{project.id}/todos/{todo.id}"
    client_for(bo).post(f"{base}/complete")
    assert (todo.completed_by_id, todo.completed_at is not None) == (bo.id, True)
    assert b"Done by Bo" in client.get(base).data
    client.post(f"{base}/reopen")
    assert todo.completed_at is None
    client.post(f"{base}/comments", data={"body": "On it"})
    assert actions(todo) == ["created", "assigned", "completed", "reopened", "commented"]


def test_lists_show_progress_and_fold_completed_todos(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    todo_list = new_list(client, project)
    first = added(client, todo_list, "One")
    added(client, todo_list, "Two")
    added(client, todo_list, "Three", due_on=(date.today() - timedelta(days=3)).isoformat())
    client.post(f"/projects/{project.id}/todos/{first.id}/complete")
    page = client.get(f"/projects/{project.id}/todolists").data.decode()
    assert "1 of 3 done" in page and "1 completed to-do" in page
    overview = client.get(f"/projects/{project.id}").data.decode()
    assert "1 of 3 done" in overview and "1 late" in overview


@pytest.mark.parametrize("fields, message", [
    ({"text": ""}, "Say what is to be done."),
    ({"text": "x" * 501}, "at most 500 characters"),
    ({"due_on": "2026-13-45"}, "is not a date: use YYYY-MM-DD"),
    ({"due_on": f"{date.today().year + 60}-01-01"}, "within 50 years"),
])
def test_bad_todos_answer_400_and_keep_the_text(make, client_for, fields, message):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    todo_list = new_list(client, project)
    data = {"text": "Keep me", "notes": "my notes", **fields}
    response = add(client, todo_list, **data)
    assert response.status_code == 400
    assert message in response.data.decode()
    assert "my notes" in response.data.decode()
    assert db.session.scalar(db.select(db.func.count()).select_from(Todo)) == 0


def test_an_assignee_or_milestone_from_elsewhere_is_refused(make, client_for):
    ana, eve = make.user("Ana"), make.user("Eve")
    project = make.project(owner=ana)
    other = make.project("Other", owner=eve)
    client = client_for(ana)
    todo_list = new_list(client, project)
    assert add(client, todo_list, assignee=str(eve.id)).status_code == 400
    from workspace.milestones.models import Milestone
    elsewhere = Milestone(project_id=other.id, title="Theirs", due_on=date(2030, 1, 1))
    db.session.add(elsewhere)
    db.session.commit()
    response = client.post(f"/projects/{project.id}/todolists/new",
                           data={"name": "Sneaky", "milestone": str(elsewhere.id)})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(Todo)) == 0


def test_editing_keeps_the_assignee_and_the_milestone(make, client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    client = client_for(ana)
    from workspace.milestones.models import Milestone
    milestone = Milestone(project_id=project.id, title="Beta", due_on=date(2030, 1, 1))
    db.session.add(milestone)
    db.session.commit()
    todo_list = new_list(client, project, milestone=str(milestone.id))
    todo = added(client, todo_list, assignee=str(bo.id))
    form = client.get(f"/projects/{project.id}/todos/{todo.id}/edit").text
    assert f'<option selected value="{bo.id}">' in form
    list_form = client.get(f"/projects/{project.id}/todolists/{todo_list.id}/edit").text
    assert f'<option selected value="{milestone.id}">' in list_form


def test_each_lists_add_form_has_fields_of_its_own(make, client_for):
    """The blank fields are rendered once and copied for each list: every copy has its own
    ids, its labels point at them, and a name that looks like an id is left alone."""
    ana, bo = make.user("Ana"), make.user('Bo id="blank-text"')
    project = make.project(owner=ana, members=(bo,))
    client = client_for(ana)
    lists = [new_list(client, project, name) for name in ("Launch", "Follow-up")]

    page = client.get(f"/projects/{project.id}/todolists").data.decode()

    for todo_list in lists:
        for name in ("text", "assignee", "due"):
            field_id = f"list{todo_list.id}-{name}"
            assert page.count(f'id="{field_id}"') == page.count(f'for="{field_id}"') == 1
    assert 'id="blank-' not in page
    assert page.count("Bo id=&#34;blank-text&#34;</option>") == len(lists)


def test_copied_fields_point_their_hints_and_errors_at_their_own_ids():
    from markupsafe import Markup

    from workspace.forms import replace_id_prefix

    fields = Markup('<label for="blank-text">Text</label><input id="blank-text" '
                    'aria-describedby="blank-text-hint blank-text-error" value="blank-kept">')
    copied = replace_id_prefix(fields, "blank-", "list7-")
    assert copied == Markup(
        '<label for="list7-text">Text</label><input id="list7-text" '
        'aria-describedby="list7-text-hint list7-text-error" value="blank-kept">')


def test_copied_fields_keep_data_attributes_that_merely_end_like_id_attributes():
    from markupsafe import Markup

    from workspace.forms import replace_id_prefix

    fields = Markup('<input id="blank-text" data-id="blank-1" data-for="blank-text">')
    assert replace_id_prefix(fields, "blank-", "list7-") == Markup(
        '<input id="list7-text" data-id="blank-1" data-for="blank-text">')


def test_a_lists_own_form_offers_the_reminder_and_the_lists_page_links_to_it(make, client_for):
    """A list's own "add a to-do" form has the full form's reminder choice (a plain select, no
    script); the lists page, with a form for every list, keeps to text, assignee and due date
    (its size) and links to the list's form. A choice not offered is refused, the form kept."""
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    todo_list = new_list(client, project)
    own = client.get(f"/projects/{project.id}/todolists/{todo_list.id}").get_data(as_text=True)
    quick = own[own.index('class="add-todo"'):]
    assert f'<select id="list{todo_list.id}-remind" name="remind"' in quick
    assert 'value="1d">The day before</option>' in quick
    lists = client.get(f"/projects/{project.id}/todolists").get_data(as_text=True)
    quick = lists[lists.index('class="add-todo"'):]
    assert f'id="list{todo_list.id}-due"' in quick and 'name="remind"' not in quick
    own_form = f"/projects/{project.id}/todolists/{todo_list.id}#add-todo-{todo_list.id}"
    assert f'href="{own_form}"' in quick
    todo = added(client, todo_list, "Renew the domain", due_on="2030-06-10", remind="2d")
    assert todo.remind == "2d"
    refused = add(client, todo_list, "Kept text", due_on="2030-06-10", remind="99y")
    assert refused.status_code == 400 and 'value="Kept text"' in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Todo)) == 1
