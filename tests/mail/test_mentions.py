"""@mentions: resolved on the server when a text is saved (no JavaScript needed), refused for
whoever may not see the item, and told to the author in the preview and after saving."""

from workspace.comments.following import follower_ids
from workspace.comments.mentions import MAX_MENTIONS
from workspace.extensions import db
from workspace.messages.models import Message
from workspace.notifications.models import Notification
from workspace.projects.models import Membership
from workspace.todos.models import Todo

from .conftest import parts
from .test_notifications import deliver, post


def people(make, *names):
    return [make.user(name, email=f"{name.split()[0].lower()}@example.org") for name in names]


def comment(client, project, message_id, body):
    return client.post(f"/projects/{project.id}/messages/{message_id}/comments",
                       data={"body": body}, follow_redirects=True)


def test_a_mention_by_name_or_address_links_notifies_and_makes_a_follower(
        app, make, client_for, smtp):
    ana, bo, cy = people(make, "Ana Lima", "Bo Berg", "Cy Chen")
    project = make.project("Launch", owner=ana, members=(bo, cy))
    message_id = post(client_for(ana), project, notify=[])
    page = comment(client_for(bo), project, message_id,
                   "Over to you @ana lima and @cy@example.org, not `@Bo Berg`").text
    assert f'class="mention" data-person="{ana.id}">@Ana Lima</span>' in page
    assert f'class="mention" data-person="{cy.id}">@Cy Chen</span>' in page
    assert "<code>@Bo Berg</code>" in page  # code is left as written
    item_id = db.session.get(Message, message_id).item_id
    assert cy.id in follower_ids(item_id)
    deliver(app)
    [to_cy] = smtp.to("cy@example.org")
    assert "You were mentioned." in parts(to_cy)["text/plain"]
    [to_ana] = smtp.to("ana@example.org")  # once, though she follows and is mentioned
    assert "You were mentioned." in parts(to_ana)["text/plain"]


def test_a_client_on_a_private_item_a_stranger_and_a_removed_member_are_refused(
        app, make, client_for, smtp):
    ana, bo, cy, eve = people(make, "Ana", "Bo", "Cy", "Eve")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    make.project("Elsewhere", owner=eve)
    db.session.execute(db.delete(Membership).where(Membership.user_id == bo.id))
    db.session.commit()
    message_id = post(client_for(ana), project, title="Budget", private="y", notify=[])
    page = comment(client_for(ana), project, message_id,
                   "Ask @Cy, @eve@example.org and @bo@example.org").text
    assert 'class="mention"' not in page
    assert "@Cy, @eve@example.org, @bo@example.org cannot see this" in page
    item_id = db.session.get(Message, message_id).item_id
    assert follower_ids(item_id) == {ana.id}
    deliver(app)
    assert smtp.messages == []
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)) == 0


def test_the_preview_tells_before_saving_and_writes_nothing(app, make, client_for):
    ana, cy = people(make, "Ana", "Cy")
    project = make.project(owner=ana, clients=(cy,))
    answer = client_for(ana).post(f"/projects/{project.id}/messages/new", data={
        "title": "Secret", "body": "Hello @Cy and @Nobody and @Ana", "private": "y",
        "preview": "1"})
    assert answer.status_code == 200
    assert "@Cy cannot see this" in answer.text
    assert "Nobody in this project is called @Nobody" in answer.text
    assert "You mentioned yourself" in answer.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0
    message_id = post(client_for(ana), project, title="Open", notify=[])
    preview = client_for(ana).post(f"/projects/{project.id}/messages/{message_id}/comments",
                                   data={"body": "Thoughts, @Cy?", "preview": "1"})
    assert preview.status_code == 200
    assert f'class="mention" data-person="{cy.id}">@Cy</span>' in preview.text
    assert db.session.get(Message, message_id).comments_count == 0


def test_mentions_and_notices_in_french(app, make, client_for):
    ana, cy = people(make, "Ana", "Cy")
    ana.locale = "fr"
    db.session.commit()
    project = make.project(owner=ana, clients=(cy,))
    message_id = post(client_for(ana), project, title="Secret", private="y", notify=[])
    page = comment(client_for(ana), project, message_id, "@Cy @Personne").text
    assert "@Cy ne peut pas voir ceci" in page
    assert "Personne ne s\u2019appelle @Personne dans ce projet" in page


