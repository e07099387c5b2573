"""Documents everywhere a project's items appear: activity, feeds (with version notes),
search (the latest text), the API, backup; never to a client when private; and pages whose
cost does not grow with the history."""

from __future__ import annotations

import feedparser
import pytest

from tests.api.test_routes import call
from tests.conftest import count_queries
from workspace.api.tokens import create_token
from workspace.documents.models import Document, DocumentVersion
from workspace.extensions import db

from .helpers import base_url, save, written


@pytest.fixture
def story(make, client_for):
    """A public and a private document, each with a second version and a comment."""
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    team = client_for(ana)
    public = written(team, project, title="Openbrief", body="Openword text\n", note="opening")
    secret = written(team, project, title="Secretplan", body="Hiddenword text\n",
                     private="y", note="hush")
    save(team, public, "Openword text, newer\n", note="Opennote")
    save(team, secret, "Hiddenword newer\n", private="y", note="Secretnote")
    for document in (public, secret):
        team.post(f"{base_url(document)}/comments", data={"body": f"Remark on {document.title}"})
    return project, ana, cy, team, client_for(cy), public, secret


def test_activity_feeds_and_search_show_documents_with_their_version_notes(story):
    project, ana, _cy, team, _client, _public, _secret = story
    activity = team.get("/activity").text
    assert "saved a new version of &#39;Openbrief&#39;: Opennote" in activity
    assert "wrote the document" in activity
    parsed = feedparser.parse(team.get(
        f"/projects/{project.id}/feed.atom?token={ana.feed_token}").data)
    titles = [entry.title for entry in parsed.entries]
    assert any("Openbrief" in title and "Opennote" in title for title in titles), titles
    assert any("Openword text, newer" in entry.content[0].value for entry in parsed.entries)
    found = team.get("/search", query_string={"q": "newer"}).text
    assert "Openbrief" in found and "Secretplan" in found
    assert "Openbrief" in team.get(f"/projects/{project.id}/documents").text


def test_a_client_never_sees_a_private_document_by_any_route(story, client):
    project, _ana, cy, _team, web, public, secret = story
    pages = [f"/projects/{project.id}", f"/projects/{project.id}/documents", "/activity",
             base_url(public), f"{base_url(public)}/versions",
             f"{base_url(public)}/compare?from=1&to=2",
             "/search?q=text", "/search?q=newer", "/search?q=remark"]
    for url in pages:
        page = web.get(url)
        assert page.status_code == 200, url
        assert "Secret" not in page.text and "Hiddenword" not in page.text, url
    assert "Openbrief" in web.get(f"/projects/{project.id}/documents").text
    assert "Openbrief" in web.get("/search?q=newer").text
    for url in (base_url(secret), f"{base_url(secret)}/edit", f"{base_url(secret)}/versions",
                f"{base_url(secret)}/versions/1", f"{base_url(secret)}/compare?from=1&to=2"):
        assert web.get(url).status_code == 404, url
    for url in (f"{base_url(secret)}/comments", f"{base_url(secret)}/versions/1/restore",
                f"{base_url(secret)}/edit", f"{base_url(secret)}/delete"):
        assert web.post(url, data={"body": "peek", "title": "x", "base": "2"}).status_code == 404
    for url in (f"/projects/{project.id}/feed.atom", "/feed.atom", "/feed.rss"):
        feed = web.get(f"{url}?token={cy.feed_token}").text
        assert "Secret" not in feed and "Hiddenword" not in feed, url
    token = create_token(cy, "peek")[1]
    listing = call(client, "GET", f"/projects/{project.id}/documents", token).json
    assert [d["title"] for d in listing] == ["Openbrief"]
    base = f"/projects/{project.id}/documents/{secret.id}"
    for url in (base, f"{base}/versions", f"{base}/versions/1", f"{base}/diff",
                f"{base}/comments"):
        assert call(client, "GET", url, token).status_code == 404, url
    events = call(client, "GET", "/events", token).text
    assert "Secret" not in events and "Hiddenword" not in events
    db.session.refresh(secret)
    assert secret.version_count == 2


def test_a_client_may_write_a_document_but_not_mark_it_private(story):
    project, *_rest, web, _public, _secret = story
    response = web.post(f"/projects/{project.id}/documents/new",
                        data={"title": "Mine", "body": "x", "private": "y"})
    assert response.status_code == 403
    assert written(web, project, title="Clientdoc").private is False


