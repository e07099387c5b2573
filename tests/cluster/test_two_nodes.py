"""Two nodes behind nginx agree: what one node stores, writes, forgets or counts, the other
sees at once. Every request goes through nginx; `X-Upstream` says which node answered."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import feedparser
import requests

from tests.cluster.cluster import Browser, Cluster, Node, csrf_in
from workspace.api.tokens import create_token
from workspace.extensions import db
from workspace.files.models import ProjectFile

MB = 1024 * 1024


def signed_in(cluster: Cluster, email: str, **options: object) -> Browser:
    browser = Browser(cluster)
    assert browser.sign_in(email, **options).status_code == 302  # type: ignore[arg-type]
    return browser


def upload(browser: Browser, project_id: int, name: str, content: bytes,
           timeout: float = 60) -> requests.Response:
    return browser.post(f"/projects/{project_id}/files", files={"files": (name, content)},
                        headers={"Accept": "application/json"}, timeout=timeout)


def local_files(node: Node) -> list[Path]:
    return [path for path in node.uploads.rglob("*") if path.is_file()]


def test_a_file_uploaded_on_one_node_downloads_from_the_other(cluster, make):
    ana = make.user("Ana")
    project_id = make.project(owner=ana).id
    browser = signed_in(cluster, ana.email)
    content = os.urandom(3 * MB)

    stored = upload(browser, project_id, "plan.bin", content)
    assert stored.status_code == 201, stored.text
    uploader = cluster.node_of(stored)
    file_id = stored.json()["files"][0]["id"]
    download = browser.get_from(cluster.other(uploader),
                                f"/projects/{project_id}/files/{file_id}/download")

    assert download.status_code == 200
    assert download.content == content
    assert local_files(uploader) == []  # in the bucket, not on the node that took it


def test_a_document_version_saved_on_one_node_shows_on_the_other(cluster, make):
    ana = make.user("Ana")
    project_id = make.project(owner=ana).id
    browser = signed_in(cluster, ana.email)
    created = browser.post(f"/projects/{project_id}/documents/new",
                           data={"title": "Handbook", "body": "First words."})
    assert created.status_code == 302
    path = created.headers["Location"]
    first, second = cluster.nodes
    assert "First words." in browser.get_from(second, path).text  # each node has shown it

    assert "First words." in browser.get_from(first, path).text
    edited = browser.post_on(first, f"{path}/edit", data={
        "title": "Handbook", "body": "Second words.", "base": "1", "note": "clearer"})

    assert edited.status_code == 302
    page = browser.get_from(second, path).text
    assert "Second words." in page and "First words." not in page
    versions = browser.get_from(second, f"{path}/versions").text
    assert "clearer" in versions


def test_signing_out_on_one_node_ends_the_session_on_both(cluster, make):
    ana = make.user("Ana")
    for remember in (False, True):
        browser = signed_in(cluster, ana.email, remember=remember)
        cookies = browser.http.cookies.copy()
        first, second = cluster.nodes
        for node in (first, second):  # both nodes have verified (and remember) the cookie
            assert browser.get_from(node, "/settings/profile").status_code == 200

        assert browser.post_on(first, "/logout").status_code == 302

        stolen = Browser(cluster)
        stolen.http.cookies.update(cookies)
        for node in (second, first):
            refused = stolen.get_from(node, "/settings/profile")
            assert refused.status_code == 302
            assert "/login" in refused.headers["Location"]


def test_the_rate_limits_trip_at_their_count_across_both_nodes(cluster, make):
    ana = make.user("Ana")
    guesser = Browser(cluster)
    attempts = []
    for number in range(8):
        cluster.next_request_to(cluster.nodes[number % 2])  # the form there, the attempt not
        attempts.append(guesser.sign_in(ana.email, password="guessing"))
    # 5 per minute (the cluster's WORKSPACE_LOGIN_RATE_LIMIT), with four workers on two nodes.
    assert [attempt.status_code for attempt in attempts] == [400] * 5 + [429] * 3
    assert {cluster.node_of(attempt) for attempt in attempts} == set(cluster.nodes)

    token = create_token(ana, "script")[1]
    db.session.commit()
    calls = [requests.get(f"{cluster.url}/api/v1/me", timeout=30,
                          headers={"Authorization": f"Bearer {token}"}) for _ in range(14)]
    assert [call.status_code for call in calls] == [200] * 10 + [429] * 4
    assert {cluster.node_of(call) for call in calls} == set(cluster.nodes)


def test_a_rename_on_one_node_shows_in_the_other_nodes_feed(cluster, make):
    ana = make.user("Ana Smith")
    project_id = make.project("Launch plan", owner=ana).id
    feed_url = f"/projects/{project_id}/feed.atom?token={ana.feed_token}"
    browser = signed_in(cluster, ana.email)
    posted = browser.post(f"/projects/{project_id}/messages/new",
                          data={"title": "Kick-off", "body": "Tomorrow at nine."})
    assert posted.status_code == 302
    first, second = cluster.nodes
    before = feedparser.parse(browser.get_from(second, feed_url).content)
    assert before.feed.title == "Launch plan"
    assert before.entries[0].author == "Ana Smith"

    renamed = browser.post_on(first, f"/projects/{project_id}/edit",
                              data={"name": "Launch plan v2", "description": ""})
    assert renamed.status_code == 302
    assert feedparser.parse(browser.get_from(second, feed_url).content).feed.title == (
        "Launch plan v2")
    profile = browser.post_on(first, "/settings/profile",
                              data={"name": "Ana Jones", "locale": "", "timezone": "UTC"})
    assert profile.status_code == 302
    after = feedparser.parse(browser.get_from(second, feed_url).content)
    assert after.entries[0].author == "Ana Jones"
    assert "Launch plan v2" in browser.get_from(second, f"/projects/{project_id}").text


def test_the_schedulers_of_both_nodes_send_every_email_once(cluster, make):
    people = [make.user(f"Reader {number}") for number in range(8)]
    for person in people:  # each from a browser of its own, through either node
        browser = Browser(cluster)
        form = browser.get("/password/forgot")
        asked = browser.http.post(f"{cluster.url}/password/forgot", allow_redirects=False,
                                  timeout=30, data={"email": person.email,
                                                    "csrf_token": csrf_in(form.text)})
        assert asked.status_code == 303, asked.text
    addresses = {person.email for person in people}

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not addresses <= received(cluster):
        time.sleep(0.2)
    time.sleep(3)  # three more rounds of both schedulers

    assert all(node.processes[-1].poll() is None for node in cluster.nodes)  # both running
    sent = [message["To"] for message in cluster.inbox.messages if message["To"] in addresses]
    assert sorted(sent) == sorted(addresses)


def received(cluster: Cluster) -> set[str]:
    return {message["To"] for message in cluster.inbox.messages}


def read_bytes(pid: int) -> int:
    """What a process has read so far (its uploads arrive through read calls)."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    return 0


