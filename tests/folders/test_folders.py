"""Folders: nested, renamed, moved, their mark flowing down to what they hold, on every
surface; refusals that say why; a page whose cost does not grow with what it lists."""

from __future__ import annotations

import io

import feedparser
import pytest

from tests.api.test_routes import call
from tests.conftest import count_queries, insert_items
from tests.documents.helpers import written
from workspace.api.tokens import create_token
from workspace.auth.models import User
from workspace.documents.models import Document
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.folders.models import Folder


@pytest.fixture
def team(make, client_for):
    ana, bo, cy = make.user("Ana"), make.user("Bo"), make.user("Cy")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    return project, client_for(ana), client_for(bo), client_for(cy), cy


def folder_named(name: str) -> Folder:
    """The newest folder of that name."""
    return db.session.scalars(db.select(Folder).where(Folder.name == name)
                              .order_by(Folder.id.desc())).first()


def make_folder(client, project, name: str, parent: Folder | None = None, **extra) -> Folder:
    data = {"name": name, **extra}
    if parent is not None:
        data["parent_id"] = parent.id
    response = client.post(f"/projects/{project.id}/folders", data=data)
    assert response.status_code == 302, response.text
    return folder_named(name)


def uploaded(client, project, name: str, folder: Folder | None = None) -> ProjectFile:
    data = {"files": (io.BytesIO(b"plain text"), name)}
    if folder is not None:
        data["folder_id"] = str(folder.id)
    response = client.post(f"/projects/{project.id}/files", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.text
    return db.session.scalars(db.select(ProjectFile).where(ProjectFile.name == name)).one()


def move(client, item, into: Folder | None):
    kind = {"Folder": "folders", "Document": "documents", "ProjectFile": "files"}[
        type(item).__name__]
    return client.post(f"/projects/{item.project_id}/{kind}/{item.id}/move",
                       data={"folder_id": str(into.id) if into else ""})


def test_folders_nest_and_list_documents_and_files_together_sorted(team):
    project, ana, bo, *_ = team
    specs = make_folder(ana, project, "Specs")
    drafts = make_folder(bo, project, "Drafts", parent=specs)
    written(ana, project, title="Zeta plan", folder_id=str(specs.id))
    written(ana, project, title="Alpha brief", folder_id=str(specs.id))
    uploaded(bo, project, "middle.txt", folder=specs)
    uploaded(bo, project, "elsewhere.txt")
    page = ana.get(f"/projects/{project.id}/folders/{specs.id}").text
    names = ["Drafts", "Alpha brief", "middle.txt", "Zeta plan"]
    assert [page.index(name) for name in names] == sorted(page.index(name) for name in names)
    assert "elsewhere.txt" not in page
    newest_first = ana.get(f"/projects/{project.id}/folders/{specs.id}?sort=name&order=desc").text
    assert newest_first.index("Zeta plan") < newest_first.index("Alpha brief")
    assert newest_first.index("Drafts") < newest_first.index("Zeta plan")  # folders first
    top = ana.get(f"/projects/{project.id}/folders").text
    assert "Specs" in top and "elsewhere.txt" in top and "Drafts" not in top
    inner = ana.get(f"/projects/{project.id}/folders/{drafts.id}").text
    assert f'href="/projects/{project.id}/folders/{specs.id}"' in inner  # the way back up


def test_a_folder_is_renamed_and_moved_and_name_clashes_are_refused(team):
    project, ana, *_ = team
    specs, notes = make_folder(ana, project, "Specs"), make_folder(ana, project, "Notes")
    response = ana.post(f"/projects/{project.id}/folders", data={"name": "specs"})
    assert response.status_code == 409
    assert "already there" in response.text
    assert 'value="specs"' in response.text
    response = ana.post(f"/projects/{project.id}/folders/{notes.id}/edit",
                        data={"name": "Specs"})
    assert response.status_code == 400 and "already there" in response.text
    assert ana.post(f"/projects/{project.id}/folders/{notes.id}/edit",
                    data={"name": "Minutes"}).status_code == 302
    assert move(ana, notes, specs).status_code == 302
    db.session.refresh(notes)
    assert (notes.name, notes.parent_id) == ("Minutes", specs.id)
    make_folder(ana, project, "Minutes")  # at the top: no clash
    clash = move(ana, notes, None)
    assert clash.status_code == 409 and "already there" in clash.text
    first = written(ana, project, title="Brief", folder_id=str(specs.id))
    written(ana, project, title="Brief")
    response = move(ana, first, None)
    assert response.status_code == 302
    assert "already there" in ana.get(response.location).text
    db.session.refresh(first)
    assert first.folder_id == specs.id


def test_a_folder_never_goes_into_itself_or_its_own_child(team):
    project, ana, *_ = team
    top = make_folder(ana, project, "Top")
    child = make_folder(ana, project, "Child", parent=top)
    grandchild = make_folder(ana, project, "Grandchild", parent=child)
    for into in (top, child, grandchild):
        response = move(ana, top, into)
        assert response.status_code in (400, 409), into.name
        assert "cannot go inside itself" in response.text or "Not a valid choice" in response.text
    response = ana.post(f"/projects/{project.id}/folders/{top.id}/move",
                        data={"folder_id": str(grandchild.id)})
    assert "cannot go inside itself or inside one of its own folders" in response.text
    db.session.refresh(top)
    assert top.parent_id is None


def test_nothing_moves_into_another_projects_folder(team, make, client_for):
    project, ana, *_ = team
    owner = db.session.scalars(db.select(User).where(User.name == "Ana")).one()
    other = make.project("Other", owner=owner)
    foreign = make_folder(ana, other, "Foreign")
    mine = make_folder(ana, project, "Mine")
    document = written(ana, project, title="Brief")
    response = ana.post(f"/projects/{project.id}/folders/{mine.id}/move",
                        data={"folder_id": str(foreign.id)})
    assert response.status_code == 400 and "Choose a folder of this project." in response.text
    response = move(ana, document, foreign)
    assert "Choose a folder of this project." in ana.get(response.location).text
    response = ana.post(f"/projects/{project.id}/folders",
                        data={"name": "Sneaky", "parent_id": str(foreign.id)})
    assert response.status_code == 404 and "Choose a folder of this project." in response.text
    db.session.refresh(mine)
    db.session.refresh(document)
    assert (mine.parent_id, document.folder_id) == (None, None)
    assert db.session.scalar(db.select(db.func.count(Folder.id))) == 2


def test_a_file_moved_into_a_private_folder_vanishes_for_clients_everywhere(team, client):
    project, ana, _bo, web, cy = team
    vault = make_folder(ana, project, "Vault", private="y")
    inner = make_folder(ana, project, "Inner", parent=vault)
    assert inner.private and not inner.marked_private
    shown = uploaded(ana, project, "Sharedsheet.txt")
    ana.post(f"/projects/{project.id}/files/{shown.id}/comments", data={"body": "Sheetremark"})
    token = create_token(cy, "peek")[1]
    file_url = f"/projects/{project.id}/files/{shown.id}"

    def seen_by_client() -> dict[str, bool]:
        feed = web.get(f"/projects/{project.id}/feed.atom?token={cy.feed_token}").data
        return {
            "page": web.get(file_url).status_code == 200,
            "download": web.get(f"{file_url}/download").status_code == 200,
            "list": "Sharedsheet" in web.get(f"/projects/{project.id}/files").text,
            "folder": "Sharedsheet" in web.get(f"/projects/{project.id}/folders").text,
            "activity": "Sharedsheet" in web.get("/activity").text,
            "overview": "Sharedsheet" in web.get(f"/projects/{project.id}").text,
            "feed": any("Sharedsheet" in e.title for e in feedparser.parse(feed).entries),
            "search": "Sharedsheet" in web.get("/search?q=Sharedsheet").text.split(
                'id="results-heading"')[1],
            "comment search": "Sharedsheet" in web.get("/search?q=Sheetremark").text.split(
                'id="results-heading"')[1],
            "api": call(client, "GET", f"/projects/{project.id}/files/{shown.id}",
                        token).status_code == 200,
            "api list": "Sharedsheet" in call(client, "GET", f"/projects/{project.id}/files",
                                              token).text,
            "api events": "Sharedsheet" in call(client, "GET", "/events", token).text,
        }

    assert all(seen_by_client().values()), seen_by_client()
    assert move(ana, shown, inner).status_code == 302
    assert not any(seen_by_client().values()), seen_by_client()
    team_page = ana.get(file_url).text
    assert 'class="private-mark"' in team_page
    assert "Private because it is in the private folder Vault." in team_page
    assert move(ana, shown, None).status_code == 302
    assert all(seen_by_client().values()), seen_by_client()


def test_a_folder_marked_private_takes_everything_inside_with_it_and_back(team):
    project, ana, _bo, web, _cy = team
    outer = make_folder(ana, project, "Outer")
    inner = make_folder(ana, project, "Inner", parent=outer)
    document = written(ana, project, title="Deepnote", folder_id=str(inner.id))
    own = written(ana, project, title="Ownsecret", folder_id=str(inner.id), private="y")
    sheet = uploaded(ana, project, "deepsheet.txt", folder=inner)
    assert web.get(f"/projects/{project.id}/documents/{document.id}").status_code == 200
    ana.post(f"/projects/{project.id}/folders/{outer.id}/edit",
             data={"name": "Outer", "private": "y"})
    for url in (f"/projects/{project.id}/documents/{document.id}",
                f"/projects/{project.id}/files/{sheet.id}",
                f"/projects/{project.id}/folders/{inner.id}",
                f"/projects/{project.id}/folders/{outer.id}"):
        assert web.get(url).status_code == 404, url
    assert "Deepnote" not in web.get("/activity").text
    page = ana.get(f"/projects/{project.id}/folders/{inner.id}").text
    assert "Private because it is in the private folder Outer." in page
    ana.post(f"/projects/{project.id}/folders/{outer.id}/edit", data={"name": "Outer"})
    assert web.get(f"/projects/{project.id}/documents/{document.id}").status_code == 200
    assert web.get(f"/projects/{project.id}/files/{sheet.id}").status_code == 200
    assert web.get(f"/projects/{project.id}/documents/{own.id}").status_code == 404


def test_only_an_empty_folder_is_deleted_and_clients_mark_nothing_private(team):
    project, ana, _bo, web, _cy = team
    full = make_folder(ana, project, "Full")
    written(ana, project, title="Inside", folder_id=str(full.id))
    response = ana.post(f"/projects/{project.id}/folders/{full.id}/delete")
    assert response.status_code == 409 and "not empty" in response.text
    empty = make_folder(ana, project, "Empty")
    assert ana.post(f"/projects/{project.id}/folders/{empty.id}/delete").status_code == 302
    assert {f.name for f in db.session.scalars(db.select(Folder))} == {"Full"}
    response = web.post(f"/projects/{project.id}/folders", data={"name": "X", "private": "y"})
    assert response.status_code == 403


@pytest.mark.parametrize("many", [10, 1000])
def test_a_folder_page_reads_as_much_for_10_entries_as_for_1000(team, many, request):
    project, ana, *_ = team
    folder = make_folder(ana, project, "Big")
    author = folder.author_id
    insert_items(ProjectFile, "file", [
        {"project_id": project.id, "author_id": author, "name": f"file-{n:04}.txt",
         "description": "", "marked_private": False, "private": False, "folder_id": folder.id,
         "version_count": 1, "size": 10, "content_type": "text/plain", "kind": "text",
         "created_at": folder.created_at, "updated_at": folder.created_at,
         "comments_count": 0} for n in range(many)], [None] * many)
    insert_items(Document, "document", [
        {"project_id": project.id, "author_id": author, "title": f"doc-{n:04}", "body": "x",
         "body_html": "<p>x</p>", "excerpt": "x", "marked_private": False, "private": False,
         "folder_id": folder.id, "version_count": 1, "created_at": folder.created_at,
         "updated_at": folder.created_at, "comments_count": 0} for n in range(many)],
        [None] * many)
    db.session.commit()
    counts = []
    for query in ("", "?sort=date&order=desc", "?sort=kind&page=2"):
        with count_queries() as counter:
            response = ana.get(f"/projects/{project.id}/folders/{folder.id}{query}")
        assert response.status_code == 200
        assert len(response.data) < 150_000
        counts.append(counter.count)
    cache = request.config.cache
    key = "folders/page-queries"
    if many == 10:
        cache.set(key, counts)
    else:
        assert counts == cache.get(key, counts)


def test_two_documents_of_one_folder_never_share_a_title(team):
    project, ana, *_ = team
    specs = make_folder(ana, project, "Specs")
    written(ana, project, title="Brief", folder_id=str(specs.id))
    response = ana.post(f"/projects/{project.id}/documents/new",
                        data={"title": "brief", "body": "Kept body", "folder_id": specs.id})
    assert response.status_code == 400 and "already there" in response.text
    assert "Kept body" in response.text
    other = written(ana, project, title="Notes", folder_id=str(specs.id))
    response = ana.post(f"/projects/{project.id}/documents/{other.id}/edit",
                        data={"title": "Brief", "body": "New text", "base": 1})
    assert response.status_code == 400 and "already there" in response.text
    assert "New text" in response.text
    written(ana, project, title="Brief")  # at the top: no clash
    db.session.refresh(other)
    assert (other.title, other.version_count) == ("Notes", 1)


def test_a_folder_moved_into_a_private_folder_hides_all_it_holds_and_back(team):
    project, ana, _bo, web, _cy = team
    vault = make_folder(ana, project, "Vault", private="y")
    notes = make_folder(ana, project, "Notes")
    inner = make_folder(ana, project, "Inner", parent=notes)
    document = written(ana, project, title="Deepnote", folder_id=str(inner.id))
    page = f"/projects/{project.id}/documents/{document.id}"
    assert web.get(page).status_code == 200
    assert move(ana, notes, vault).status_code == 302
    assert web.get(page).status_code == 404
    assert web.get(f"/projects/{project.id}/folders/{inner.id}").status_code == 404
    assert "Deepnote" not in web.get("/search?q=Deepnote").text.split('id="results-heading"')[1]
    assert move(ana, notes, None).status_code == 302
    assert web.get(page).status_code == 200