def test_the_api_writes_saves_compares_and_restores_versions(story, client):
    project, ana, *_ = story
    token = create_token(ana, "script")[1]
    base = f"/projects/{project.id}/documents"
    made = call(client, "POST", base, token, {"title": "Spec", "body": "one two three\n"})
    assert made.status_code == 201 and made.json["version"] == 1
    doc = f"{base}/{made.json['id']}"
    saved = call(client, "PATCH", doc, token,
                 {"body": "one 2 three\n", "note": "digits", "base_version": 1})
    assert saved.status_code == 200 and saved.json["version"] == 2
    stale = call(client, "PATCH", doc, token, {"body": "uno two three\n", "base_version": 1})
    assert stale.status_code == 409 and stale.json["error"]["code"] == "outdated"
    assert stale.json["error"]["latest_version"] == 2
    assert stale.json["error"]["merged"] is None  # the same line changed twice
    missing = call(client, "PATCH", doc, token, {"body": "x"})
    assert missing.status_code == 422 and "base_version" in missing.json["error"]["fields"]
    diff = call(client, "GET", f"{doc}/diff?from=1&to=2", token).json
    changed = [s for block in diff["blocks"] for s in block["segments"] if s["op"] != "equal"]
    assert changed == [{"op": "delete", "text": "two"}, {"op": "insert", "text": "2"}]
    versions = call(client, "GET", f"{doc}/versions", token).json
    assert [(v["number"], v["note"]) for v in versions] == [(2, "digits"), (1, "")]
    assert "body" not in versions[0]
    assert call(client, "GET", f"{doc}/versions/1", token).json["body"] == "one two three\n"
    restored = call(client, "POST", f"{doc}/versions/1/restore", token)
    assert restored.status_code == 200 and restored.json["version"] == 3
    assert restored.json["body"] == "one two three\n"
    assert call(client, "POST", f"{doc}/versions/9/restore", token).status_code == 404


def test_document_pages_read_as_much_for_500_versions_as_for_2(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    small = written(team, project, title="Small", body="a\n")
    large = written(team, project, title="Large", body="a\n")
    save(team, small, "b\n")
    db.session.execute(db.insert(DocumentVersion), [
        {"document_id": large.id, "number": n, "title": "Brief", "body": f"text {n}\n",
         "note": "", "size": 7, "author_id": ana.id, "created_at": large.created_at}
        for n in range(2, 501)])
    db.session.execute(db.update(Document).where(Document.id == large.id)
                       .values(version_count=500))
    db.session.commit()
    counts = []
    for document in (small, large):
        measured = []
        for path in ("", "/versions", "/compare?from=1", "/versions/1"):
            with count_queries() as counter:
                assert team.get(base_url(document) + path).status_code == 200
            measured.append(counter.count)
        counts.append(measured)
    assert counts[0] == counts[1]


def test_no_document_page_runs_a_query_while_rendering(make, client_for, app):
    from flask import before_render_template, template_rendered

    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    team.post(f"/projects/{project.id}/folders", data={"name": "Specs"})
    folder = f"/projects/{project.id}/folders/1"
    document = written(team, project, folder_id="1")
    save(team, document, "Newer\n", note="n")
    team.post(f"{base_url(document)}/comments", data={"body": "Remark"})
    rendering, during = [], []

    def ran(*args):  # type: ignore[no-untyped-def]
        if rendering:
            during.append(rendering[-1])

    db.event.listen(db.engine, "before_cursor_execute", ran)
    try:
        with before_render_template.connected_to(
                lambda s, template, context, **e: rendering.append(template.name), app), \
                template_rendered.connected_to(lambda s, template, context, **e: rendering.pop(),
                                               app):
            for path in ("", "/versions", "/versions/1", "/compare?from=1&to=2",
                         "/compare?view=inline", "/edit"):
                assert team.get(base_url(document) + path).status_code == 200, path
            for path in (f"/projects/{project.id}/documents", f"/projects/{project.id}/folders",
                         folder, f"{folder}/edit", f"/projects/{project.id}/files"):
                assert team.get(path).status_code == 200, path
            assert team.post(f"/projects/{project.id}/folders", data={"name": "specs"}
                             ).status_code == 409
            assert team.post(f"{base_url(document)}/comments", data={"body": ""}
                             ).status_code == 400
            assert save(team, document, "Stale\n", base=1).status_code == 409
    finally:
        db.event.remove(db.engine, "before_cursor_execute", ran)
    assert during == []
