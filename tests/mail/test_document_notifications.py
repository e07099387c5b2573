"""Documents in the notification pipeline: @mentions in their text, their followers (the
author and whoever saves a version), a new version told to the followers by email, and a
client never told of a private document or of one in a private folder."""

from tests.api.test_routes import call
from tests.documents.helpers import base_url, save, write, written
from workspace.api.tokens import create_token
from workspace.comments.following import follower_ids
from workspace.documents.models import Document
from workspace.extensions import db
from workspace.notifications.models import Notification

from .conftest import parts
from .test_notifications import deliver

FOLLOWING = "You follow this document: someone saved a new version."


def people(make, *names):
    return [make.user(name, email=f"{name.lower()}@example.org") for name in names]


def reasons_for(smtp, address):
    return [parts(message)["text/plain"] for message in smtp.to(address)]


def private_folder(client, project, name="Board"):
    response = client.post(f"/projects/{project.id}/folders",
                           data={"name": name, "private": "y"})
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_a_mention_in_a_document_links_notifies_at_once_and_makes_a_follower(
        app, make, client_for, smtp):
    ana, bo, cy = people(make, "Ana", "Bo", "Cy")
    project = make.project(owner=ana, members=(bo, cy))
    document = written(client_for(ana), project, body="Over to @Bo for the numbers.\n")
    page = client_for(ana).get(base_url(document)).text
    assert f'class="mention" data-person="{bo.id}">@Bo</span>' in page
    assert follower_ids(document.item_id) == {ana.id, bo.id}
    deliver(app)
    [to_bo] = reasons_for(smtp, "bo@example.org")
    assert "You were mentioned." in to_bo
    # Bo mentions Cy in a new version: Cy is called in; Bo, mentioned again, is not told twice.
    assert save(client_for(bo), document, "Over to @Bo and @Cy.\n").status_code == 302
    deliver(app)
    assert len(smtp.to("bo@example.org")) == 1
    [to_cy] = reasons_for(smtp, "cy@example.org")
    assert "You were mentioned." in to_cy
    [to_ana] = reasons_for(smtp, "ana@example.org")  # the author follows it
    assert FOLLOWING in to_ana
    assert follower_ids(document.item_id) == {ana.id, bo.id, cy.id}


def test_a_new_version_reaches_the_followers_and_whoever_saves_one_follows(
        app, make, client_for, smtp):
    ana, bo, cy, di = people(make, "Ana", "Bo", "Cy", "Di")
    bo.locale = "fr"
    db.session.commit()
    project = make.project(owner=ana, members=(bo, cy, di))
    document = written(client_for(ana), project)
    deliver(app)
    assert smtp.messages == []  # a first version tells nobody but the mentioned
    save(client_for(bo), document, "Second.\n", note="budget")
    assert follower_ids(document.item_id) == {ana.id, bo.id}
    save(client_for(cy), document, "Third.\n")
    client_for(di).post(f"/projects/{project.id}/items/{document.item_id}/follow")
    client_for(ana).post(f"/projects/{project.id}/items/{document.item_id}/unfollow")
    answer = client_for(bo).post(f"{base_url(document)}/versions/1/restore")
    assert answer.status_code == 302
    deliver(app)
    assert len(smtp.to("ana@example.org")) == 2  # Bo's and Cy's versions, not after she stopped
    assert [FOLLOWING in text for text in reasons_for(smtp, "ana@example.org")] == [True, True]
    [to_bo] = reasons_for(smtp, "bo@example.org")  # Cy's version; his own restore is not told
    assert "Vous suivez ce document : quelqu\u2019un en a enregistré une nouvelle version." in to_bo
    assert len(smtp.to("cy@example.org")) == 1 and len(smtp.to("di@example.org")) == 1
    page = client_for(di).get(base_url(document)).text
    assert "3 followers" in page
    assert all(f'<span class="follower">{p.name}</span>' in page for p in (bo, cy, di))
    assert f"/items/{document.item_id}/unfollow" in page


