"""Peak memory of a gunicorn worker while a large file is uploaded (issue: uploads stream).

Starts gunicorn (one worker) on loopback with a scratch instance, signs in, streams a file of
--size-mb megabytes of random bytes to the files page, and reports the worker's resident memory
when idle and its peak (VmHWM) after the upload. With `--storage s3` the contents go to an S3
bucket: moto's standalone server (a stand-in for a real S3 service) is started on loopback,
and the object is checked in the bucket afterwards. Usage:

    .venv/bin/python bench/upload_memory.py --size-mb 500 [--storage s3]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 1024 * 1024


def memory_kb(pid: int, field: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1))


def worker_pid(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def request(port: int, method: str, path: str, body: bytes = b"", headers=None, cookie=""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
    response = connection.getresponse()
    return response, response.read()


S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                  "AWS_DEFAULT_REGION": "us-east-1"}
BUCKET = "workspace-bench"


@contextlib.contextmanager
def s3_store(instance: Path) -> Iterator[dict[str, str]]:
    """moto's S3 server on a free loopback port with an empty bucket; the variables that
    point Workspace at it."""
    import boto3

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (instance / "moto.log").open("ab") as log:
        server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                                   "-p", str(port)], stdout=log, stderr=log)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="bench",
                              aws_secret_access_key="bench", region_name="us-east-1")
        for _ in range(300):
            try:
                client.create_bucket(Bucket=BUCKET)
                break
            except Exception:  # not listening yet
                time.sleep(0.1)
        yield {"WORKSPACE_STORAGE_URL": f"s3://{BUCKET}/contents",
               "WORKSPACE_S3_ENDPOINT_URL": endpoint, **S3_CREDENTIALS}
        sizes = [o["Size"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
        print(f"in the bucket: {len(sizes)} object(s), {sum(sizes) // CHUNK} MB")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--port", type=int, default=5099)
    parser.add_argument("--storage", choices=("local", "s3"), default="local")
    arguments = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="workspace-bench-"))
    with s3_store(instance) if arguments.storage == "s3" else contextlib.nullcontext({}) as store:
        run(arguments.size_mb * CHUNK, arguments.port, instance, store)


def run(size: int, port: int, instance: Path, store: dict[str, str]) -> None:
    env = {**os.environ, "WORKSPACE_INSTANCE_PATH": str(instance),
           "WORKSPACE_DATABASE_URL": f"sqlite:///{instance / 'bench.db'}",
           "WORKSPACE_MAX_UPLOAD_MB": str(size // CHUNK + 10), "TMPDIR": str(instance),
           **store}
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "workspace", "db", "upgrade"], env=env, check=True,
                   capture_output=True, cwd=ROOT)
    subprocess.run([bin_dir / "workspace", "users", "create", "bench@example.org", "--name",
                    "Bench", "--admin", "--password-stdin"], input=b"benchmark password\n",
                   env=env, check=True, capture_output=True, cwd=ROOT)
    server = subprocess.Popen([bin_dir / "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}",
                               "--timeout", "600", "wsgi:app"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(2)
        worker = worker_pid(server.pid)
        cookie, csrf = sign_in(port)
        project_id = create_project(port, cookie, csrf)
        idle = memory_kb(worker, "VmRSS")
        started = time.time()
        status = upload(port, cookie, csrf, project_id, size)
        seconds = time.time() - started
        peak = memory_kb(worker, "VmHWM")
        print(f"upload of {size // CHUNK} MB ({env.get('WORKSPACE_STORAGE_URL') or 'local'}): "
              f"HTTP {status} in {seconds:.1f} s")
        print(f"worker memory: idle {idle / 1024:.0f} MB, peak {peak / 1024:.0f} MB, "
              f"peak - idle {(peak - idle) / 1024:.0f} MB")
        if status != 302 or peak - idle > 100 * 1024:
            raise SystemExit(1)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def csrf_from(page: bytes) -> str:
    return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()


def sign_in(port: int) -> tuple[str, str]:
    response, page = request(port, "GET", "/login")
    cookie = response.getheader("Set-Cookie").split(";")[0]
    form = f"email=bench%40example.org&password=benchmark+password&csrf_token={csrf_from(page)}"
    response, _ = request(port, "POST", "/login", form.encode(),
                          {"Content-Type": "application/x-www-form-urlencoded"}, cookie)
    cookie = response.getheader("Set-Cookie").split(";")[0]
    response, page = request(port, "GET", "/projects/new", cookie=cookie)
    # Signing in drops the form token; this page makes a new one, kept in a new cookie.
    if renewed := response.getheader("Set-Cookie"):
        cookie = renewed.split(";")[0]
    return cookie, csrf_from(page)


def create_project(port: int, cookie: str, csrf: str) -> int:
    response, _ = request(port, "POST", "/projects/new",
                             f"name=Bench&csrf_token={csrf}".encode(),
                             {"Content-Type": "application/x-www-form-urlencoded"}, cookie)
    return int(response.getheader("Location").rstrip("/").rsplit("/", 1)[-1])


def upload(port: int, cookie: str, csrf: str, project_id: int, size: int) -> int:
    """Stream a multipart body without holding it in this process's memory either."""
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}"
            f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.putrequest("POST", f"/projects/{project_id}/files")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + size + len(tail)))
    connection.putheader("Cookie", cookie)
    connection.endheaders()
    connection.send(head)
    block = os.urandom(CHUNK)
    for _ in range(size // CHUNK):
        connection.send(block)
    connection.send(tail)
    response = connection.getresponse()
    response.read()
    return response.status


if __name__ == "__main__":
    main()