def test_two_hundred_mentions_are_capped_with_a_message(app, make, client_for, smtp):
    ana = make.user("Ana", email="ana@example.org")
    crowd = [make.user(f"Member{n:03d}", email=f"m{n}@example.org") for n in range(60)]
    project = make.project(owner=ana, members=tuple(crowd))
    message_id = post(client_for(ana), project, notify=[])
    body = " ".join(f"@Member{n % 60:03d}" for n in range(200))
    page = comment(client_for(ana), project, message_id, body).text
    assert f"At most {MAX_MENTIONS} people can be mentioned in one text: 10 more" in page
    assert page.count('class="mention"') >= MAX_MENTIONS
    deliver(app)
    assert len(smtp.messages) == MAX_MENTIONS
    deliver(app)
    assert len(smtp.messages) == MAX_MENTIONS  # nothing sent twice


def test_a_mention_in_todo_notes_notifies_and_an_edit_tells_only_the_newly_mentioned(
        app, make, client_for, smtp):
    ana, bo, cy = people(make, "Ana", "Bo", "Cy")
    project = make.project(owner=ana, members=(bo, cy))
    team = client_for(ana)
    team.post(f"/projects/{project.id}/todolists/new", data={"name": "L"})
    team.post(f"/projects/{project.id}/todolists/1/todos",
              data={"text": "Flyers", "notes": "Ask @Bo for the logo"})
    todo = db.session.scalars(db.select(Todo)).one()
    assert bo.id in follower_ids(todo.item_id)
    team.post(f"/projects/{project.id}/todos/{todo.id}/edit",
              data={"text": "Flyers", "notes": "Ask @Bo for the logo, @Cy for paper"})
    deliver(app)
    assert len(smtp.to("bo@example.org")) == 1 and len(smtp.to("cy@example.org")) == 1


def test_the_people_a_text_may_mention_are_those_who_may_see_the_item(app, make, client_for):
    ana, bo, cy, eve = people(make, "Ana", "Bo", "Cy", "Eve")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    secret = db.session.get(Message, post(client_for(ana), project, private="y", notify=[]))
    open_one = db.session.get(Message, post(client_for(ana), project, notify=[]))
    base = f"/projects/{project.id}/items"
    team_view = client_for(bo).get(f"{base}/{secret.item_id}/mentionable").json
    assert [p["name"] for p in team_view] == ["Ana", "Bo"]
    assert team_view[0]["email"] == "ana@example.org"
    client_view = client_for(cy).get(f"{base}/{open_one.item_id}/mentionable").json
    assert [p["name"] for p in client_view] == ["Ana", "Bo", "Cy"]
    assert "email" not in client_view[0]  # clients never see addresses
    assert client_for(cy).get(f"{base}/{secret.item_id}/mentionable").status_code == 404
    assert client_for(eve).get(f"{base}/{open_one.item_id}/mentionable").status_code == 404
    new = client_for(bo).get(f"/projects/{project.id}/mentionable?private=1").json
    assert [p["name"] for p in new] == ["Ana", "Bo"]


def test_an_api_write_answers_what_its_mentions_did(app, make, client, smtp):
    from workspace.api.tokens import create_token

    ana, bo, cy = people(make, "Ana", "Bo", "Cy")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    headers = {"Authorization": f"Bearer {create_token(ana, 'script')[1]}"}
    url = f"/api/v1/projects/{project.id}/messages"
    posted = client.post(url, csrf=False, headers=headers, json={
        "title": "Budget", "body": "For @Bo, @Cy and @Nobody", "private": True})
    assert posted.status_code == 201
    said = posted.json["mentions"]
    assert said["linked"] == [{"id": bo.id, "name": "Bo"}]
    assert (said["refused"], said["unknown"]) == (["Cy"], ["Nobody"])
    assert "@Cy cannot see this" in said["notices"][0]
    message_id = posted.json["id"]
    comment = client.post(f"{url}/{message_id}/comments", csrf=False, headers=headers,
                          json={"body": "And @Ana"}).json
    assert comment["mentions"]["yourself"] is True and comment["mentions"]["linked"] == []
    edited = client.patch(f"{url}/{message_id}", headers=headers, json={"body": "Now @Bo"}).json
    assert [person["id"] for person in edited["mentions"]["linked"]] == [bo.id]
    assert "mentions" not in client.get(f"{url}/{message_id}", headers=headers).json
    deliver(app)
    mentioned, commented = smtp.to("bo@example.org")  # the edit does not tell him again
    assert "You were mentioned." in parts(mentioned)["text/plain"]
    assert "And @Ana" in parts(commented)["text/plain"]
    assert smtp.to("cy@example.org") == []
