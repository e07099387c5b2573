"""Every outcome is said: a save or an upload is confirmed, an empty file is refused with a
reason, and a text over its limit is named as such and kept, never cut by the browser."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest

from workspace.api.tokens import create_token
from workspace.comments.models import Comment
from workspace.extensions import db
from workspace.files.models import FileVersion, ProjectFile
from workspace.messages.models import Message
from workspace.todos.models import TodoList

EMPTY = "is empty (0 bytes): nothing was uploaded. Choose a file that has content."


@pytest.fixture
def team(make, client_for):
    ana = make.user("Ana")
    project = make.project("Launch", owner=ana)
    return project, client_for(ana), ana


def a_file(name: str, content: bytes = b"") -> tuple[io.BytesIO, str]:
    return io.BytesIO(content), name


def post(client, url: str, **data):
    return client.post(url, data=data, content_type="multipart/form-data")


def flashes(page: str) -> list[str]:
    return [unescape(text) for text in re.findall(r'<p class="flash flash-\w+">(.*?)</p>', page)]


def made_message(client, project) -> Message:
    post(client, f"/projects/{project.id}/messages/new", title="Plan", body="Draft")
    return db.session.scalars(db.select(Message)).one()


# -- empty files --------------------------------------------------------------------------------

def test_an_empty_file_is_refused_on_the_files_page_and_the_words_are_kept(team):
    project, client, _ = team
    response = post(client, f"/projects/{project.id}/files", description="Figures for Q3",
                    files=[a_file("empty.csv"), a_file("full.csv", b"a,b\n")])
    assert response.status_code == 400
    assert f"“empty.csv” {EMPTY}" in unescape(response.text)
    assert "Figures for Q3" in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectFile)) == 0


def test_an_empty_new_version_is_refused(team):
    project, client, _ = team
    post(client, f"/projects/{project.id}/files", files=[a_file("plan.txt", b"v1")])
    project_file = db.session.scalars(db.select(ProjectFile)).one()
    response = post(client, f"/projects/{project.id}/files/{project_file.id}/versions",
                    file=a_file("plan.txt"))
    assert response.status_code == 400 and EMPTY in unescape(response.text)
    assert db.session.scalar(db.select(db.func.count()).select_from(FileVersion)) == 1


def test_an_empty_attachment_keeps_the_message_unposted_and_its_text(team):
    project, client, _ = team
    response = post(client, f"/projects/{project.id}/messages/new", title="Budget",
                    body="See the sheet", attachments=[a_file("sheet.xlsx")])
    assert response.status_code == 400
    page = unescape(response.text)
    assert f"“sheet.xlsx” {EMPTY}" in page and 'id="attachments-error"' in page
    assert 'value="Budget"' in page and "See the sheet" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0


def test_an_empty_attachment_keeps_the_comment_unposted_and_its_text(team):
    project, client, _ = team
    message = made_message(client, project)
    response = post(client, f"/projects/{project.id}/messages/{message.id}/comments",
                    body="Here it is", attachments=[a_file("scan.pdf")])
    assert response.status_code == 400
    page = unescape(response.text)
    assert f"“scan.pdf” {EMPTY}" in page and "Here it is" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 0


def test_no_file_chosen_is_not_an_empty_file(team):
    project, client, _ = team
    response = post(client, f"/projects/{project.id}/messages/new", title="Plain",
                    body="No files", attachments=[(io.BytesIO(b""), "")])
    assert response.status_code == 302


@pytest.mark.parametrize("url, field", [("/files", "files"), ("/files/{file}/versions", "file")])
def test_the_api_refuses_an_empty_upload_with_a_422(team, client, url, field):
    project, web, ana = team
    post(web, f"/projects/{project.id}/files", files=[a_file("plan.txt", b"v1")])
    project_file = db.session.scalars(db.select(ProjectFile)).one()
    response = client.post(f"/api/v1/projects/{project.id}{url.format(file=project_file.id)}",
                           data={field: a_file("nothing.bin")},
                           content_type="multipart/form-data", csrf=False,
                           headers={"Authorization": f"Bearer {create_token(ana, 't')[1]}"})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {field: f"“nothing.bin” {EMPTY}"}


# -- texts over their limit ------------------------------------------------------------------

def test_no_field_has_a_maxlength_that_would_cut_a_pasted_text(team):
    project, client, _ = team
    page = client.get(f"/projects/{project.id}/messages/new").text
    assert 'id="title"' in page and "maxlength" not in page


def test_a_title_over_its_limit_is_named_and_kept_whole(team):
    project, client, _ = team
    title = "Quarterly review " * 15  # 255 characters
    response = post(client, f"/projects/{project.id}/messages/new", title=title, body="b")
    assert response.status_code == 400
    assert "A title has at most 200 characters." in response.text
    assert f'value="{title.strip()}"' in response.text


# -- confirmations -----------------------------------------------------------------------------

def saves(client, project) -> dict[str, tuple[str, dict]]:
    """Each save or upload: its URL and form."""
    message = made_message(client, project)
    client.post(f"/projects/{project.id}/messages/{message.id}/comments", data={"body": "Hi"})
    comment = db.session.scalars(db.select(Comment)).one()
    client.get(f"/projects/{project.id}")  # shows, and so clears, what those said
    return {
        "Comment added.": (f"/projects/{project.id}/messages/{message.id}/comments",
                           {"body": "Agreed"}),
        "Comment saved.": (f"/projects/{project.id}/comments/{comment.id}/edit",
                           {"body": "Agreed, edited"}),
        "List created.": (f"/projects/{project.id}/todolists/new", {"name": "Launch"}),
        "Milestone added.": (f"/projects/{project.id}/milestones/new",
                             {"title": "Beta", "due_on": "2031-01-15"}),
        "Uploaded: notes.txt": (f"/projects/{project.id}/files",
                                {"files": a_file("notes.txt", b"notes")}),
    }


@pytest.mark.parametrize("locale, said", [
    ("en", ["Comment added.", "Comment saved.", "List created.", "Milestone added.",
            "Uploaded: notes.txt"]),
    ("fr", ["Commentaire ajouté.", "Commentaire enregistré.", "Liste créée.", "Jalon ajouté.",
            "Déposé : notes.txt"]),
])
def test_each_save_says_it_is_done_in_the_persons_language(team, locale, said):
    project, client, ana = team
    ana.locale = locale
    db.session.commit()
    heard = []
    for url, data in saves(client, project).values():
        response = client.post(url, data=data, content_type="multipart/form-data",
                               follow_redirects=True)
        assert response.status_code == 200, url
        heard += flashes(response.text)
    assert heard == said


def test_adding_a_to_do_says_so(team):
    project, client, _ = team
    client.post(f"/projects/{project.id}/todolists/new", data={"name": "Launch"},
                follow_redirects=True)
    list_id = db.session.scalars(db.select(TodoList.id)).one()
    response = client.post(f"/projects/{project.id}/todolists/{list_id}/todos",
                           data={"text": "Book the room", "back": "list"},
                           follow_redirects=True)
    assert flashes(response.text) == ["To-do added."]


def test_the_upload_script_is_confirmed_after_its_reload(team):
    project, client, _ = team
    uploaded = client.post(f"/projects/{project.id}/files",
                           data={"files": a_file("a.txt", b"a")},
                           content_type="multipart/form-data",
                           headers={"Accept": "application/json"})
    assert uploaded.status_code == 201
    assert flashes(client.get(f"/projects/{project.id}/files").text) == ["Uploaded: a.txt"]


def test_a_token_name_over_its_limit_is_named_and_kept(team):
    _, client, _ = team
    assert "maxlength" not in client.get("/settings/tokens").text
    name = "Nightly export to the finance spreadsheet, " * 3
    response = client.post("/settings/tokens", data={"name": name})
    assert response.status_code == 400
    assert flashes(response.text) == ["Give the token a name of at most 80 characters."]
    assert f'value="{name.strip()}"' in response.text
