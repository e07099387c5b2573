"""Two Workspace nodes behind nginx, as docs/deploy.md sets them up, on loopback: each node a
gunicorn server and a `workspace scheduler` with an instance folder of its own (no shared local
disk), both on one PostgreSQL database, one Redis and one S3 bucket (moto's server standing in
for a real S3 service), and Debian's nginx round-robin in front. Tests talk to nginx only; its
`X-Upstream` header says which node answered."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from tests.conftest import PASSWORD, skip_or_fail
from tests.mail.conftest import Inbox, free_port
from tests.redis import RedisServer
from tests.reliability.server import BIN, ROOT, Deployment
from tests.s3 import make_bucket, s3_env, start_moto
from tests.s3 import stop as stop_moto

NGINX = Path("/usr/sbin/nginx")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
UPSTREAM = "X-Upstream"

NGINX_CONFIG = """\
worker_processes 1;  # one round-robin turn for the whole server: tests rely on it
daemon off;
{user}
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
events {{ worker_connections 512; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    client_max_body_size 200m;
    upstream workspace {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://workspace;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
            # A node that refuses or drops a connection: idempotent requests go to the next.
            proxy_next_upstream error timeout http_502;
            proxy_read_timeout 60s;
            add_header {upstream_header} $upstream_addr always;
        }}
    }}
}}
"""


class Nginx:
    """`nginx -g 'daemon off;'`-style: a subprocess with a generated configuration whose pid,
    temporary and log files live in `folder`."""

    def __init__(self, folder: Path, upstreams: list[str]) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.upstreams = upstreams
        self.process: subprocess.Popen[bytes] | None = None

    def config(self) -> str:
        servers = "\n".join(f"        server {upstream} max_fails=1 fail_timeout=10s;"
                            for upstream in self.upstreams)
        # As root, nginx's workers would run as nobody, who may not enter the test's folder.
        user = "user root root;" if os.geteuid() == 0 else ""
        return NGINX_CONFIG.format(folder=self.folder, port=self.port, servers=servers,
                                   user=user, upstream_header=UPSTREAM)

    def start(self) -> Nginx:
        if not NGINX.exists():
            skip_or_fail(f"nginx is not installed at {NGINX} (apt-get install nginx-light)")
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "nginx.conf").write_text(self.config())
        with open(self.folder / "nginx.out", "ab") as log:
            self.process = subprocess.Popen(
                [str(NGINX), "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
                 "-e", str(self.folder / "error.log")], stdout=log, stderr=log)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/health", timeout=5).status_code == 200:
                    return self
            except requests.ConnectionError:
                if self.process.poll() is not None:
                    break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not start: {self.log()[-2000:]}")

    def log(self) -> str:
        return "".join(path.read_text(errors="replace") for path in
                       (self.folder / "nginx.out", self.folder / "error.log") if path.exists())

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # finish what is in flight, then exit
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Node(Deployment):
    """One app server: gunicorn and the scheduler, with its own instance folder."""

    @property
    def upstream(self) -> str:
        return f"127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL the web server, master and workers at once, as a crashed machine."""
        for pid in [self.master.pid, *self.worker_pids()]:
            os.kill(pid, signal.SIGKILL)
        self.master.wait()

    def revive(self) -> None:
        self.serve()
        self.wait_until_ready(timeout=120)


@dataclass
class Cluster:
    nodes: list[Node]
    nginx: Nginx
    redis: RedisServer
    inbox: Inbox
    database_url: str

    @property
    def url(self) -> str:
        return self.nginx.url

    def node_of(self, response: requests.Response) -> Node:
        """The node that answered (the last tried, when nginx tried more than one)."""
        upstream = response.headers[UPSTREAM].split(",")[-1].strip()
        return next(node for node in self.nodes if node.upstream == upstream)

    def other(self, node: Node) -> Node:
        return next(other for other in self.nodes if other is not node)

    def next_request_to(self, node: Node) -> None:
        """Turn nginx's round robin so that the next request goes to `node`: its one worker
        takes the servers in turn, and no other request is in flight."""
        for _ in range(4):
            if self.node_of(requests.get(f"{self.url}/health", timeout=30)) is not node:
                return
        raise AssertionError("nginx does not take its servers in turn")

    def errors_logged(self) -> list[str]:
        return [line for node in self.nodes for line in node.errors_logged()]


