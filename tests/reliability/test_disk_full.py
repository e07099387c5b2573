"""The disk fills up during an upload: the person is told plainly (507, their form kept),
nothing half-written is left, and the files already stored are intact."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

from workspace.api.tokens import create_token
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.messages.models import Message

from .server import Deployment, Visitor

MB = 1024 * 1024


def upload(client, project, content: bytes, name: str, **headers):  # type: ignore[no-untyped-def]
    return client.post(f"/projects/{project.id}/files", headers=headers,
                       data={"files": (io.BytesIO(content), name),
                             "description": "Quarterly figures"},
                       content_type="multipart/form-data")


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_a_full_disk_refuses_the_upload_clearly_and_keeps_the_rest(
        app, make, client_for, small_disk):
    app.config["WORKSPACE_UPLOAD_DIR"] = str(small_disk)
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    first = os.urandom(MB)
    assert upload(client, project, first, "first.bin").status_code == 302
    kept = stored_files(small_disk)

    response = upload(client, project, os.urandom(3 * MB), "too-big-for-the-disk.bin")
    assert response.status_code == 507
    assert "no space left to store this file" in response.text
    assert "Quarterly figures" in response.text  # the form is kept
    assert stored_files(small_disk) == kept  # no temporary, no half blob
    assert db.session.scalars(db.select(ProjectFile.name)).all() == ["first.bin"]
    [blob] = kept
    assert hashlib.sha256(blob.read_bytes()).digest() == hashlib.sha256(first).digest()
    [only] = db.session.scalars(db.select(ProjectFile)).all()
    download = client.get(f"/projects/{project.id}/files/{only.id}/download")
    assert download.status_code == 200 and download.data == first


def test_a_full_disk_answers_507_to_the_upload_script_and_the_api(
        app, make, client_for, small_disk):
    app.config["WORKSPACE_UPLOAD_DIR"] = str(small_disk)
    ana = make.user("Ana")
    project = make.project(owner=ana)
    script = upload(client_for(ana), project, os.urandom(3 * MB), "big.bin",
                    Accept="application/json")
    assert script.status_code == 507
    assert "no space left" in script.get_json()["errors"]["files"][0]
    secret = create_token(ana, "uploads")[1]
    api = client_for(ana).post(f"/api/v1/projects/{project.id}/files", csrf=False,
                               headers={"Authorization": f"Bearer {secret}"},
                               data={"files": (io.BytesIO(os.urandom(3 * MB)), "big.bin")},
                               content_type="multipart/form-data")
    assert api.status_code == 507
    assert api.get_json()["error"]["code"] == "insufficient_storage"
    assert stored_files(small_disk) == []
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectFile)) == 0


def test_a_full_disk_during_a_message_post_saves_neither_message_nor_file(
        app, make, client_for, small_disk):
    app.config["WORKSPACE_UPLOAD_DIR"] = str(small_disk)
    ana = make.user("Ana")
    project = make.project(owner=ana)
    response = client_for(ana).post(
        f"/projects/{project.id}/messages/new", content_type="multipart/form-data",
        data={"title": "Figures", "body": "Attached.",
              "attachments": (io.BytesIO(os.urandom(3 * MB)), "figures.bin")})
    assert response.status_code == 507
    assert "no space left to store this file" in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectFile)) == 0
    assert stored_files(small_disk) == []


def test_a_full_temporary_disk_while_a_request_is_read_answers_507(
        make, database_url, tmp_path, small_disk):
    """The server spools a large form to its temporary folder before any view runs; that
    disk full is said plainly too, on a real gunicorn."""
    ana = make.user("Ana")
    project_id = make.project(owner=ana).id
    (tmp_path / "instance").mkdir()
    deployment = Deployment(database_url, tmp_path / "instance", tmp_path / "uploads")
    deployment.env["TMPDIR"] = str(small_disk)
    with deployment:
        visitor = Visitor(deployment.url, ana.email)
        response = visitor.post(f"/projects/{project_id}/files",
                                files={"files": ("big.bin", os.urandom(3 * MB))})
        assert response.status_code == 507
        assert "no space left" in response.text
        assert visitor.get(f"/projects/{project_id}/files").status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectFile)) == 0
    assert deployment.errors_logged() == []


def test_with_contents_in_a_bucket_a_full_local_disk_refuses_the_upload_too(
        app, make, client_for, small_disk, s3_server, monkeypatch):
    """An upload to S3 is spooled to a local temporary file while it is hashed: that disk
    full is said the same way, and nothing reaches the bucket."""
    from functools import partial

    from tests.s3 import make_bucket, s3_config
    from workspace.files import s3
    from workspace.files.storage import storage

    app.config.update(s3_config(s3_server, make_bucket(s3_server)))
    # The server's temporary folder (TMPDIR) is that small disk; the test client's is not.
    spool = partial(s3.tempfile.TemporaryFile, dir=str(small_disk))
    monkeypatch.setattr(s3.tempfile, "TemporaryFile", spool)
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    response = upload(client, project, os.urandom(3 * MB), "too-big-for-the-disk.bin")
    assert response.status_code == 507
    assert "Quarterly figures" in response.text
    assert list(storage().hashes()) == [] and stored_files(small_disk) == []
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectFile)) == 0
