"""A long discussion shows its newest comments; a link shows the earlier ones a page at a time,
without JavaScript, and the heading still counts them all."""

from __future__ import annotations

from workspace.comments import operations
from workspace.extensions import db

from .helpers import comment, posted


def bodies_on(page: str, count: int) -> list[int]:
    return [n for n in range(count) if f"<p>Point number {n}.</p>" in page]


def test_a_long_thread_shows_the_newest_comments_and_pages_back(make, client_for,
                                                                 monkeypatch):
    monkeypatch.setattr(operations, "THREAD_PAGE", 3)
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    message = posted(client, project)
    for n in range(7):
        comment(client, message, f"Point number {n}.")
    url = f"/projects/{project.id}/messages/{message.id}"

    newest = client.get(url).data.decode()
    assert bodies_on(newest, 7) == [4, 5, 6]
    assert "7 comments" in newest
    assert "Show earlier comments (4 more)" in newest
    assert "Back to the latest comments" not in newest

    first_shown = operations.thread_of(message).comments[0].id
    assert f'href="{url}?before={first_shown}#comments-heading"' in newest
    earlier = client.get(f"{url}?before={first_shown}").data.decode()
    assert bodies_on(earlier, 7) == [1, 2, 3]
    assert "7 comments" in earlier and "Show the earlier comment" in earlier
    assert f'<a href="{url}#comments-heading">Back to the latest comments</a>' in earlier

    oldest = operations.thread_of(message, before=operations.thread_of(
        message, before=first_shown).comments[0].id)
    assert [c.body for c in oldest.comments] == ["Point number 0."]
    assert oldest.earlier == 0 and oldest.total == 7


def test_the_earlier_comments_link_is_in_french(make, client_for, monkeypatch):
    monkeypatch.setattr(operations, "THREAD_PAGE", 1)
    ana = make.user("Ana")
    ana.locale = "fr"
    db.session.commit()
    project = make.project(owner=ana)
    client = client_for(ana)
    message = posted(client, project)
    for n in range(3):
        comment(client, message, f"Point number {n}.")
    url = f"/projects/{project.id}/messages/{message.id}"
    page = client.get(url).data.decode()
    assert "Afficher les commentaires précédents (2 de plus)" in page
    before = operations.thread_of(message).comments[0].id
    page = client.get(f"{url}?before={before}").data.decode()
    assert "Afficher le commentaire précédent" in page
    assert "Revenir aux derniers commentaires" in page


def test_a_nonsense_before_shows_the_newest_comments(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    message = posted(client, project)
    comment(client, message, "Point number 0.")
    url = f"/projects/{project.id}/messages/{message.id}"
    for before in ("9" * 30, "-3", "abc"):
        page = client.get(f"{url}?before={before}").data.decode()
        assert bodies_on(page, 1) == [0]
