"""What a second app server buys: the project overview, a file download and an upload, driven
by wrk through nginx, first with one node behind it and then with two (docs/deploy.md's setup:
PostgreSQL, Redis for the limits, an S3 bucket for the files; moto's server stands in for S3,
and nginx and Redis are Debian's, as in tests/cluster). Both nodes run on this machine, so they
share its cores with each other, with nginx, moto, PostgreSQL and wrk.

Called by bench/pages.py on PostgreSQL, over its large data set; on its own:

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/two_nodes.py     # over the small data set
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import (  # after the path is set
    BIN,
    ROOT,
    Measure,
    Page,
    csrf_token,
    demo,
    gunicorn,
    run_wrk,
    scratch_database,
    server_env,
    sign_in,
)
from tests.cluster.cluster import Nginx
from tests.redis import RedisServer
from tests.s3 import make_bucket, s3_env, start_moto
from tests.s3 import stop as stop_moto

UPLOAD_KB = 256
BOUNDARY = "workspace-bench-boundary"
SETUPS = ("one node", "two nodes")


def measure_two_nodes(database_url: str, instance: Path, duration: int) -> dict[str, list[Measure]]:
    """For each setup (one node, then two, behind nginx), the three pages' measures."""
    results: dict[str, list[Measure]] = {}
    with shared_services(instance) as services:
        env = cluster_env(database_url, instance, services)
        local = {name: value for name, value in env.items() if name != "WORKSPACE_STORAGE_URL"}
        subprocess.run([BIN / "workspace", "files", "migrate", "--to",  # the demo's files
                        env["WORKSPACE_STORAGE_URL"]], env=local, cwd=ROOT, check=True,
                       capture_output=True)
        with contextlib.ExitStack() as nodes:
            upstreams = []
            for name in ("a", "b"):
                (instance / name).mkdir(exist_ok=True)
                base, _ = nodes.enter_context(gunicorn(
                    {**env, "WORKSPACE_INSTANCE_PATH": str(instance / name)}))
                upstreams.append(base.removeprefix("http://"))
            for setup, serving in zip(SETUPS, (upstreams[:1], upstreams), strict=True):
                nginx = Nginx(instance / f"nginx-{len(serving)}", serving).start()
                try:
                    print(f"-- {setup} behind nginx", flush=True)
                    results[setup] = measure(nginx.url, database_url, duration)
                finally:
                    nginx.stop()
    return results


@contextlib.contextmanager
def shared_services(instance: Path) -> Iterator[dict[str, str]]:
    """Redis and an S3 server with a new bucket, on loopback."""
    redis_server = RedisServer(instance / "redis").start()
    moto, endpoint = start_moto(instance / "moto.log")
    try:
        yield {"redis": redis_server.url, "s3": endpoint, "bucket": make_bucket(endpoint)}
    finally:
        stop_moto(moto)
        redis_server.stop()


def cluster_env(database_url: str, instance: Path, services: dict[str, str]) -> dict[str, str]:
    return {**server_env(database_url, instance), "WORKSPACE_REDIS_URL": services["redis"],
            "WORKSPACE_PROXIES": "1", **s3_env(services["s3"], services["bucket"])}


def measure(base: str, database_url: str, duration: int) -> list[Measure]:
    project, file_id = first_project_and_file(database_url)
    cookie = sign_in(base)
    prefix = f"/projects/{project}"
    pages = [Page("project overview", prefix), Page("file download",
                                                    f"{prefix}/files/{file_id}/download")]
    measures = [run_wrk(base, page, cookie, duration) for page in pages]
    measures.append(run_upload(base, f"{prefix}/files", cookie, duration))
    return measures


def first_project_and_file(database_url: str) -> tuple[int, int]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        project = connection.scalar(text("SELECT min(id) FROM projects"))
        file_id = connection.scalar(text("SELECT min(id) FROM files WHERE project_id = :p"),
                                    {"p": project})
    engine.dispose()
    return project, file_id


def run_upload(base: str, path: str, cookie: str, duration: int) -> Measure:
    """wrk posting the upload form, a new file of UPLOAD_KB each time (the same bytes: the
    store keeps them once, the database gets a file and its event each time)."""
    token = csrf_token(requests.get(base + path, headers={"Cookie": cookie}, timeout=30).text)
    body = multipart({"csrf_token": token}, "files", "bench.bin", os.urandom(UPLOAD_KB * 1024))
    with tempfile.NamedTemporaryFile("wb", suffix=".body", delete=False) as saved:
        saved.write(body)
    # The body goes to wrk through a file: a Lua string literal of binary bytes would not do.
    page = Page(f"upload ({UPLOAD_KB} KB)", path, headers={
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}, lua="upload")
    try:
        return run_wrk(base, page, cookie, duration, body_file=saved.name)
    finally:
        os.unlink(saved.name)


def multipart(fields: dict[str, str], file_field: str, name: str, content: bytes) -> bytes:
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
             .encode() for key, value in fields.items()]
    parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; '
                 f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + content + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def to_markdown(results: dict[str, list[Measure]], single: dict[str, float]) -> str:
    """The table of the two setups, beside the same pages served directly by one node."""
    rows = ["| page | one node, direct (req/s) | one node behind nginx | two nodes behind nginx "
            "| two ÷ one |", "|---|--:|--:|--:|--:|"]
    for one, two in zip(*(results[setup] for setup in SETUPS), strict=True):
        direct = single.get(one.name)
        rows.append(f"| {one.name} | {'' if direct is None else f'{direct:.0f}'} "
                    f"| {one.rps:.0f} | {two.rps:.0f} | {two.rps / one.rps:.2f} |")
    return "\n".join(["## Two nodes", "", "PostgreSQL, Redis (limits), S3 (moto's server) and "
                      "nginx, all on this machine with both nodes (gunicorn -w 2 each); the "
                      "direct figures are the table's above (local files, no Redis).", "",
                      *rows, ""]) + "\n"


def main() -> None:
    if not os.environ.get("BENCH_DATABASE_URL", "").startswith("postgresql"):
        raise SystemExit("two nodes share one database: set BENCH_DATABASE_URL to PostgreSQL")
    duration = int(os.environ.get("BENCH_DURATION", "10"))
    with scratch_database(f"nodes_{uuid.uuid4().hex[:6]}") as (url, instance):
        demo(server_env(url, instance), os.environ.get("BENCH_SIZE", "small"))
        print(to_markdown(measure_two_nodes(url, instance, duration), {}))


if __name__ == "__main__":
    main()