def start_cluster(folder: Path, database_url: str, stack: list[object]) -> Cluster:
    """Start everything, appending what to stop (in reverse) to `stack` as it starts."""
    redis_server = RedisServer(folder / "redis").start()
    stack.append(redis_server.stop)
    moto, endpoint = start_moto(folder / "moto.log")
    stack.append(lambda: stop_moto(moto))
    inbox = Inbox(free_port())
    inbox.start()
    stack.append(inbox.stop)
    nginx = Nginx(folder / "nginx", [])  # its address first: links in emails point there
    shared = {
        "WORKSPACE_REDIS_URL": redis_server.url, "WORKSPACE_PROXIES": "1",
        "WORKSPACE_BASE_URL": nginx.url,
        "WORKSPACE_SMTP_HOST": "127.0.0.1", "WORKSPACE_SMTP_PORT": str(inbox.port),
        "WORKSPACE_LOGIN_RATE_LIMIT": "5 per minute", "WORKSPACE_API_RATE_LIMIT": "10 per minute",
        "WORKSPACE_EMAIL_LINK_IP_RATE_LIMIT": "1000 per hour",
        **s3_env(endpoint, make_bucket(endpoint)),
    }
    migrate(database_url, shared, folder)
    nodes = []
    for name in ("a", "b"):  # both start at once; then each is waited for
        (folder / name).mkdir()
        node = Node(database_url, folder / name, folder / name / "uploads", scheduler=True)
        node.env.update(shared)
        node.launch()
        nodes.append(node)
    stack.append(lambda: stop_nodes(nodes))
    for node in nodes:  # six processes load the app at once, on a machine that may be busy
        node.wait_until_ready(timeout=120)
    nginx.upstreams = [node.upstream for node in nodes]
    stack.append(nginx.start().stop)
    return Cluster(nodes, nginx, redis_server, inbox, database_url)


def stop_nodes(nodes: list[Node]) -> None:
    """Ask every process of both nodes to stop, then wait for each: the nodes stop together."""
    for node in nodes:
        for process in node.processes:
            process.send_signal(signal.SIGTERM)
    for node in nodes:
        node.__exit__()


def migrate(database_url: str, shared: dict[str, str], folder: Path) -> None:
    """`workspace db upgrade`, once, from one place: as an upgrade does (docs/deploy.md)."""
    (folder / "migrations").mkdir()
    env = {**os.environ, **shared, "WORKSPACE_DATABASE_URL": database_url,
           "WORKSPACE_INSTANCE_PATH": str(folder / "migrations"), "WORKSPACE_SECRET_KEY": "x"}
    subprocess.run([str(BIN / "workspace"), "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)


def require_tools() -> None:
    for tool, package in (("redis-server", "redis-server"), (str(NGINX), "nginx-light")):
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} is not installed (apt-get install {package})")


class FromAddress(HTTPAdapter):
    """Connections from one loopback address (any of 127/8 reaches nginx on 127.0.0.1)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]


ADDRESSES = itertools.count(2)


class Browser:
    """A person's browser, on a loopback address of its own: the limits per client address
    count each browser apart, as they would count people on other machines."""

    def __init__(self, cluster: Cluster) -> None:
        number = next(ADDRESSES)
        self.address = f"127.0.{number // 250 + 1}.{number % 250 + 2}"
        self.cluster, self.base_url = cluster, cluster.url
        self.http = requests.Session()
        self.http.mount("http://", FromAddress(self.address))
        self.csrf = ""

    def sign_in(self, email: str, password: str = PASSWORD,
                remember: bool = False) -> requests.Response:
        page = self.get("/login")
        response = self.http.post(f"{self.base_url}/login", allow_redirects=False, timeout=30,
                                  data={"email": email, "password": password,
                                        "csrf_token": csrf_in(page.text),
                                        **({"remember": "y"} if remember else {})})
        if response.status_code == 302:
            self.csrf = csrf_in(self.get("/settings/profile").text)
        return response

    def get(self, path: str, **kwargs: object) -> requests.Response:
        return self.http.get(f"{self.base_url}{path}", allow_redirects=False, timeout=60,
                             **kwargs)  # type: ignore[arg-type]

    def get_from(self, node: Node, path: str) -> requests.Response:
        """GET `path` until `node` answers it (round robin: the first or the second try)."""
        for _ in range(4):
            response = self.get(path)
            if self.cluster.node_of(response) is node:
                return response
        raise AssertionError(f"{node.upstream} never answered {path}")

    def post(self, path: str, timeout: float = 60, **kwargs: object) -> requests.Response:
        data = {"csrf_token": self.csrf, **kwargs.pop("data", {})}  # type: ignore[dict-item]
        return self.http.post(f"{self.base_url}{path}", data=data, allow_redirects=False,
                              timeout=timeout, **kwargs)  # type: ignore[arg-type]

    def post_on(self, node: Node, path: str, **kwargs: object) -> requests.Response:
        self.cluster.next_request_to(node)
        response = self.post(path, **kwargs)
        assert self.cluster.node_of(response) is node
        return response


def csrf_in(page: str) -> str:
    match = CSRF.search(page)
    assert match, page[:500]
    return match.group(1)
