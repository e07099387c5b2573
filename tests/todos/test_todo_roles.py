import pytest

from workspace.extensions import db
from workspace.todos.models import Todo, TodoList
from workspace.types import utcnow

from .helpers import added, new_list


@pytest.fixture
def board(make, client_for):
    ana, bo, cy, eve = make.user("Ana"), make.user("Bo"), make.user("Cy"), make.user("Eve")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    make.project("Elsewhere", owner=eve)
    team = client_for(ana)
    todo_list = new_list(team, project, "Public")
    todo = added(team, todo_list, "Public task")
    people = {"owner": ana, "member": bo, "client": cy, "stranger": eve}
    return project, todo_list, todo, people


WRITES = {
    "new list": lambda p, lst, t: (f"/projects/{p}/todolists/new", {"name": "N"}),
    "edit list": lambda p, lst, t: (f"/projects/{p}/todolists/{lst}/edit", {"name": "N"}),
    "add todo": lambda p, lst, t: (f"/projects/{p}/todolists/{lst}/todos", {"text": "N"}),
    "edit todo": lambda p, lst, t: (f"/projects/{p}/todos/{t}/edit", {"text": "N"}),
    "move todo": lambda p, lst, t: (f"/projects/{p}/todos/{t}/move", {"direction": "down"}),
    "move list": lambda p, lst, t: (f"/projects/{p}/todolists/{lst}/move", {"direction": "down"}),
    "delete todo": lambda p, lst, t: (f"/projects/{p}/todos/{t}/delete", {}),
    "delete list": lambda p, lst, t: (f"/projects/{p}/todolists/{lst}/delete", {}),
    "complete": lambda p, lst, t: (f"/projects/{p}/todos/{t}/complete", {}),
    "comment": lambda p, lst, t: (f"/projects/{p}/todos/{t}/comments", {"body": "hi"}),
}
ALLOWED = {
    "owner": set(WRITES), "member": set(WRITES), "client": {"comment"}, "stranger": set(),
}


@pytest.mark.parametrize("role", ALLOWED)
@pytest.mark.parametrize("action", WRITES)
def test_role_matrix(board, client_for, role, action):
    project, todo_list, todo, people = board
    url, data = WRITES[action](project.id, todo_list.id, todo.id)
    response = client_for(people[role]).post(url, data=data)
    if action in ALLOWED[role]:
        assert response.status_code in (200, 302), response.data
    else:
        assert response.status_code == (404 if role == "stranger" else 403)
        db.session.expire_all()
        assert db.session.get(Todo, todo.id).text == "Public task"
        assert db.session.get(Todo, todo.id).completed_at is None


def test_clients_check_off_only_where_an_owner_allowed_it(board, client_for):
    project, todo_list, todo, people = board
    client = client_for(people["client"])
    url = f"/projects/{project.id}/todos/{todo.id}/complete"
    assert client.post(url).status_code == 403
    client_for(people["member"]).post(f"/projects/{project.id}/todolists/{todo_list.id}/edit",
                                      data={"name": "Public", "clients_can_complete": "y"})
    assert db.session.get(TodoList, todo_list.id).clients_can_complete is False
    client_for(people["owner"]).post(f"/projects/{project.id}/todolists/{todo_list.id}/edit",
                                     data={"name": "Public", "clients_can_complete": "y"})
    assert client.post(url).status_code == 302
    assert db.session.get(Todo, todo.id).completed_by_id == people["client"].id


def test_a_private_list_is_invisible_to_clients_everywhere(board, client_for):
    project, _, _, people = board
    team = client_for(people["owner"])
    secret = new_list(team, project, "Secret list", private="y")
    todo = added(team, secret, "Secret task", assignee=str(people["client"].id))
    team.post(f"/projects/{project.id}/todos/{todo.id}/comments", data={"body": "Secret note"})
    client = client_for(people["client"])
    for url in (f"/projects/{project.id}/todolists", f"/projects/{project.id}", "/activity",
                "/assignments"):
        assert b"Secret" not in client.get(url).data, url
    for url in (f"/projects/{project.id}/todolists/{secret.id}",
                f"/projects/{project.id}/todos/{todo.id}", f"/projects/{project.id}/comments/1"):
        assert client.get(url).status_code == 404, url
    team.post(f"/projects/{project.id}/todolists/{secret.id}/edit", data={"name": "Now open"})
    assert client.get(f"/projects/{project.id}/todos/{todo.id}").status_code == 200
    assert b"Secret note" in client.get("/activity").data


def test_moving_a_todo_into_another_projects_list_is_refused(board, make, client_for):
    project, _, todo, people = board
    other = make.project("Other", owner=people["owner"])
    theirs = new_list(client_for(people["owner"]), other, "Theirs")
    response = client_for(people["owner"]).post(
        f"/projects/{project.id}/todos/{todo.id}/move", data={"list_id": theirs.id, "index": 0})
    assert response.status_code == 404
    assert db.session.get(Todo, todo.id).list_id != theirs.id


def test_an_archived_project_refuses_todo_writes(board, client_for):
    project, todo_list, todo, people = board
    project.archived_at = utcnow()
    db.session.commit()
    for action in WRITES:
        url, data = WRITES[action](project.id, todo_list.id, todo.id)
        response = client_for(people["owner"]).post(url, data=data)
        assert response.status_code == 403, action
    assert b"Public task" in client_for(people["client"]).get(
        f"/projects/{project.id}/todolists").data
