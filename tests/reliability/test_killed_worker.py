"""A gunicorn worker killed with SIGKILL in the middle of an upload or of a message post: no
half item is ever visible, the site goes on serving, and what is left on disk is exactly what
`workspace files gc` removes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from workspace.activity.models import Event
from workspace.extensions import db
from workspace.files.models import FileVersion, ProjectFile
from workspace.messages.models import Message

from .server import BIN, ROOT, Deployment, Visitor

MB = 1024 * 1024


def worker_writing(deployment: Deployment, temporary: Path) -> int | None:
    """The worker that has `temporary` open, if any."""
    for pid in deployment.worker_pids():
        for descriptor in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(descriptor) == str(temporary):
                    return pid
            except OSError:
                continue
    return None


def kill_the_worker_storing_an_upload(deployment: Deployment, timeout: float = 30) -> bool:
    """Wait for an upload's temporary file, then SIGKILL the worker writing it."""
    temporaries = deployment.uploads / "tmp"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for temporary in temporaries.glob("upload-*") if temporaries.exists() else ():
            if (pid := worker_writing(deployment, temporary)) is not None:
                os.kill(pid, signal.SIGKILL)
                return True
        time.sleep(0.001)
    return False


def collect_garbage(deployment: Deployment) -> str:
    result = subprocess.run([str(BIN / "workspace"), "files", "gc", "--stale-after", "0"],
                            env=deployment.env, cwd=ROOT, capture_output=True, text=True,
                            check=True)
    return result.stdout


def blobs_on_disk(uploads: Path) -> set[str]:
    return {path.name for path in uploads.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]/*")}


def referenced_blobs() -> set[str]:
    db.session.rollback()
    versions = db.session.execute(db.select(FileVersion.sha256, FileVersion.thumbnail_sha256))
    return {sha256 for pair in versions for sha256 in pair if sha256}


def leftovers(uploads: Path) -> list[Path]:
    return [path for path in (uploads / "tmp").iterdir()] if (uploads / "tmp").exists() else []


def test_a_worker_killed_while_storing_an_upload_leaves_only_what_gc_removes(
        make, database_url, tmp_path):
    ana = make.user("Ana")
    project_id = make.project(owner=ana).id  # threads have no app context to load it in
    (tmp_path / "instance").mkdir()
    with Deployment(database_url, tmp_path / "instance", tmp_path / "uploads") as deployment:
        visitor = Visitor(deployment.url, ana.email)
        outcome: list[object] = []

        def upload() -> None:
            try:
                outcome.append(visitor.post(f"/projects/{project_id}/files", files={
                    "files": ("big.bin", os.urandom(48 * MB))}).status_code)
            except requests.RequestException as error:
                outcome.append(error)

        sender = threading.Thread(target=upload)
        sender.start()
        killed = kill_the_worker_storing_an_upload(deployment)
        sender.join(timeout=60)
        assert killed and isinstance(outcome[0], requests.ConnectionError), (killed, outcome)
        deployment.wait_until_ready()
        assert "big.bin" not in visitor.get(f"/projects/{project_id}/files").text
        assert db.session.scalar(db.select(db.func.count()).select_from(ProjectFile)) == 0
        # The site goes on: the same upload succeeds after the crash.
        again = visitor.post(f"/projects/{project_id}/files",
                             files={"files": ("small.txt", b"after the crash")})
        assert again.status_code == 302
    assert len(leftovers(deployment.uploads)) == 1
    assert "1 stale temporary file(s)" in collect_garbage(deployment)
    assert leftovers(deployment.uploads) == []
    assert blobs_on_disk(deployment.uploads) == referenced_blobs()
    [kept] = db.session.scalars(db.select(ProjectFile.name)).all()
    assert kept == "small.txt"


def post_with_attachment(visitor: Visitor, project_id: int, title: str) -> str:
    """Post a message with a file; 'saved', 'cut' (connection lost) or an unexpected status."""
    try:
        response = visitor.post(
            f"/projects/{project_id}/messages/new", data={"title": title, "body": "Kill test."},
            files={"attachments": (f"{title}.bin", os.urandom(2 * MB))})
    except requests.ConnectionError:
        return "cut"
    return "saved" if response.status_code == 302 else f"status {response.status_code}"


def test_workers_killed_during_message_posts_leave_no_partial_message(
        make, database_url, tmp_path):
    kill_during_posts(make, database_url, tmp_path, kills=8)


@pytest.mark.soak
@pytest.mark.timeout(600)
def test_workers_killed_again_and_again_for_thirty_seconds(make, database_url, tmp_path):
    kill_during_posts(make, database_url, tmp_path, kills=60)


def kill_during_posts(make, database_url, tmp_path, kills: int) -> None:  # type: ignore[no-untyped-def]
    """Four people post messages with attachments while workers are killed, `kills` times."""
    ana = make.user("Ana")
    project_id = make.project(owner=ana).id
    (tmp_path / "instance").mkdir()
    outcomes: dict[str, str] = {}
    stop = threading.Event()

    def write(visitor: Visitor, number: int) -> None:
        for turn in range(10_000):
            if stop.is_set():
                return
            title = f"writer {number} turn {turn}"
            outcomes[title] = post_with_attachment(visitor, project_id, title)

    with Deployment(database_url, tmp_path / "instance", tmp_path / "uploads") as deployment:
        writers = [threading.Thread(target=write, args=(Visitor(deployment.url, ana.email), n))
                   for n in range(4)]
        for writer in writers:
            writer.start()
        for _ in range(kills):
            time.sleep(0.4)
            os.kill(random.choice(deployment.worker_pids()), signal.SIGKILL)
            deployment.wait_until_ready()
        stop.set()
        for writer in writers:
            writer.join(timeout=60)
    assert set(outcomes.values()) <= {"saved", "cut"}
    assert "cut" in outcomes.values() and "saved" in outcomes.values()
    collect_garbage(deployment)
    db.session.rollback()
    titles = set(db.session.scalars(db.select(Message.title)))
    assert {title for title, outcome in outcomes.items() if outcome == "saved"} <= titles
    assert titles <= set(outcomes)
    assert_every_message_is_whole(titles)
    assert blobs_on_disk(deployment.uploads) == referenced_blobs()
    assert leftovers(deployment.uploads) == []


def assert_every_message_is_whole(titles: set[str]) -> None:
    """Each message that exists has its attachment, its content and its event."""
    for message in db.session.scalars(db.select(Message)):
        [attachment] = db.session.scalars(db.select(ProjectFile).filter_by(
            attached_type="message", attached_id=message.id)).all()
        assert attachment.name == f"{message.title}.bin" and attachment.size == 2 * MB
        assert db.session.scalar(db.select(db.func.count()).select_from(Event).filter_by(
            subject_type="message", subject_id=message.id)) >= 1
