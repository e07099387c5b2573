"""A feed asked for again with nothing new is served from the worker's memory: the same
bytes, the queries of a 304 poll and no more; anything new in it makes a new body."""

from __future__ import annotations

import gzip

import pytest

from tests.conftest import count_queries
from workspace.kept import Bodies

from .test_feed_contract import post


@pytest.mark.parametrize("path", ["/projects/{id}/feed.atom", "/feed.rss"])
def test_a_repeated_feed_is_not_rebuilt_until_something_changes(make, client_for, client, path):
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project("Launch", owner=ana, clients=(cy,))
    team = client_for(ana)
    post(team, project, "Launch plan")
    url = path.format(id=project.id) + f"?token={ana.feed_token}"
    first = client.get(url)

    with count_queries() as again:
        second = client.get(url)
    with count_queries() as poll:
        client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    post(team, project, "Budget", private="y")
    changed = client.get(url)
    as_client = client.get(url.replace(ana.feed_token, cy.feed_token))

    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert again.count == poll.count
    assert b"Budget" in changed.data and b"Budget" not in first.data
    assert b"Launch plan" in as_client.data and b"Budget" not in as_client.data


def test_bodies_keep_the_most_recently_used_for_a_while():
    built: list[str] = []
    bodies = Bodies(max_entries=2, max_age=60)

    def build(name: str) -> bytes:
        built.append(name)
        return name.encode()

    for name in ("a", "b", "a", "c", "a", "b"):
        assert bodies.get_or_build((name,), lambda name=name: build(name)) == name.encode()

    assert built == ["a", "b", "c", "b"]  # "b" was the least recently used when "c" came
    expired = Bodies(max_entries=2, max_age=0)
    expired.get_or_build(("a",), lambda: build("a"))
    expired.get_or_build(("a",), lambda: build("a"))
    assert built[-2:] == ["a", "a"]


@pytest.mark.parametrize("path", ["/projects/{id}/feed.atom", "/feed.rss",
                                  "/projects/{id}/milestones.ics", "/milestones.ics"])
def test_readers_that_take_gzip_get_the_same_body_gzipped(make, client_for, client, path):
    ana = make.user("Ana")
    project = make.project("Launch", owner=ana)
    post(client_for(ana), project, "Launch plan")
    url = path.format(id=project.id) + f"?token={ana.feed_token}"
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "deflate, gzip"})
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, deflate"})

    assert "Content-Encoding" not in plain.headers and "Content-Encoding" not in refused.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data == refused.data
    for response in (plain, packed, refused):
        assert "Accept-Encoding" in response.headers["Vary"]
    # Conditional requests compare validators weakly: either form earns the 304.
    assert packed.headers["ETag"] == f"W/{plain.headers['ETag']}"
    for etag in (plain.headers["ETag"], packed.headers["ETag"]):
        for encoding in ("gzip", "identity"):
            poll = client.get(url, headers={"If-None-Match": etag, "Accept-Encoding": encoding})
            assert poll.status_code == 304 and not poll.data


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_a_feed_built_again_from_kept_entries_is_the_same_document(
        app, make, client_for, client, kind):
    ana = make.user("Ana")
    project = make.project("Launch", owner=ana)
    team = client_for(ana)
    for title in ("Launch plan", "Budget <draft>", "Ünïcode & friends"):
        post(team, project, title)
    url = f"/projects/{project.id}/feed.{kind}?token={ana.feed_token}"
    cold = client.get(url + "&n=1").data  # every entry written by feedgen in one document
    warm = client.get(url + "&n=2").data  # a new URL: built again, its entries kept
    kept = app.extensions["workspace.kept.feed-entries"]
    post(team, project, "Retrospective")
    mixed = client.get(url + "&n=3").data  # one new entry among kept ones
    entries_kept = len(kept.entries)
    kept.clear()
    fresh = client.get(url + "&n=3").data

    assert warm == cold.replace(b"&amp;n=1", b"&amp;n=2")
    assert entries_kept == 4 and mixed == fresh
    assert mixed.count(b"<entry>" if kind == "atom" else b"<item>") == 4
