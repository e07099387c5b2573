"""A real deployment for the fault tests: gunicorn (and the scheduler) as subprocesses on
loopback, over the test's own database, and people who talk to it with `requests`."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.conftest import PASSWORD
from tests.mail.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def environment(database_url: str, instance: Path, uploads: Path) -> dict[str, str]:
    return {
        **os.environ, "WORKSPACE_DATABASE_URL": database_url,
        "WORKSPACE_INSTANCE_PATH": str(instance), "WORKSPACE_UPLOAD_DIR": str(uploads),
        "WORKSPACE_SECRET_KEY": "fault tests", "WORKSPACE_LOGIN_RATE_LIMIT": "100000 per minute",
        "WORKSPACE_SMTP_HOST": "", "WORKSPACE_MAIL_INTERVAL_SECONDS": "1",
        "WORKSPACE_ALERTS_INTERVAL_SECONDS": "2", "TMPDIR": str(instance),
    }


class Deployment:
    """`gunicorn -w WORKERS wsgi:app`, and `workspace scheduler` when asked, logging to files
    that the tests read for errors."""

    def __init__(self, database_url: str, instance: Path, uploads: Path, *, workers: int = 2,
                 scheduler: bool = False) -> None:
        self.env = environment(database_url, instance, uploads)
        self.instance, self.uploads = instance, uploads
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers, self.with_scheduler = workers, scheduler
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = open(self.instance / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=log, stderr=log)
        log.close()
        self.processes.append(process)
        return process

    def serve(self) -> None:
        """Start gunicorn (again, after a crash) on the deployment's port."""
        self.master = self.start("gunicorn", [
            str(BIN / "gunicorn"), "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
            "--timeout", "60", "--graceful-timeout", "5", "wsgi:app"])

    def launch(self) -> None:
        """Start the processes, without waiting for them to serve."""
        self.serve()
        if self.with_scheduler:
            self.start("scheduler", [str(BIN / "workspace"), "scheduler"])

    def __enter__(self) -> Deployment:
        self.launch()
        try:
            self.wait_until_ready()
        except BaseException:
            self.__exit__()  # never leave servers running behind a failed start
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if serving(self.url) and len(self.worker_pids()) == self.workers:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start: {self.log('gunicorn')[-2000:]}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.master.pid}/task/{self.master.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def log(self, name: str) -> str:
        return (self.instance / f"{name}.log").read_text(errors="replace")

    def errors_logged(self) -> list[str]:
        """Lines of the logs that tell of a failure a person would have met."""
        logs = self.log("gunicorn") + (self.log("scheduler") if self.with_scheduler else "")
        return [line for line in logs.splitlines()
                if "database is locked" in line or "Traceback" in line
                or "Exception on" in line]


def serving(url: str) -> bool:
    """Does the server at `url` answer, with its database? (A test may have stopped another
    of its dependencies on purpose.)"""
    response = requests.get(f"{url}/health", timeout=5)
    return response.status_code in (200, 503) and response.json()["checks"]["database"] == "ok"


class Visitor:
    """A person in a browser: a cookie jar, and the forms' CSRF token."""

    def __init__(self, base_url: str, email: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        page = self.http.get(f"{base_url}/login", timeout=30)
        response = self.http.post(f"{base_url}/login", timeout=30, allow_redirects=False, data={
            "email": email, "password": PASSWORD, "csrf_token": csrf_in(page.text)})
        assert response.status_code == 302, response.text
        self.csrf = csrf_in(self.http.get(f"{base_url}/settings/profile", timeout=30).text)

    def post(self, path: str, timeout: float = 60, **kwargs: object) -> requests.Response:
        data = {"csrf_token": self.csrf, **kwargs.pop("data", {})}  # type: ignore[dict-item]
        return self.http.post(f"{self.base_url}{path}", data=data, allow_redirects=False,
                              timeout=timeout, **kwargs)

    def get(self, path: str) -> requests.Response:
        return self.http.get(f"{self.base_url}{path}", allow_redirects=False, timeout=60)


def csrf_in(page: str) -> str:
    match = CSRF.search(page)
    assert match, page[:500]
    return match.group(1)
