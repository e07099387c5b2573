"""Following items: who follows automatically, following and stopping from the page and the
API, and a follower who may no longer see an item hears nothing of it."""

from tests.api.test_routes import call
from workspace.api.tokens import create_token
from workspace.comments.following import follower_ids
from workspace.extensions import db
from workspace.messages.models import Message
from workspace.todos.models import Todo

from .test_notifications import deliver, post


def people(make, *names):
    return [make.user(name, email=f"{name.lower()}@example.org") for name in names]


def comment(client, project, message_id, body="Noted"):
    response = client.post(f"/projects/{project.id}/messages/{message_id}/comments",
                           data={"body": body})
    assert response.status_code == 302, response.text


def test_authors_commenters_and_chosen_people_follow_and_the_page_lists_them(
        app, make, client_for):
    ana, bo, cy, di = people(make, "Ana", "Bo", "Cy", "Di")
    project = make.project(owner=ana, members=(bo, cy, di))
    message_id = post(client_for(ana), project, notify=[bo.id])
    comment(client_for(cy), project, message_id)
    message = db.session.get(Message, message_id)
    assert follower_ids(message.item_id) == {ana.id, bo.id, cy.id}
    page = client_for(di).get(f"/projects/{project.id}/messages/{message_id}").text
    assert "3 followers" in page
    assert all(f'<span class="follower">{p.name}</span>' in page for p in (ana, bo, cy))
    assert f"/items/{message.item_id}/follow" in page  # Di does not follow: she may


def test_stopping_from_the_page_stops_the_emails_and_following_again_brings_them_back(
        app, make, client_for, smtp):
    ana, bo, cy = people(make, "Ana", "Bo", "Cy")
    project = make.project(owner=ana, members=(bo, cy))
    message_id = post(client_for(ana), project, notify=[])
    item_id = db.session.get(Message, message_id).item_id
    page = client_for(ana).get(f"/projects/{project.id}/messages/{message_id}").text
    assert f"/items/{item_id}/unfollow" in page
    answer = client_for(ana).post(f"/projects/{project.id}/items/{item_id}/unfollow")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("#followers")
    comment(client_for(bo), project, message_id)
    deliver(app)
    assert smtp.messages == []  # the author stopped: her authorship does not bring her back
    client_for(cy).post(f"/projects/{project.id}/items/{item_id}/follow")
    client_for(ana).post(f"/projects/{project.id}/items/{item_id}/follow")
    comment(client_for(bo), project, message_id, "Again")
    deliver(app)
    assert sorted(m["To"] for m in smtp.messages) == ["ana@example.org", "cy@example.org"]


def test_commenting_again_after_stopping_follows_again(app, make, client_for):
    ana, bo = people(make, "Ana", "Bo")
    project = make.project(owner=ana, members=(bo,))
    message_id = post(client_for(ana), project, notify=[])
    item_id = db.session.get(Message, message_id).item_id
    comment(client_for(bo), project, message_id)
    client_for(bo).post(f"/projects/{project.id}/items/{item_id}/unfollow")
    assert follower_ids(item_id) == {ana.id}
    comment(client_for(bo), project, message_id, "One more thing")
    assert follower_ids(item_id) == {ana.id, bo.id}


def test_following_needs_a_csrf_token(app, make, client_for):
    ana, bo = people(make, "Ana", "Bo")
    project = make.project(owner=ana, members=(bo,))
    item_id = db.session.get(Message, post(client_for(ana), project, notify=[])).item_id
    answer = client_for(bo).post(f"/projects/{project.id}/items/{item_id}/follow", csrf=False)
    assert answer.status_code == 400
    assert bo.id not in follower_ids(item_id)


def test_a_todos_assignee_and_author_follow_and_its_comments_reach_them(
        app, make, client_for, smtp):
    ana, bo, cy = people(make, "Ana", "Bo", "Cy")
    project = make.project(owner=ana, members=(bo, cy))
    team = client_for(ana)
    team.post(f"/projects/{project.id}/todolists/new", data={"name": "L"})
    team.post(f"/projects/{project.id}/todolists/1/todos",
              data={"text": "Print flyers", "assignee": str(bo.id)})
    todo = db.session.scalars(db.select(Todo)).one()
    assert follower_ids(todo.item_id) == {ana.id, bo.id}
    deliver(app)
    smtp.messages.clear()
    client_for(cy).post(f"/projects/{project.id}/todos/{todo.id}/comments",
                        data={"body": "Which paper?"})
    deliver(app)
    assert sorted(m["To"] for m in smtp.messages) == ["ana@example.org", "bo@example.org"]
    assert "You follow this item." in smtp.messages[0].get_body(("plain",)).get_content()


