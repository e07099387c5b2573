"""Contents in an S3 bucket (a real S3-compatible server on loopback, tests/s3.py): parts,
ranges, dedupe, gc and its grace period, gc --verify, migrate both ways, presigned links
after the access check, and the faults: an unreachable store, a lost content, a store that
cannot be used at start."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests

from tests.conftest import test_config
from tests.files.test_files import png_bytes, upload
from tests.mail.conftest import free_port
from tests.reliability.server import BIN, ROOT
from tests.s3 import credentials, make_bucket, s3_config, s3_env, start_moto, stop
from workspace import create_app
from workspace.errors import StorageUnavailable
from workspace.extensions import db
from workspace.files.models import FileVersion, ProjectFile
from workspace.files.operations import collect_garbage
from workspace.files.s3 import PART, S3Storage
from workspace.files.storage import LocalStorage, storage, storage_at


@pytest.fixture
def bucket(s3_server: str) -> str:
    return make_bucket(s3_server)


@pytest.fixture
def app(app, s3_server: str, bucket: str):
    app.config.update(s3_config(s3_server, bucket))
    return app


def objects(s3_server: str, bucket: str) -> dict[str, bytes]:
    client = boto3.client("s3", endpoint_url=s3_server, **credentials())
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {entry["Key"]: client.get_object(Bucket=bucket, Key=entry["Key"])["Body"].read()
            for entry in listed}


def unfinished_uploads(store: S3Storage) -> list[dict]:
    return store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])


def team_with_project(make, client_for):  # type: ignore[no-untyped-def]
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    return project, client_for(ana), client_for(cy)


def test_a_large_content_goes_up_in_parts_and_reads_back_by_ranges(app, s3_server, bucket):
    content = os.urandom(2 * PART + 12345)
    store = storage()
    blob = store.save(io.BytesIO(content), max_size=len(content))
    assert blob.created and blob.sha256 == hashlib.sha256(content).hexdigest()
    assert objects(s3_server, bucket) == {f"contents/{blob.sha256}": content}
    assert unfinished_uploads(store) == []
    with store.open(blob.sha256) as stream:
        stream.seek(PART + 5)
        assert stream.read(10) == content[PART + 5:PART + 15]
        stream.seek(-3, io.SEEK_END)
        assert stream.read() == content[-3:]


def test_an_upload_over_the_limit_leaves_nothing_in_the_bucket(app, s3_server, bucket):
    from workspace.files.storage import TooLarge

    with pytest.raises(TooLarge):
        storage().save(io.BytesIO(b"x" * 1000), max_size=999)
    assert objects(s3_server, bucket) == {}


def test_the_same_content_is_stored_once_and_made_fresh_again(app, s3_server, bucket):
    store = storage()
    first = store.save(io.BytesIO(b"same bytes"), 100)
    key = f"contents/{first.sha256}"
    written = store.client.head_object(Bucket=bucket, Key=key)["LastModified"]
    time.sleep(1.1)  # LastModified counts whole seconds
    again = store.save(io.BytesIO(b"same bytes"), 100)
    assert (first.created, again.created) == (True, False)
    assert store.client.head_object(Bucket=bucket, Key=key)["LastModified"] > written
    assert list(objects(s3_server, bucket)) == [key]


def test_uploads_thumbnails_and_downloads_live_in_the_bucket(app, make, client_for, s3_server,
                                                             bucket):
    project, team, _ = team_with_project(make, client_for)
    picture = png_bytes()
    assert upload(team, project, ("pic.png", picture)).status_code == 302
    version = db.session.scalars(db.select(FileVersion)).one()
    stored = objects(s3_server, bucket)
    assert set(stored) == {f"contents/{version.sha256}", f"contents/{version.thumbnail_sha256}"}
    base = f"/projects/{project.id}/files/{version.file_id}"
    assert team.get(f"{base}/download").data == picture
    assert team.get(f"{base}/thumbnail").data == stored[f"contents/{version.thumbnail_sha256}"]


def test_gc_spares_recent_orphans_then_removes_them_and_unfinished_uploads(app, make,
                                                                           client_for):
    project, team, _ = team_with_project(make, client_for)
    upload(team, project, ("kept.txt", b"kept"))
    store = storage()
    orphan = store.save(io.BytesIO(b"orphan"), 100)
    store.client.create_multipart_upload(Bucket=store.bucket, Key="contents/dead")
    # moto dates every multipart upload 2010-11-10 (real S3 says when it began): this one is
    # stale from the start, and aborted by the first run.
    assert collect_garbage(stale_after_seconds=3600) == (0, 1)
    assert store.exists(orphan.sha256) and unfinished_uploads(store) == []
    time.sleep(1.1)
    assert collect_garbage(stale_after_seconds=1) == (1, 0)
    kept = db.session.scalars(db.select(FileVersion.sha256)).one()
    assert list(store.hashes()) == [kept]


def test_a_lost_content_is_a_logged_404_and_gc_verify_names_it(app, make, client_for, caplog):
    project, team, _ = team_with_project(make, client_for)
    upload(team, project, ("lost.txt", b"soon lost"), ("safe.txt", b"still here"))
    lost = db.session.scalars(db.select(FileVersion).filter_by(original_name="lost.txt")).one()
    storage().delete(lost.sha256)
    with caplog.at_level(logging.ERROR):
        response = team.get(f"/projects/{project.id}/files/{lost.file_id}/download")
    assert response.status_code == 404
    assert f"stored content {lost.sha256} is missing from s3://" in caplog.text
    result = app.test_cli_runner().invoke(args=["files", "gc", "--verify"])
    assert result.exit_code == 1
    assert f"Missing: {lost.sha256}, needed by file {lost.file_id} version 1 (lost.txt)" \
        in result.output
    assert "1 referenced content(s) missing" in result.output
    storage().save(io.BytesIO(b"soon lost"), 100)
    assert app.test_cli_runner().invoke(args=["files", "gc", "--verify"]).exit_code == 0


def test_migrate_copies_every_content_both_ways_and_resumes(app, make, client_for, s3_server,
                                                            tmp_path):
    project, team, _ = team_with_project(make, client_for)
    upload(team, project, ("pic.png", png_bytes()), ("a.txt", b"alpha"), ("b.txt", b"beta"))
    hashes = set(storage().hashes())
    assert len(hashes) == 4  # three contents and a thumbnail
    runner = app.test_cli_runner()

    local = tmp_path / "migrated"
    result = runner.invoke(args=["files", "migrate", "--to", local.as_uri()])
    assert result.exit_code == 0, result.output
    assert "Copied 4, already there 0, missing from the source 0" in result.output
    assert set(LocalStorage(local).hashes()) == hashes

    # Back into a new bucket, half of it there already: the run resumes.
    target = f"s3://{make_bucket(s3_server)}/moved"
    app.config["WORKSPACE_STORAGE_URL"] = local.as_uri()
    first = sorted(hashes)[:2]
    for sha256 in first:
        with storage().open(sha256) as stream:
            storage_at(target, app.config).save(stream, 10**6)
    result = runner.invoke(args=["files", "migrate", "--to", target])
    assert result.exit_code == 0, result.output
    assert "Copied 2, already there 2" in result.output
    app.config["WORKSPACE_STORAGE_URL"] = target
    assert set(storage().hashes()) == hashes
    for project_file in db.session.scalars(db.select(ProjectFile)):
        data = team.get(f"/projects/{project.id}/files/{project_file.id}/download").data
        assert hashlib.sha256(data).hexdigest() == project_file.versions[0].sha256


def test_migrate_refuses_damaged_contents_and_says_which(app, make, client_for, s3_server,
                                                         tmp_path):
    project, team, _ = team_with_project(make, client_for)
    app.config["WORKSPACE_STORAGE_URL"] = (tmp_path / "local").as_uri()
    upload(team, project, ("a.txt", b"alpha"), ("b.txt", b"beta"))
    damaged = db.session.scalars(db.select(FileVersion).filter_by(original_name="a.txt")).one()
    LocalStorage(tmp_path / "local").path(damaged.sha256).write_bytes(b"alphx")
    bucket = make_bucket(s3_server)
    result = app.test_cli_runner().invoke(args=["files", "migrate", "--to", f"s3://{bucket}/x"])
    assert result.exit_code == 1
    assert "Copied 1, already there 0, missing from the source 0, damaged in the source 1" \
        in result.output
    assert f"Damaged: {damaged.sha256}" in result.output
    assert [key.split("/")[1] for key in objects(s3_server, bucket)] == [
        hashlib.sha256(b"beta").hexdigest()]


def test_migrate_to_a_store_it_cannot_use_says_why(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["files", "migrate", "--to", "ftp://host/x"])
    assert result.exit_code != 0 and "must be file:///path or s3://bucket/prefix" in result.output
    result = app.test_cli_runner().invoke(
        args=["files", "migrate", "--to", "s3://no-such-bucket-here/x"])
    assert result.exit_code != 0 and "does not exist" in result.output


def test_presigned_links_carry_the_downloads_headers_after_the_access_check(
        app, make, client_for):
    app.config["WORKSPACE_S3_PRESIGN"] = True
    project, team, client = team_with_project(make, client_for)
    upload(team, project, ("Éléphant.pdf", b"%PDF-1.4\n%%EOF\n"),
           ("page.html", b"<html><script>alert(1)</script></html>"))
    upload(team, project, ("secret.png", png_bytes()), private="y")
    pdf, page, secret = db.session.scalars(db.select(ProjectFile).order_by(ProjectFile.id))
    expected = {pdf: ("application/pdf", "inline"), page: ("text/html", "attachment"),
                secret: ("image/png", "inline")}
    for project_file, (content_type, disposition) in expected.items():
        response = team.get(f"/projects/{project.id}/files/{project_file.id}/download")
        assert response.status_code == 302
        assert "no-store" in response.headers["Cache-Control"]
        link = response.headers["Location"]
        assert parse_qs(urlsplit(link).query)["X-Amz-Expires"] == ["60"]
        fetched = requests.get(link, timeout=10)
        assert fetched.status_code == 200
        assert hashlib.sha256(fetched.content).hexdigest() == project_file.versions[0].sha256
        assert fetched.headers["Content-Type"] == content_type
        assert fetched.headers["Content-Disposition"].startswith(disposition)
    assert "filename*=UTF-8''%C3%89l%C3%A9phant.pdf" in requests.get(
        team.get(f"/projects/{project.id}/files/{pdf.id}/download").headers["Location"],
        timeout=10).headers["Content-Disposition"]
    thumbnail = team.get(f"/projects/{project.id}/files/{secret.id}/thumbnail")
    assert requests.get(thumbnail.headers["Location"], timeout=10).headers[
        "Content-Type"] == "image/png"
    for path in ("download", "thumbnail", "versions/1/download"):
        refused = client.get(f"/projects/{project.id}/files/{secret.id}/{path}")
        assert refused.status_code == 404 and "Location" not in refused.headers


def test_an_unreachable_store_refuses_the_upload_with_the_form_kept(app, make, client_for,
                                                                    caplog):
    project, team, _ = team_with_project(make, client_for)
    app.config["WORKSPACE_S3_ENDPOINT_URL"] = f"http://127.0.0.1:{free_port()}"
    with caplog.at_level(logging.ERROR):
        response = upload(team, project, ("plan.txt", b"plan"), description="Kept words")
    assert response.status_code == 503
    assert "The file store cannot be reached just now. Nothing was saved" in response.text
    assert "Kept words" in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectFile)) == 0
    assert "file store unavailable, an upload was refused" in caplog.text
    health = team.get("/health")
    assert health.status_code == 503
    assert health.get_json() == {"status": "unavailable",
                                 "checks": {"database": "ok", "storage": "unavailable"}}


def test_a_download_while_the_store_is_unreachable_is_a_503_page(app, make, client_for):
    project, team, _ = team_with_project(make, client_for)
    upload(team, project, ("plan.txt", b"plan"))
    file_id = db.session.scalars(db.select(ProjectFile.id)).one()
    app.config["WORKSPACE_S3_ENDPOINT_URL"] = f"http://127.0.0.1:{free_port()}"
    response = team.get(f"/projects/{project.id}/files/{file_id}/download")
    assert response.status_code == 503
    assert "cannot be reached just now" in response.text


def test_health_reports_a_reachable_bucket(app, client):
    assert client.get("/health").get_json() == {
        "status": "ok", "checks": {"database": "ok", "storage": "ok"}}


def test_a_store_that_cannot_be_used_stops_the_start(s3_server, tmp_path):
    database = f"sqlite:///{tmp_path / 'start.db'}"
    with pytest.raises(StorageUnavailable,
                       match="the bucket 'no-such-bucket-here' does not exist"):
        create_app({**test_config(database), **s3_config(s3_server, "no-such-bucket-here")})
    unreachable = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StorageUnavailable, match="Workspace cannot start"):
        create_app({**test_config(database), **s3_config(unreachable, "any-bucket")})
    with pytest.raises(ValueError, match="must be file:///path or s3://bucket/prefix"):
        create_app({**test_config(database), "WORKSPACE_STORAGE_URL": "ftp://host/files"})


def test_wrong_credentials_stop_the_start_of_a_real_process(tmp_path):
    checking, endpoint = start_moto(tmp_path / "moto.log", with_auth=True)
    try:
        env = {**os.environ, **s3_env(endpoint, "workspace-files"),
               "WORKSPACE_INSTANCE_PATH": str(tmp_path),
               "WORKSPACE_DATABASE_URL": f"sqlite:///{tmp_path / 'start.db'}"}
        result = subprocess.run([str(BIN / "workspace"), "files", "gc"], env=env, cwd=ROOT,
                                capture_output=True, text=True, timeout=120, check=False)
    finally:
        stop(checking)
    assert result.returncode != 0
    assert "Workspace cannot start: the file store is not usable" in result.stderr
    assert "check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY" in result.stderr
    assert not Path(tmp_path / "uploads").exists()


def test_gunicorn_streams_a_large_file_to_the_bucket_and_back(make, database_url, tmp_path,
                                                              s3_server, bucket):
    """On a real server: the upload goes up in parts, the download and a range come back
    through gunicorn's file wrapper, and the instance folder keeps no content."""
    from tests.reliability.server import Deployment, Visitor

    ana = make.user("Ana")
    project_id = make.project(owner=ana).id
    (tmp_path / "instance").mkdir()
    deployment = Deployment(database_url, tmp_path / "instance", tmp_path / "uploads")
    deployment.env.update(s3_env(s3_server, bucket))
    content = os.urandom(PART + PART // 2)
    with deployment:
        visitor = Visitor(deployment.url, ana.email)
        response = visitor.post(f"/projects/{project_id}/files",
                                files={"files": ("big.bin", content)})
        assert response.status_code == 302, response.text
        file_id = db.session.scalars(db.select(ProjectFile.id)).one()
        download = f"{deployment.url}/projects/{project_id}/files/{file_id}/download"
        assert visitor.http.get(download, timeout=60).content == content
        ranged = visitor.http.get(download, headers={"Range": f"bytes={PART}-{PART + 9}"},
                                  timeout=60)
        assert ranged.status_code == 206 and ranged.content == content[PART:PART + 10]
        health = visitor.http.get(f"{deployment.url}/health", timeout=30).json()
        assert health["checks"]["storage"] == "ok"
    assert objects(s3_server, bucket) == {
        f"contents/{hashlib.sha256(content).hexdigest()}": content}
    assert not (tmp_path / "uploads").exists()
    assert deployment.errors_logged() == []
