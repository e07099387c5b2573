"""The API and the pages agree: what a token lists is what its owner's browser shows."""

from __future__ import annotations

import io

import pytest

from tests.api.test_routes import call
from workspace.api.tokens import create_token


@pytest.fixture
def project_with_everything(make, client):
    """Each kind of item twice, public and private, under names found nowhere else."""
    ana, bo, cy = make.user("Ana"), make.user("Bo"), make.user("Cy")
    project = make.project("Launch", owner=ana, members=(bo,), clients=(cy,))
    token = create_token(bo, "setup")[1]
    base = f"/projects/{project.id}"
    for hidden in (False, True):
        tag = "Secret" if hidden else "Open"
        message = call(client, "POST", f"{base}/messages", token,
                       {"title": f"{tag}memo", "body": "b", "private": hidden}).json
        call(client, "POST", f"{base}/messages/{message['id']}/comments", token,
             {"body": f"{tag}remark"})
        todo_list = call(client, "POST", f"{base}/todolists", token,
                         {"name": f"{tag}list", "private": hidden}).json
        call(client, "POST", f"{base}/todolists/{todo_list['id']}/todos", token,
             {"text": f"{tag}task"})
        call(client, "POST", f"{base}/files", token, content_type="multipart/form-data",
             data={"files": (io.BytesIO(b"x"), f"{tag}sheet.txt"),
                   "private": "y" if hidden else ""})
    call(client, "POST", f"{base}/milestones", token, {"title": "Openmilestone",
                                                       "due_on": "2031-06-01"})
    return project, {"ana": ana, "bo": bo, "cy": cy}


NAMES = {"Openmemo", "Secretmemo", "Openremark", "Secretremark", "Openlist", "Secretlist",
         "Opentask", "Secrettask", "Opensheet.txt", "Secretsheet.txt", "Openmilestone"}


def shown(html: str) -> set[str]:
    return {name for name in NAMES if name in html}


@pytest.mark.parametrize("who", ["cy", "bo"])
def test_a_token_lists_exactly_what_its_owners_pages_show(project_with_everything, client,
                                                          client_for, who):
    project, people = project_with_everything
    token, browser = create_token(people[who], "mine")[1], client_for(people[who])
    base = f"/projects/{project.id}"

    def listed(url: str, key: str) -> set[str]:
        return {item[key] for item in call(client, "GET", f"{base}{url}", token).json}

    messages = listed("/messages", "title")
    assert messages == shown(browser.get(f"{base}/messages").text)
    remarks = set()
    for message in call(client, "GET", f"{base}/messages", token).json:
        remarks |= {c["body"] for c in call(
            client, "GET", f"{base}/messages/{message['id']}/comments", token).json}
        assert remarks >= shown(browser.get(f"{base}/messages/{message['id']}").text) - messages
    lists = call(client, "GET", f"{base}/todolists", token).json
    todos = {todo["text"] for todo_list in lists for todo in call(
        client, "GET", f"{base}/todolists/{todo_list['id']}/todos", token).json}
    assert {x["name"] for x in lists} | todos == shown(browser.get(f"{base}/todolists").text)
    assert listed("/milestones", "title") == shown(browser.get(f"{base}/milestones").text)
    assert listed("/files", "name") == shown(browser.get(f"{base}/files").text)
    events = {name for event in call(client, "GET", "/events", token).json
              for name in NAMES if name in event["summary"] + event["excerpt"]}
    assert events == shown(browser.get("/activity").text)
    expected_secrets = who == "bo"
    assert ("Secretmemo" in messages | remarks | events) == expected_secrets