def test_a_client_is_never_mentioned_on_a_private_document_and_the_author_is_told(
        app, make, client_for, smtp):
    ana, cy = people(make, "Ana", "Cy")
    project = make.project(owner=ana, clients=(cy,))
    fields = {"title": "Budget", "body": "Ask @Cy", "private": "y"}
    preview = write(client_for(ana), project, preview="1", **fields)
    assert preview.status_code == 200
    assert "@Cy cannot see this" in preview.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 0
    folder_id = private_folder(client_for(ana), project)
    in_folder = write(client_for(ana), project, preview="1", folder_id=str(folder_id),
                      title="Plan", body="Ask @Cy")
    assert "@Cy cannot see this" in in_folder.text  # the folder's mark counts
    team = client_for(ana)
    saved = write(team, project, **fields)
    assert saved.status_code == 302
    page = team.get(saved.headers["Location"]).text
    assert "@Cy cannot see this" in page
    assert 'class="mention"' not in page
    filed = written(client_for(ana), project, title="Plan", body="Ask @Cy",
                    folder_id=str(folder_id))
    assert follower_ids(filed.item_id) == {ana.id}
    deliver(app)
    assert smtp.messages == []
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)) == 0


def test_a_client_following_a_document_hears_nothing_once_it_is_in_a_private_folder(
        app, make, client_for, smtp):
    ana, bo, cy = people(make, "Ana", "Bo", "Cy")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    document = written(client_for(ana), project, body="Open.\n")
    client_for(cy).post(f"/projects/{project.id}/items/{document.item_id}/follow")
    save(client_for(bo), document, "Seen by the client.\n")
    deliver(app)
    assert len(smtp.to("cy@example.org")) == 1
    # A version is announced, then the document goes into a private folder before the email
    # leaves: the outbox checks again, and the client hears nothing of it.
    save(client_for(bo), document, "Queued.\n")
    folder_id = private_folder(client_for(ana), project)
    moved = client_for(ana).post(f"{base_url(document)}/move",
                                 data={"folder_id": str(folder_id)})
    assert moved.status_code == 302
    save(client_for(bo), document, "Private now.\n")
    deliver(app)
    assert len(smtp.to("cy@example.org")) == 1
    assert len(smtp.to("ana@example.org")) == 3
    page = client_for(cy).get("/notifications").text
    assert "Private now" not in page and document.title not in page


def test_the_api_lists_a_documents_followers_and_follows_and_stops_for_oneself(
        app, make, client_for, client):
    ana, bo, cy, eve = people(make, "Ana", "Bo", "Cy", "Eve")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    make.project("Other", owner=eve)
    document = written(client_for(ana), project)
    secret = written(client_for(ana), project, title="Secret", private="y")
    path = f"/projects/{project.id}/documents/{document.id}/followers"
    bo_token, cy_token, eve_token = (create_token(p, "script")[1] for p in (bo, cy, eve))
    assert call(client, "GET", path, bo_token).json == [{"id": ana.id, "name": "Ana"}]
    assert [p["name"] for p in call(client, "POST", path, cy_token).json] == ["Ana", "Cy"]
    assert [p["name"] for p in call(client, "DELETE", path, cy_token).json] == ["Ana"]
    assert call(client, "GET", path, eve_token).status_code == 404
    private_path = f"/projects/{project.id}/documents/{secret.id}/followers"
    assert call(client, "POST", private_path, cy_token).status_code == 404
    assert call(client, "GET", private_path, bo_token).status_code == 200
    assert follower_ids(secret.item_id) == {ana.id}


def test_the_document_form_offers_the_people_who_may_see_it(app, make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    new = team.get(f"/projects/{project.id}/documents/new").text
    assert f'data-mentions="/projects/{project.id}/mentionable"' in new
    assert "mentions.js" in new
    folder_id = private_folder(team, project)
    in_folder = team.get(f"/projects/{project.id}/documents/new?folder_id={folder_id}").text
    assert f'data-mentions="/projects/{project.id}/mentionable?private=1"' in in_folder
    document = written(team, project)
    edit = team.get(f"{base_url(document)}/edit").text
    assert f'data-mentions="/projects/{project.id}/items/{document.item_id}/mentionable"' in edit