def test_a_client_following_an_item_made_private_is_neither_told_nor_listed(
        app, make, client_for, smtp):
    ana, bo, cy = people(make, "Ana", "Bo", "Cy")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    team = client_for(ana)
    message_id = post(team, project, title="Budget", notify=[cy.id])
    comment(client_for(bo), project, message_id)
    deliver(app)
    smtp.messages.clear()
    comment(client_for(bo), project, message_id, "Queued before it turns private")
    team.post(f"/projects/{project.id}/messages/{message_id}/edit",
              data={"title": "Budget", "body": "x", "private": "y"})
    comment(client_for(bo), project, message_id, "Secret figures")
    deliver(app)
    assert smtp.to("cy@example.org") == []
    assert smtp.to("ana@example.org")  # the team still hears
    page = team.get(f"/projects/{project.id}/messages/{message_id}").text
    assert '<span class="follower">Cy</span>' not in page
    item_id = db.session.get(Message, message_id).item_id
    assert client_for(cy).post(
        f"/projects/{project.id}/items/{item_id}/follow").status_code == 404


def test_nobody_follows_an_item_of_another_project_by_its_id(app, make, client_for):
    ana, eve = people(make, "Ana", "Eve")
    project = make.project(owner=ana)
    other = make.project("Other", owner=eve)
    item_id = db.session.get(Message, post(client_for(ana), project, notify=[])).item_id
    assert client_for(eve).post(f"/projects/{other.id}/items/{item_id}/follow").status_code == 404
    assert client_for(eve).post(
        f"/projects/{project.id}/items/{item_id}/follow").status_code == 404
    assert follower_ids(item_id) == {ana.id}


def test_the_api_lists_followers_and_follows_and_stops_for_oneself(app, make, client_for,
                                                                  client):
    ana, bo, cy, eve = people(make, "Ana", "Bo", "Cy", "Eve")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    make.project("Other", owner=eve)
    message_id = post(client_for(ana), project, notify=[])
    secret = post(client_for(ana), project, title="Secret", private="y", notify=[])
    path = f"/projects/{project.id}/messages/{message_id}/followers"
    bo_token, cy_token, eve_token = (create_token(p, "script")[1] for p in (bo, cy, eve))
    assert call(client, "GET", path, bo_token).json == [{"id": ana.id, "name": "Ana"}]
    followed = call(client, "POST", path, bo_token)
    assert followed.status_code == 200
    assert [p["name"] for p in followed.json] == ["Ana", "Bo"]
    stopped = call(client, "DELETE", path, bo_token)
    assert [p["name"] for p in stopped.json] == ["Ana"]
    assert call(client, "GET", path, eve_token).status_code == 404
    private_path = f"/projects/{project.id}/messages/{secret}/followers"
    assert call(client, "POST", private_path, cy_token).status_code == 404
    assert call(client, "GET", private_path, bo_token).status_code == 200


def test_an_event_s_followers_through_the_api(app, make, client_for, client):
    from tests.schedule.helpers import add_event

    ana, bo, cy, eve = people(make, "Ana", "Bo", "Cy", "Eve")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    make.project("Other", owner=eve)
    team = client_for(ana)
    public = add_event(team, project, title="Launch party")
    secret = add_event(team, project, title="Pricing talk", private="y")
    bo_token, cy_token, eve_token = (create_token(p, "script")[1] for p in (bo, cy, eve))
    path = f"/projects/{project.id}/schedule/events/{public.id}/followers"
    assert call(client, "GET", path, bo_token).json == [{"id": ana.id, "name": "Ana"}]
    assert [p["name"] for p in call(client, "POST", path, cy_token).json] == ["Ana", "Cy"]
    assert [p["name"] for p in call(client, "DELETE", path, cy_token).json] == ["Ana"]
    assert call(client, "GET", path, eve_token).status_code == 404
    private_path = f"/projects/{project.id}/schedule/events/{secret.id}/followers"
    assert call(client, "POST", private_path, cy_token).status_code == 404
    assert call(client, "GET", private_path, bo_token).status_code == 200