def kill_the_node_reading_an_upload(cluster: Cluster, timeout: float = 30) -> Node | None:
    """Wait until a worker has read 4 MB more than when this began, then SIGKILL its node."""
    start = {pid: read_bytes(pid) for node in cluster.nodes for pid in node.worker_pids()}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for node in cluster.nodes:
            for pid in node.worker_pids():
                try:
                    grown = read_bytes(pid) - start.get(pid, 0)
                except FileNotFoundError:
                    continue
                if grown > 4 * MB:
                    node.kill()
                    return node
        time.sleep(0.002)
    return None


def test_a_node_killed_mid_upload_loses_nothing_and_the_other_serves_on(cluster, make):
    ana = make.user("Ana")
    project_id = make.project(owner=ana).id
    uploader, reader = signed_in(cluster, ana.email), signed_in(cluster, ana.email)
    earlier = {}
    for name in ("one.bin", "two.bin"):  # one on each node, before the crash
        content = os.urandom(MB)
        earlier[upload(uploader, project_id, name, content).json()["files"][0]["id"]] = content
    big = os.urandom(64 * MB)
    outcome: list[object] = []
    pages: list[int] = []
    stop = threading.Event()

    def send_big() -> None:
        try:
            outcome.append(upload(uploader, project_id, "big.bin", big).status_code)
        except requests.RequestException as error:
            outcome.append(error)

    def read_pages() -> None:
        while not stop.is_set():
            pages.append(reader.get(f"/projects/{project_id}/files").status_code)

    threads = [threading.Thread(target=send_big), threading.Thread(target=read_pages)]
    for thread in threads:
        thread.start()
    killed = kill_the_node_reading_an_upload(cluster)
    threads[0].join(timeout=60)
    time.sleep(1)  # the reader goes on against the one node left
    stop.set()
    threads[1].join(timeout=60)
    try:
        assert killed is not None
        assert outcome and outcome[0] != 201, outcome  # cut: nginx answers 502
        assert pages and set(pages) == {200}, pages
        files = db.session.scalars(db.select(ProjectFile.name).filter_by(
            project_id=project_id)).all()
        assert sorted(files) == ["one.bin", "two.bin"]  # no half file
        for file_id, content in earlier.items():  # the killed node's uploads too
            download = reader.get(f"/projects/{project_id}/files/{file_id}/download")
            assert download.status_code == 200 and download.content == content
        again = upload(uploader, project_id, "big.bin", big, timeout=120)
        assert again.status_code == 201
        assert cluster.node_of(again) is cluster.other(killed)
        file_id = again.json()["files"][0]["id"]
        assert reader.get(f"/projects/{project_id}/files/{file_id}/download").content == big
    finally:
        if killed is not None:
            killed.revive()
    assert not [line for line in cluster.errors_logged() if "Traceback" in line]


def test_both_nodes_report_their_dependencies(cluster):
    for node in cluster.nodes:
        response = requests.get(f"{node.url}/health", timeout=30)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "checks": {
            "database": "ok", "redis": "ok", "storage": "ok"}}
