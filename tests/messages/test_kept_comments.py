"""A thread's rendered comments are kept and shown again only to a reader for whom they are
exactly right: never after an edit, a deletion or a rename, never to another person or role,
in another language, or with the files another person may see; delete buttons always carry
the reader's own CSRF token."""

from __future__ import annotations

import io
import re

import pytest

from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.fragments import FRAGMENTS, TOKEN_PLACEHOLDER

from .helpers import comment, posted


@pytest.fixture
def thread(make, client_for):
    FRAGMENTS.clear()
    ana, bo, cy = make.user("Ana"), make.user("Bo"), make.user("Cy")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    owner, member = client_for(ana), client_for(bo)
    message = posted(owner, project)
    comment(owner, message, "Ana says hello.")
    comment(member, message, "Bo says hello.")
    url = f"/projects/{project.id}/messages/{message.id}"
    return project, message, url, owner, member, client_for(cy), bo


def delete_buttons(page: str) -> int:
    return page.count("Yes, delete this comment")


def test_each_person_gets_their_own_buttons(thread):
    _project, _message, url, owner, member, client, _bo = thread
    assert delete_buttons(owner.get(url).data.decode()) == 2  # owners delete anything
    assert delete_buttons(member.get(url).data.decode()) == 1  # their own only
    assert delete_buttons(client.get(url).data.decode()) == 0
    assert delete_buttons(owner.get(url).data.decode()) == 2


def test_an_edit_a_deletion_and_a_rename_show_at_once(thread):
    project, _message, url, owner, member, _client, bo = thread
    assert "Bo says hello." in owner.get(url).data.decode()
    comment_id = int(re.findall(r'id="comment-(\d+)"', owner.get(url).data.decode())[1])

    member.post(f"/projects/{project.id}/comments/{comment_id}/edit",
                data={"body": "Bo changed his mind."})
    page = owner.get(url).data.decode()
    assert "Bo changed his mind." in page and "Bo says hello." not in page

    bo.name = "Robert"
    db.session.commit()
    assert "<strong>Robert</strong>" in owner.get(url).data.decode()

    owner.post(f"/projects/{project.id}/comments/{comment_id}/delete")
    page = owner.get(url).data.decode()
    assert "Bo changed his mind." not in page and "Ana says hello." in page


def test_another_language_gets_its_own_rendering(thread):
    _project, _message, url, owner, member, _client, bo = thread
    assert "Yes, delete this comment" in member.get(url).data.decode()
    bo.locale = "fr"
    db.session.commit()
    page = member.get(url).data.decode()
    assert "Yes, delete this comment" not in page and "Oui, supprimer ce commentaire" in page
    assert "Yes, delete this comment" in owner.get(url).data.decode()


def test_attachments_follow_the_reader_and_their_deletion(thread):
    project, _message, url, owner, _member, client, _bo = thread
    owner.post(f"{url}/comments", content_type="multipart/form-data",
               data={"body": "The plan, attached.",
                     "attachments": [(io.BytesIO(b"hello"), "plan.txt")]})
    attached = db.session.scalars(db.select(ProjectFile)).one()
    assert "plan.txt" in owner.get(url).data.decode()
    assert "plan.txt" in client.get(url).data.decode()

    owner.post(f"/projects/{project.id}/files/{attached.id}/delete")
    assert "plan.txt" not in owner.get(url).data.decode()
    assert "plan.txt" not in client.get(url).data.decode()


def test_delete_buttons_carry_this_requests_token(thread):
    _project, _message, url, owner, _member, _client, _bo = thread
    owner.get(url)
    page = owner.get(url).data.decode()  # from the kept rendering
    assert TOKEN_PLACEHOLDER not in page
    in_delete_buttons = re.findall(
        r'action="[^"]*/comments/\d+/delete">\s*<input type="hidden" name="csrf_token" '
        r'value="([^"]+)"', page)
    everywhere = re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert len(in_delete_buttons) == 2
    assert set(in_delete_buttons) == set(everywhere)  # the one token of this request
