"""What the API's writes do: the same rules as the pages, answered in JSON."""

from __future__ import annotations

import io

import pytest

from tests.api.test_routes import call
from workspace.api.tokens import create_token
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.mail.models import OutboxEmail
from workspace.projects.models import Membership


@pytest.fixture
def team(make):
    ana, bo = make.user("Ana"), make.user("Bo", email="bo@example.org")
    cy = make.user("Cy")
    project = make.project("Launch", owner=ana, members=(bo,), clients=(cy,))
    tokens = {name: create_token(user, "t")[1] for name, user in
              (("ana", ana), ("bo", bo), ("cy", cy))}
    return project, tokens, {"ana": ana, "bo": bo, "cy": cy}


def test_a_created_project_is_owned_by_the_token_and_renamed_with_patch(make, client):
    dee = make.user("Dee")
    make.project("Earlier", owner=dee)  # a team member somewhere may create projects
    token = create_token(dee, "t")[1]
    made = call(client, "POST", "/projects", token, {"name": "  Website  "})
    assert made.status_code == 201 and made.json["role"] == "owner"
    assert made.json["name"] == "Website"
    renamed = call(client, "PATCH", f"/projects/{made.json['id']}", token, {"name": "Site"})
    assert renamed.json["name"] == "Site" and renamed.json["description"] == ""
    blank = call(client, "PATCH", f"/projects/{made.json['id']}", token, {"name": " "})
    assert blank.status_code == 422 and blank.json["error"]["fields"] == {
        "name": "Give the project a name."}


def test_an_archived_project_answers_reads_and_refuses_writes(team, client):
    project, tokens, _ = team
    archived = call(client, "POST", f"/projects/{project.id}/archive", tokens["ana"])
    assert archived.json["archived"] is True
    refused = call(client, "POST", f"/projects/{project.id}/messages", tokens["bo"],
                   {"title": "Late", "body": "x"})
    assert refused.status_code == 403 and "archived" in refused.json["error"]["message"]
    assert call(client, "GET", f"/projects/{project.id}/messages", tokens["cy"]).json == []
    back = call(client, "POST", f"/projects/{project.id}/unarchive", tokens["ana"])
    assert back.json["archived"] is False


def test_owners_add_people_by_email_change_their_roles_and_remove_them(team, client, make):
    project, tokens, people = team
    dee = make.user("Dee", email="dee@example.org")
    people_url = f"/projects/{project.id}/people"
    added = call(client, "POST", people_url, tokens["ana"],
                 {"email": "DEE@example.org", "role": "client"})
    assert added.status_code == 201 and added.json == {"id": dee.id, "name": "Dee",
                                                       "role": "client"}
    again = call(client, "POST", people_url, tokens["ana"],
                 {"email": "dee@example.org", "role": "member"})
    assert again.status_code == 409
    invited = call(client, "POST", people_url, tokens["ana"],
                   {"email": "new@example.org", "role": "member"})
    assert invited.status_code == 202 and invited.json["invited"]["email"] == "new@example.org"
    assert db.session.scalar(db.select(OutboxEmail.id).where(
        OutboxEmail.to_address == "new@example.org")) is not None
    promoted = call(client, "PATCH", f"{people_url}/{dee.id}", tokens["ana"], {"role": "member"})
    assert promoted.json["role"] == "member"
    bad_role = call(client, "PATCH", f"{people_url}/{dee.id}", tokens["ana"], {"role": "boss"})
    assert bad_role.status_code == 422 and "role" in bad_role.json["error"]["fields"]
    last_owner = call(client, "PATCH", f"{people_url}/{people['ana'].id}", tokens["ana"],
                      {"role": "member"})
    assert last_owner.status_code in (400, 409)
    assert "owner" in last_owner.json["error"]["message"]
    assert call(client, "DELETE", f"{people_url}/{people['cy'].id}", tokens["ana"]
                ).status_code == 204
    assert call(client, "GET", f"/projects/{project.id}", tokens["cy"]).status_code == 404
    assert call(client, "DELETE", f"{people_url}/{people['cy'].id}", tokens["ana"]
                ).status_code == 404
    roles = dict(db.session.execute(db.select(Membership.user_id, Membership.role).where(
        Membership.project_id == project.id)).all())
    assert {user_id: str(role) for user_id, role in roles.items()} == {
        people["ana"].id: "owner", people["bo"].id: "member", dee.id: "member"}


