"""`workspace backup PATH` while people write, then `workspace restore PATH` into a fresh
instance: every item of the backup is there, with its content, and nothing half-made. With
contents in the local folder, and in an S3 bucket (backed up from one, restored into another)."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import BACKENDS, scratch_postgres_database, test_config
from tests.s3 import new_store
from workspace import create_app
from workspace.extensions import db
from workspace.files.models import FileVersion, ProjectFile
from workspace.messages.models import Message

WRITERS = 4


def post_message(client, project, title: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post(f"/projects/{project.id}/messages/new",
                           data={"title": title, "body": f"Body of {title}"})
    assert response.status_code == 302, response.text


def upload(client, project, name: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post(f"/projects/{project.id}/files",
                           data={"files": (io.BytesIO(os.urandom(20_000)), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.text


class Writers:
    """People posting messages and uploading files, each through their own connection,
    until stopped."""

    def __init__(self, app: Flask, client_for, user, project) -> None:  # type: ignore[no-untyped-def]
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self.write, args=(app, client_for(user),
                                                                   project.id, number))
                        for number in range(WRITERS)]

    def write(self, app: Flask, client, project_id: int, number: int) -> None:  # type: ignore[no-untyped-def]
        project = type("P", (), {"id": project_id})
        with app.app_context():
            try:
                for turn in range(10_000):
                    if self.stop.is_set():
                        return
                    post_message(client, project, f"writer {number} turn {turn}")
                    upload(client, project, f"writer-{number}-{turn}.bin")
            except BaseException as error:
                self.errors.append(error)

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


@pytest.fixture
def fresh_instance(database_url: str, tmp_path_factory, any_store: str,  # type: ignore[no-untyped-def]
                   request: pytest.FixtureRequest) -> Iterator[Flask]:
    """A second, empty instance of the same kind: its own database and file storage (a
    folder, or a bucket when the test's instance stores in one)."""
    store = {"WORKSPACE_UPLOAD_DIR": str(tmp_path_factory.mktemp("fresh-uploads")),
             **new_store(any_store, request)}
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path_factory.mktemp('fresh') / 'workspace.db'}"
        yield create_app({**test_config(url), **store})
        return
    with scratch_postgres_database(f"workspace_restore_{os.getpid()}") as url:
        fresh = create_app({**test_config(url), **store})
        yield fresh
        with fresh.app_context():
            db.engine.dispose()


def test_a_backup_during_writes_restores_every_item_into_a_fresh_instance(
        app, make, client_for, fresh_instance, tmp_path_factory):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    for number in range(3):
        post_message(client_for(ana), project, f"before {number}")
        upload(client_for(ana), project, f"before-{number}.bin")
    target = tmp_path_factory.mktemp("backups") / "backup"
    with Writers(app, client_for, ana, project) as writers:
        while db.session.scalar(db.select(db.func.count()).select_from(Message)) < 12:
            threading.Event().wait(0.05)
        result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert writers.errors == []
    assert result.exit_code == 0, result.output
    live_titles = set(db.session.scalars(db.select(Message.title)))

    with fresh_instance.app_context():  # the CLI acts on the app whose context is current
        restored = fresh_instance.test_cli_runner().invoke(args=["restore", str(target)])
        assert restored.exit_code == 0, restored.output
        titles = set(db.session.scalars(db.select(Message.title)))
        assert {f"before {number}" for number in range(3)} <= titles <= live_titles
        assert len(titles) >= 12
        names = set(db.session.scalars(db.select(ProjectFile.name)))
        assert {f"before-{number}.bin" for number in range(3)} <= names
        assert_every_file_is_whole(fresh_instance)


def assert_every_file_is_whole(instance: Flask) -> None:
    """Each restored file downloads with exactly the content its version records."""
    from workspace.auth.models import User
    from workspace.auth.operations import open_session

    client = instance.test_client()
    ana = db.session.scalars(db.select(User)).one()
    with client.session_transaction() as session:
        session["_user_id"] = open_session(ana)
    files = db.session.scalars(db.select(ProjectFile)).all()
    assert files
    for project_file in files:
        version = db.session.scalars(db.select(FileVersion).filter_by(
            file_id=project_file.id)).one()
        response = client.get(
            f"/projects/{project_file.project_id}/files/{project_file.id}/download")
        assert response.status_code == 200
        assert hashlib.sha256(response.data).hexdigest() == version.sha256


def test_a_backup_as_an_archive_restores_only_into_an_empty_instance_unless_forced(
        app, make, client_for, fresh_instance, tmp_path_factory):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    post_message(client_for(ana), project, "Kept")
    upload(client_for(ana), project, "kept.bin")
    archive = tmp_path_factory.mktemp("backups") / "workspace.tar.gz"
    assert app.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0
    again = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert again.exit_code != 0 and "already exists" in again.output

    refused = app.test_cli_runner().invoke(args=["restore", str(archive)])
    assert refused.exit_code != 0 and "not empty" in refused.output
    runner = fresh_instance.test_cli_runner()
    with fresh_instance.app_context():
        assert runner.invoke(args=["restore", str(archive)]).exit_code == 0, "fresh instance"
        forced = runner.invoke(args=["restore", str(archive), "--force"])
        assert forced.exit_code == 0, forced.output
        assert db.session.scalars(db.select(Message.title)).all() == ["Kept"]
        assert_every_file_is_whole(fresh_instance)


def test_restore_refuses_what_is_not_a_backup(app, tmp_path: Path):
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path)])
    assert result.exit_code != 0 and "not a Workspace backup" in result.output


@pytest.mark.parametrize("database_url", BACKENDS[1:], indirect=True)  # PostgreSQL's only
def test_a_backup_without_pg_dump_says_what_to_install_and_leaves_nothing(
        app, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    target = tmp_path / "backup"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code != 0 and "pg_dump is not installed" in result.output
    assert "postgresql-client" in result.output
    assert not target.exists() and list(tmp_path.glob(".backup-*")) == []
