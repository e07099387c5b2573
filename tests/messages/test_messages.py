import re

from workspace.activity.models import Event
from workspace.comments.models import Comment
from workspace.extensions import db
from workspace.messages.models import Message

from .helpers import comment, post, posted


def test_posting_records_the_message_and_its_event(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    message = posted(client_for(ana), project, title="Launch plan")
    assert (message.title, message.author_id, message.private) == ("Launch plan", ana.id, False)
    assert "<strong>ship</strong>" in message.body_html
    event = db.session.scalars(db.select(Event)).one()
    assert (event.action, event.subject_id, event.private) == ("created", message.id, False)


def test_missing_or_overlong_fields_answer_400_and_keep_the_text(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    response = post(client, project, title="", body="My long thoughts")
    assert response.status_code == 400
    assert b"Give the message a title." in response.data
    assert b"My long thoughts" in response.data
    response = post(client, project, title="T" * 201, body="kept body")
    assert response.status_code == 400 and b"kept body" in response.data
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0


def test_preview_renders_and_saves_nothing(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    response = post(client_for(ana), project, body="# Heading\n\n*soft*", preview="1")
    assert response.status_code == 200
    assert b"<h1>Heading</h1>" in response.data and b"<em>soft</em>" in response.data
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0


def test_editing_marks_the_message_edited(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    message = posted(client, project)
    assert b"edited" not in client.get(f"/projects/{project.id}/messages/{message.id}").data
    client.post(f"/projects/{project.id}/messages/{message.id}/edit",
                data={"title": "New title", "body": "new"})
    page = client.get(f"/projects/{project.id}/messages/{message.id}").data
    assert b"New title" in page and b"edited" in page


def test_only_the_author_or_an_owner_edits_and_deletes(make, client_for):
    ana, bo, cy, di = make.user("Ana"), make.user("Bo"), make.user("Cy"), make.user("Di")
    project = make.project(owner=ana, members=(bo, di), clients=(cy,))
    message = posted(client_for(bo), project, title="Bo's")
    message_id = message.id
    url = f"/projects/{project.id}/messages/{message_id}"
    for intruder in (di, cy):
        client = client_for(intruder)
        assert client.post(f"{url}/edit", data={"title": "X", "body": "x"}).status_code == 403
        assert client.post(f"{url}/delete").status_code == 403
    assert db.session.get(Message, message_id).title == "Bo's"
    by_owner = client_for(ana).post(f"{url}/edit", data={"title": "By owner", "body": "b"})
    assert by_owner.status_code == 302
    assert client_for(bo).post(f"{url}/delete").status_code == 302
    assert db.session.get(Message, message_id) is None


def test_deleting_removes_comments_and_events(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    message = posted(client, project)
    comment(client, message)
    client.post(f"/projects/{project.id}/messages/{message.id}/delete")
    db.session.expunge_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 0


def test_board_is_freshest_first_paginated_with_counts(make, client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    client = client_for(ana)
    for number in range(26):
        posted(client, project, title=f"Message {number:02d}")
    first = db.session.scalars(db.select(Message).order_by(Message.id)).first()
    comment(client_for(bo), first, "First!")  # lifts it to the top (see test_board_order)
    page_one = client.get(f"/projects/{project.id}/messages").data.decode()
    assert page_one.index("Message 00") < page_one.index("Message 25") < page_one.index(
        "Message 24")
    assert "1 comment" in page_one and "last comment by Bo" in page_one
    assert "Message 01" not in page_one and "Page 1 of 2" in page_one
    page_two = client.get(f"/projects/{project.id}/messages?page=2").data.decode()
    assert "Message 01" in page_two and "no comments yet" in page_two


def test_subscribers_default_to_the_team_and_skip_clients_of_private_messages(make, client_for):
    ana, bo, cy = make.user("Ana"), make.user("Bo"), make.user("Cy")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    client = client_for(ana)
    form = client.get(f"/projects/{project.id}/messages/new").data.decode()
    boxes = dict(re.findall(r'<input( checked)?[^>]*name="notify" type="checkbox" value="(\d+)"',
                            form)[i][::-1] for i in range(3))
    assert boxes == {str(ana.id): " checked", str(bo.id): " checked", str(cy.id): ""}
    message = posted(client, project, private="y", notify=[bo.id, cy.id])
    assert message.subscriber_ids == {bo.id}
    public = posted(client, project, title="Public", notify=[bo.id, cy.id])
    assert public.subscriber_ids == {bo.id, cy.id}


def test_a_client_posts_but_never_privately(make, client_for):
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    client = client_for(cy)
    assert post(client, project, title="Secret", private="y").status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0
    assert posted(client, project, title="Question").private is False