def test_only_an_author_or_an_owner_edits_a_message_and_only_the_team_marks_it(team, client):
    project, tokens, _ = team
    url = f"/projects/{project.id}/messages"
    by_client = call(client, "POST", url, tokens["cy"], {"title": "Question", "body": "?"}).json
    by_owner = call(client, "POST", url, tokens["ana"], {"title": "Plan", "body": "Go"}).json
    assert call(client, "PATCH", f"{url}/{by_owner['id']}", tokens["bo"],
                {"body": "Mine now"}).status_code == 403
    edited = call(client, "PATCH", f"{url}/{by_client['id']}", tokens["cy"], {"body": "!"})
    assert edited.json["body"] == "!" and edited.json["title"] == "Question"
    marking = call(client, "PATCH", f"{url}/{by_client['id']}", tokens["cy"], {"private": True})
    assert marking.status_code == 403
    hidden = call(client, "PATCH", f"{url}/{by_owner['id']}", tokens["ana"], {"private": True})
    assert hidden.json["private"] is True
    assert call(client, "GET", f"{url}/{by_owner['id']}", tokens["cy"]).status_code == 404
    assert [m["title"] for m in call(client, "GET", url, tokens["cy"]).json] == ["Question"]


def test_to_dos_are_reordered_and_moved_between_lists(team, client):
    project, tokens, _ = team
    base = f"/projects/{project.id}"
    first = call(client, "POST", f"{base}/todolists", tokens["bo"], {"name": "This week"}).json
    second = call(client, "POST", f"{base}/todolists", tokens["bo"], {"name": "Later"}).json
    ids = [call(client, "POST", f"{base}/todolists/{first['id']}/todos", tokens["bo"],
                {"text": text}).json["id"] for text in ("One", "Two", "Three")]

    def texts(list_id: int) -> list[str]:
        todos = call(client, "GET", f"{base}/todolists/{list_id}/todos", tokens["cy"]).json
        return [t["text"] for t in sorted(todos, key=lambda t: t["position"])]

    call(client, "POST", f"{base}/todos/{ids[2]}/move", tokens["bo"], {"position": 0})
    assert texts(first["id"]) == ["Three", "One", "Two"]
    moved = call(client, "POST", f"{base}/todos/{ids[0]}/move", tokens["bo"],
                 {"list_id": second["id"], "position": 99})
    assert moved.json["list_id"] == second["id"]
    assert texts(first["id"]) == ["Three", "Two"] and texts(second["id"]) == ["One"]
    nowhere = call(client, "POST", f"{base}/todos/{ids[1]}/move", tokens["bo"],
                   {"position": -1})
    assert nowhere.status_code == 422 and "position" in nowhere.json["error"]["fields"]
    call(client, "POST", f"{base}/todolists/{second['id']}/move", tokens["bo"], {"position": 0})
    lists = call(client, "GET", f"{base}/todolists", tokens["bo"]).json
    assert [x["name"] for x in sorted(lists, key=lambda x: x["position"])] == [
        "Later", "This week"]


def test_patching_a_to_do_or_a_milestone_keeps_what_is_not_sent(team, client, make):
    project, tokens, people = team
    base = f"/projects/{project.id}"
    todo_list = call(client, "POST", f"{base}/todolists", tokens["bo"], {"name": "L"}).json
    todo = call(client, "POST", f"{base}/todolists/{todo_list['id']}/todos", tokens["bo"],
                {"text": "Call", "assignee_id": people["bo"].id, "due_on": "2031-03-01"}).json
    patched = call(client, "PATCH", f"{base}/todos/{todo['id']}", tokens["bo"], {"notes": "x"})
    assert patched.json["assignee_id"] == people["bo"].id
    assert patched.json["due_on"] == "2031-03-01" and patched.json["text"] == "Call"
    outsider = make.user("Zed")
    refused = call(client, "PATCH", f"{base}/todos/{todo['id']}", tokens["bo"],
                   {"assignee_id": outsider.id})
    assert refused.status_code == 422 and "assignee_id" in refused.json["error"]["fields"]
    milestone = call(client, "POST", f"{base}/milestones", tokens["ana"],
                     {"title": "Beta", "due_on": "2031-04-01"}).json
    moved = call(client, "PATCH", f"{base}/milestones/{milestone['id']}", tokens["ana"],
                 {"due_on": "2031-05-02"})
    assert moved.json["due_on"] == "2031-05-02" and moved.json["title"] == "Beta"
    bad = call(client, "PATCH", f"{base}/milestones/{milestone['id']}", tokens["ana"],
               {"due_on": "someday"})
    assert bad.status_code == 422 and "due_on" in bad.json["error"]["fields"]
    done = call(client, "POST", f"{base}/milestones/{milestone['id']}/complete", tokens["bo"])
    assert done.json["completed"] is True
    reopened = call(client, "POST", f"{base}/milestones/{milestone['id']}/reopen", tokens["bo"])
    assert reopened.json["completed"] is False


