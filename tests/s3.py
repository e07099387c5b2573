"""A real S3-compatible server on loopback for the tests: moto's standalone server (production
uses a real S3 service; moto only stands in for one here).

    def test_something(s3_server):            # the endpoint URL, http://127.0.0.1:PORT
        bucket = make_bucket(s3_server)      # a new, empty bucket
        env = s3_env(s3_server, bucket)      # the variables a Workspace process needs

`s3_config(s3_server, bucket)` is the same as app settings, for an app built in the test.
Under CI=true a missing moto fails the test instead of skipping it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import skip_or_fail
from tests.mail.conftest import free_port

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "workspace-tests", "AWS_SECRET_ACCESS_KEY": "not a secret",
               "AWS_DEFAULT_REGION": "us-east-1"}


def start_moto(log: Path, *, with_auth: bool = False) -> tuple[subprocess.Popen[bytes], str]:
    """`moto_server` on a free loopback port; with `with_auth`, it checks credentials (and
    knows none, so every request is refused as a bad key would be)."""
    if importlib.util.find_spec("moto") is None:
        skip_or_fail("moto[server] is not installed (pip install -e '.[test]')")
    port = free_port()
    env = {**os.environ, **({"INITIAL_NO_AUTH_ACTION_COUNT": "0"} if with_auth else {})}
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                                    "-p", str(port)], env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"{url}/moto-api/", timeout=2)
            return process, url
        except requests.ConnectionError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"moto_server did not start: {log.read_text()[-2000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One S3 server per test worker, and the test credentials in this process's environment
    (boto3 reads them there, as a deployment's processes do)."""
    process, url = start_moto(tmp_path_factory.mktemp("moto") / "moto.log")
    saved = {name: os.environ.get(name) for name in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    try:
        yield url
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        stop(process)


def make_bucket(endpoint_url: str, name: str | None = None) -> str:
    import boto3

    name = name or f"workspace-{uuid.uuid4().hex[:16]}"
    boto3.client("s3", endpoint_url=endpoint_url, **credentials()).create_bucket(Bucket=name)
    return name


def credentials() -> dict[str, str]:
    return {"aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            "region_name": CREDENTIALS["AWS_DEFAULT_REGION"]}


def s3_url(bucket: str, prefix: str = "contents") -> str:
    return f"s3://{bucket}/{prefix}"


def s3_env(endpoint_url: str, bucket: str, prefix: str = "contents") -> dict[str, str]:
    """The environment of a Workspace process (gunicorn, a command) storing in `bucket`."""
    return {"WORKSPACE_STORAGE_URL": s3_url(bucket, prefix),
            "WORKSPACE_S3_ENDPOINT_URL": endpoint_url, **CREDENTIALS}


def s3_config(endpoint_url: str, bucket: str, prefix: str = "contents") -> dict[str, object]:
    """The same as settings of an app built in the test process."""
    return {"WORKSPACE_STORAGE_URL": s3_url(bucket, prefix),
            "WORKSPACE_S3_ENDPOINT_URL": endpoint_url}


STORAGE_KINDS = ["local", "s3"]


def new_store(kind: str, request: pytest.FixtureRequest) -> dict[str, object]:
    """Settings for a new, empty store of `kind`: none for "local" (the `app` fixture gives
    each test its own upload folder), a new bucket on the test server for "s3". For modules
    that run their tests on both:

        @pytest.fixture(params=STORAGE_KINDS)
        def app(app, request):
            app.config.update(new_store(request.param, request))
            return app
    """
    if kind == "local":
        return {}
    endpoint = request.getfixturevalue("s3_server")
    return s3_config(endpoint, make_bucket(endpoint))


def leave_a_temporary(store: object) -> None:
    """What a process killed midway through an upload leaves in `store`: a temporary file,
    or an unfinished multipart upload."""
    from workspace.files.s3 import S3Storage

    if isinstance(store, S3Storage):
        store.client.create_multipart_upload(Bucket=store.bucket, Key=f"{store.prefix}dead")
    else:
        store.temporary.mkdir(parents=True, exist_ok=True)  # type: ignore[attr-defined]
        (store.temporary / "upload-dead").write_bytes(b"partial")  # type: ignore[attr-defined]


@pytest.fixture(params=STORAGE_KINDS)
def any_store(app, request: pytest.FixtureRequest) -> str:  # type: ignore[no-untyped-def]
    """Run the test with the local folder and again with a new S3 bucket; the kind."""
    app.config.update(new_store(request.param, request))
    return request.param
