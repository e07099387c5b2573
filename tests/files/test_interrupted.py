"""An upload cut off midway, on a real server: no row, no content, nothing half-written, in
the local folder or in an S3 bucket."""

import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import Client
from tests.s3 import STORAGE_KINDS, new_store
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.files.storage import storage_at


@pytest.fixture(params=STORAGE_KINDS)
def live_config(request: pytest.FixtureRequest) -> dict[str, object]:
    return new_store(request.param, request)


def test_a_connection_cut_midway_leaves_nothing(make, client_for, live_server, tmp_path, app,
                                                live_config):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    cookie_client: Client = client_for(ana)
    token = cookie_client.csrf_token()
    session_cookie = cookie_client.get_cookie("session", domain="workspace.test").value
    boundary = "cut"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}"
            f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"big.bin\"\r\n\r\n").encode()
    address = urlsplit(live_server)
    with socket.create_connection((address.hostname, address.port)) as connection:
        connection.sendall(
            f"POST /projects/{project.id}/files HTTP/1.1\r\nHost: {address.netloc}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(head) + 10_000_000}\r\nCookie: session={session_cookie}\r\n"
            "\r\n".encode() + head + b"x" * 2_000_000
        )
        time.sleep(0.3)
    # The server gives up on the request; give it a moment to clean up.
    deadline = time.time() + 5
    while time.time() < deadline and any(Path(tmp_path).rglob("upload-*")):
        time.sleep(0.1)
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectFile)) == 0
    assert [p for p in Path(tmp_path).rglob("*") if p.is_file()] == []
    store = storage_at(str(live_config.get("WORKSPACE_STORAGE_URL", "")), {
        **app.config, **live_config})
    assert list(store.hashes()) == [] and store.remove_stale_temporaries(0) == 0