def files_part(content: bytes, name: str, field: str = "files") -> dict:
    return {"data": {field: (io.BytesIO(content), name)}, "content_type": "multipart/form-data"}


def test_files_are_uploaded_versioned_and_downloaded(team, client, any_store):
    project, tokens, _ = team
    url = f"/projects/{project.id}/files"
    made = call(client, "POST", url, tokens["cy"], **files_part(b"first draft", "plan.txt"))
    assert made.status_code == 201 and made.json[0]["name"] == "plan.txt"
    file_url = f"{url}/{made.json[0]['id']}"
    version = call(client, "POST", f"{file_url}/versions", tokens["bo"],
                   **files_part(b"second draft", "plan-v2.txt", "file"))
    assert version.status_code == 201 and version.json["number"] == 2
    versions = call(client, "GET", f"{file_url}/versions", tokens["cy"]).json
    assert [v["number"] for v in versions] == [2, 1]
    assert call(client, "GET", f"{file_url}/download", tokens["cy"]).data == b"second draft"
    old = call(client, "GET", f"{file_url}/versions/1/download", tokens["cy"])
    assert old.data == b"first draft" and "attachment" in old.headers["Content-Disposition"]
    assert "Set-Cookie" not in old.headers
    assert call(client, "GET", f"{file_url}/versions/3/download", tokens["cy"]
                ).status_code == 404


def test_a_private_file_is_never_reachable_with_a_clients_token(team, client, any_store):
    project, tokens, _ = team
    url = f"/projects/{project.id}/files"
    secret = call(client, "POST", url, tokens["bo"], data={
        "files": (io.BytesIO(b"salaries"), "pay.csv"), "private": "y"},
        content_type="multipart/form-data").json[0]
    assert secret["private"] is True
    assert call(client, "GET", url, tokens["cy"]).json == []
    for path in ("", "/versions", "/download", "/versions/1/download"):
        assert call(client, "GET", f"{url}/{secret['id']}{path}", tokens["cy"]
                    ).status_code == 404
    marking = call(client, "POST", url, tokens["cy"], data={
        "files": (io.BytesIO(b"x"), "x.txt"), "private": "y"},
        content_type="multipart/form-data")
    assert marking.status_code == 403


def test_uploads_that_are_empty_not_multipart_or_too_large_write_nothing(team, client, app):
    project, tokens, _ = team
    url = f"/projects/{project.id}/files"
    empty = call(client, "POST", url, tokens["bo"], data={"description": "none"},
                 content_type="multipart/form-data")
    assert empty.status_code == 422 and empty.json["error"]["fields"] == {
        "files": "Choose at least one file."}
    as_json = call(client, "POST", url, tokens["bo"], {"files": "a.txt"})
    assert as_json.status_code == 400 and as_json.json["error"]["code"] == "bad_request"
    app.config["WORKSPACE_MAX_UPLOAD_MB"] = 1
    too_large = call(client, "POST", url, tokens["bo"],
                     **files_part(b"x" * (1024 * 1024 + 1), "big.bin"))
    assert too_large.status_code == 413 and too_large.json["error"]["code"] == "too_large"
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectFile)) == 0


def test_ids_beyond_what_the_database_holds_are_not_found_or_invalid(team, client):
    project, tokens, _ = team
    huge = 2**40
    assert call(client, "GET", f"/projects/{huge}", tokens["ana"]).status_code == 404
    assert call(client, "GET", f"/projects/{project.id}/events?since={huge}", tokens["ana"]
                ).status_code == 400
    message = call(client, "POST", f"/projects/{project.id}/messages", tokens["ana"],
                   {"title": "T", "body": "B", "notify": [huge]})
    assert message.status_code == 422
    todo_list = call(client, "POST", f"/projects/{project.id}/todolists", tokens["ana"],
                     {"name": "L", "milestone_id": huge})
    assert todo_list.status_code == 422 and "milestone_id" in todo_list.json["error"]["fields"]
