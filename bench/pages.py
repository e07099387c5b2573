"""Request benchmarks: gunicorn (2 workers) on the large demo data set, driven by wrk.

For each page: requests per second, p50/p95/p99 latency, and the ratio to the same server's
ceiling (`/health`, one `SELECT 1`) measured in the same run; then SQL queries per page on the
small and large data sets (they must be equal) and each worker's memory after the run. Writes
bench/results/latest.md and latest.json and prints the table. Usage:

    .venv/bin/python bench/pages.py            # SQLite in a temporary folder
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/pages.py        # a scratch database on that server

BENCH_DURATION (seconds per page, default 10), BENCH_SIZE (default large).

On PostgreSQL, then: the project overview, a file download and an upload through nginx, with one
node and with two behind it, on PostgreSQL + Redis + S3 (bench/two_nodes.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import requests
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
OWNER_EMAIL = "owner@demo.example"
PASSWORD = "demo password"
CEILING = "ceiling: /health"
# Issue 18's goals, as a ratio to the same server's /health in the same run: 1.5 x Kanboard
# (PHP-FPM, opcache, wrk -t2 -c8) on this kind of machine, translated through its ceiling.
GOALS = {
    "cheapest signed-in page": 0.55,
    "project overview": 0.20,
    "activity": 0.21,
    "feed, every project": 0.21,
    "API events": 0.21,
    "feed (full, built each time)": 0.29,
    "feed (RSS, built each time)": 0.29,
    "calendar, project": 0.27,
    "calendar, personal": 0.27,
    "calendar (304)": 0.27,
    "calendar, personal (304)": 0.27,
    "message with 200 comments": 0.10,
    "search, every project": 0.035,
    "search, one project": 0.035,
    "to-do lists": 0.035,
}
# What feed readers and calendar apps send: they take bodies gzipped.
READER = {"Accept-Encoding": "gzip"}
MAX_PAGE_KB = 150  # every HTML page of the large demo


@dataclass
class Page:
    name: str
    path: str
    signed_in: bool = True
    headers: dict[str, str] = field(default_factory=dict)
    lua: str | None = None


@dataclass
class Measure:
    name: str
    path: str
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    bad_responses: int
    ratio: float = 0.0
    queries_small: int | None = None
    queries_large: int | None = None
    cpu_ms_large: float | None = None
    kb_large: float | None = None
    html: bool = False
    goal_ratio: float | None = None

    @property
    def passed(self) -> bool:
        """Against its ratio goal (if any) and, for an HTML page, the size limit; answers
        other than 2xx and 3xx fail any page."""
        fast = self.goal_ratio is None or self.ratio >= self.goal_ratio
        small = not self.html or self.kb_large is None or self.kb_large < MAX_PAGE_KB
        return fast and small and self.bad_responses == 0


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("bench/pages.py drives the server with wrk: apt-get install wrk")
    duration = int(os.environ.get("BENCH_DURATION", "10"))
    size = os.environ.get("BENCH_SIZE", "large")
    with scratch_database("large") as (large_url, instance):
        env = server_env(large_url, instance)
        demo(env, size)
        pages = pages_of(large_url, instance)
        with gunicorn(env) as (base, master):
            cookie = sign_in(base)
            measures = run_wrk_all(base, pages, cookie, duration)
            memory = worker_memory(master)
        queries_large = queries_per_page(large_url, instance, pages)
        nodes = two_nodes(large_url, instance, duration)
    with scratch_database("small") as (small_url, instance):
        demo(server_env(small_url, instance), "small")
        queries_small = queries_per_page(small_url, instance, pages_of(small_url, instance))
    for measure in measures:
        measure.queries_small = queries_small.get(measure.name, (None,))[0]
        (measure.queries_large, measure.cpu_ms_large, measure.kb_large,
         measure.html) = queries_large.get(measure.name, (None, None, None, False))
        measure.goal_ratio = GOALS.get(measure.name)
    report(measures, memory, duration, size, backend=make_url(large_url).get_backend_name(),
           nodes=nodes)


def two_nodes(database_url: str, instance: Path, duration: int) -> dict[str, list[Measure]]:
    """On PostgreSQL, the overview, a download and an upload with one node and then two
    behind nginx (bench/two_nodes.py); nothing on SQLite, which one machine's processes share."""
    if make_url(database_url).get_backend_name() != "postgresql":
        return {}
    sys.path.insert(0, str(ROOT))
    from bench.two_nodes import measure_two_nodes

    return measure_two_nodes(database_url, instance, duration)


# -- the database and the server --------------------------------------------------------------

@contextlib.contextmanager
def scratch_database(label: str) -> Iterator[tuple[str, Path]]:
    """A new empty database (SQLite in a temporary folder, or one created on the PostgreSQL
    server of BENCH_DATABASE_URL and dropped afterwards) and an instance folder."""
    instance = Path(tempfile.mkdtemp(prefix=f"workspace-bench-{label}-"))
    try:
        with database_on(label, instance) as url:
            yield url, instance
    finally:
        shutil.rmtree(instance, ignore_errors=True)


@contextlib.contextmanager
def database_on(label: str, instance: Path) -> Iterator[str]:
    server = os.environ.get("BENCH_DATABASE_URL")
    if not server:
        yield f"sqlite:///{instance / 'bench.db'}"
        return
    name = f"workspace_bench_{label}_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def server_env(database_url: str, instance: Path) -> dict[str, str]:
    return {
        **os.environ, "WORKSPACE_DATABASE_URL": database_url,
        "WORKSPACE_INSTANCE_PATH": str(instance), "WORKSPACE_SECRET_KEY": "bench secret key",
        # The sign-in benchmark posts thousands of times from one address, and the API one
        # calls with one token.
        "WORKSPACE_LOGIN_RATE_LIMIT": "1000000 per minute",
        "WORKSPACE_API_RATE_LIMIT": "1000000 per minute",
    }


def demo(env: dict[str, str], size: str) -> None:
    subprocess.run([BIN / "workspace", "db", "upgrade"], env=env, check=True,
                   capture_output=True)
    started = time.perf_counter()
    done = subprocess.run([BIN / "workspace", "demo", "--size", size], env=env, check=True,
                          capture_output=True, text=True)
    print(done.stdout.splitlines()[0], f"(wall {time.perf_counter() - started:.1f} s)")
    if env["WORKSPACE_DATABASE_URL"].startswith("postgresql"):  # as autovacuum would
        engine = create_engine(env["WORKSPACE_DATABASE_URL"], isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
        engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """The production command of the README, on a free loopback port."""
    port = free_port()
    process = subprocess.Popen(
        [BIN / "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "wsgi:app"], cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 120  # workers import the app: slow on a busy machine
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{base}/health", timeout=10).ok:
                return
        time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def sign_in(base: str) -> str:
    """A signed-in session cookie, through the real sign-in form."""
    session = requests.Session()
    token = csrf_token(session.get(f"{base}/login").text)
    answer = session.post(f"{base}/login", allow_redirects=False,
                          data={"csrf_token": token, "email": OWNER_EMAIL, "password": PASSWORD})
    if answer.status_code != 302:
        raise SystemExit(f"sign-in failed: {answer.status_code}")
    # The first page puts a form token in the session (the sign-out button): a browser keeps
    # the cookie it gets then, and so must wrk, or every request would make a new one.
    session.get(f"{base}/notifications")
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if match is None:
        raise SystemExit("no CSRF token on the sign-in page")
    return match.group(1)


# -- what to measure --------------------------------------------------------------------------

def pages_of(database_url: str, instance: Path) -> list[Page]:
    """The pages of the first project, found in the data set."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        project = connection.scalar(text("SELECT min(id) FROM projects"))
        owner = connection.execute(text(
            "SELECT id, feed_secret FROM users WHERE email = :email"), {"email": OWNER_EMAIL}
        ).one()
        thread = connection.scalar(text(
            "SELECT id FROM messages WHERE project_id = :p ORDER BY comments_count DESC, id "
            "LIMIT 1"), {"p": project})
        file_id = connection.scalar(text(
            "SELECT min(id) FROM files WHERE project_id = :p"), {"p": project})
    engine.dispose()
    prefix = f"/projects/{project}"
    token = f"token={owner.id}-{owner.feed_secret}"
    feed = f"{prefix}/feed.atom?{token}"
    api = {"Authorization": f"Bearer {api_token(database_url, instance)}"}
    return [
        Page(CEILING, "/health", signed_in=False),
        Page("sign-in page", "/login", signed_in=False),
        Page("sign-in (POST, scrypt)", "/login", signed_in=False, lua="login"),
        Page("cheapest signed-in page", "/notifications"),
        Page("project overview", prefix),
        Page("activity", "/activity"),
        Page("message board", f"{prefix}/messages"),
        Page("message with 200 comments", f"{prefix}/messages/{thread}"),
        Page("to-do lists", f"{prefix}/todolists"),
        Page("milestones", f"{prefix}/milestones"),
        Page("files", f"{prefix}/files"),
        Page("search, every project", "/search?q=meeting+notes"),
        Page("search, one project", f"{prefix}/search?q=meet*"),
        Page("feed (full)", feed, signed_in=False, headers=READER),
        Page("feed, every project", f"/feed.atom?{token}", signed_in=False, headers=READER),
        # A new URL each time: the worker's kept body never matches, the feed is built.
        Page("feed (full, built each time)", feed, signed_in=False, headers=READER,
             lua="unique"),
        Page("feed (RSS, built each time)", f"{prefix}/feed.rss?{token}", signed_in=False,
             headers=READER, lua="unique"),
        Page("feed (304)", feed, signed_in=False, headers=READER, lua="etag"),
        Page("API events", "/api/v1/events", signed_in=False, headers=api),
        Page("calendar, project", f"{prefix}/milestones.ics?{token}", signed_in=False,
             headers=READER),
        Page("calendar, personal", f"/milestones.ics?{token}", signed_in=False, headers=READER),
        Page("calendar (304)", f"{prefix}/milestones.ics?{token}", signed_in=False,
             headers=READER, lua="etag"),
        Page("calendar, personal (304)", f"/milestones.ics?{token}", signed_in=False,
             headers=READER, lua="etag"),
        Page("file download", f"{prefix}/files/{file_id}/download"),
    ]


def api_token(database_url: str, instance: Path) -> str:
    """A personal API token of the demo owner, through the CLI."""
    made = subprocess.run(
        [BIN / "workspace", "tokens", "create", OWNER_EMAIL, "--name", "bench"],
        env=server_env(database_url, instance), check=True, capture_output=True, text=True)
    return made.stdout.strip().splitlines()[-1]


def run_wrk_all(base: str, pages: list[Page], cookie: str, duration: int) -> list[Measure]:
    measures = [run_wrk(base, page, cookie, duration) for page in pages]
    # The ceiling again at the end: the machine is shared, and its load drifts.
    again = run_wrk(base, pages[0], cookie, duration)
    ceiling = (measures[0].rps + again.rps) / 2
    measures[0].rps = ceiling
    for measure in measures:
        measure.ratio = measure.rps / ceiling
    return measures


def run_wrk(base: str, page: Page, cookie: str, duration: int,
            body_file: str | None = None) -> Measure:
    """wrk on one page; a page whose `lua` is "upload" posts the bytes of `body_file`."""
    headers = dict(page.headers)
    if page.signed_in:
        headers["Cookie"] = cookie
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(base, page, headers, body_file))
    # A slow page on a busy machine is a long latency, not an error: wrk's default is 2 s.
    command = ["wrk", "-t2", "-c8", f"-d{duration}s", "--timeout", "30s", "-s", script.name,
               base + page.path]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    os.unlink(script.name)
    measure = parse_wrk(page, output)
    print(f"{page.name:32} {measure.rps:8.1f} req/s  p50 {measure.p50_ms:7.2f} ms  "
          f"p99 {measure.p99_ms:7.2f} ms  bad {measure.bad_responses}", flush=True)
    return measure


def lua_script(base: str, page: Page, headers: dict[str, str],
               body_file: str | None = None) -> str:
    lines = [f'wrk.headers["{name}"] = {json.dumps(value)}' for name, value in headers.items()]
    if page.lua == "upload":
        lines += [f'local body = io.open({json.dumps(body_file)}, "rb")',
                  'wrk.method = "POST"', "wrk.body = body:read(\"*a\")", "body:close()"]
    elif page.lua == "etag":
        etag = requests.get(base + page.path, timeout=30).headers["ETag"]
        lines.append(f'wrk.headers["If-None-Match"] = {json.dumps(etag)}')
    elif page.lua == "unique":
        lines.append('counter = 0\nrequest = function()\n  counter = counter + 1\n'
                     f'  return wrk.format(nil, {json.dumps(page.path)} .. "&n=" .. counter)\n'
                     'end')
    elif page.lua == "login":
        session = requests.Session()
        token = csrf_token(session.get(f"{base}/login").text)
        body = requests.models.RequestEncodingMixin._encode_params(
            {"csrf_token": token, "email": OWNER_EMAIL, "password": PASSWORD})
        lines += [
            'wrk.method = "POST"',
            f"wrk.body = {json.dumps(body)}",
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
            'wrk.headers["Cookie"] = ' + json.dumps(
                "; ".join(f"{k}={v}" for k, v in session.cookies.items())),
        ]
    return "\n".join([*lines, PERCENTILES]) + "\n"


# wrk's --latency shows 50, 75, 90 and 99 %; the script prints the ones we report (in µs).
PERCENTILES = """done = function(summary, latency, requests)
  io.write(string.format("PERCENTILES %f %f %f\\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99)))
end"""


def parse_wrk(page: Page, output: str) -> Measure:
    """wrk's summary: requests per second, the latency percentiles, errors."""
    p50, p95, p99 = (float(value) / 1000 for value in
                     re.search(r"PERCENTILES ([\d.]+) ([\d.]+) ([\d.]+)", output).groups())
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    return Measure(
        name=page.name, path=re.sub(r"token=[^&]+", "token=…", page.path),
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=p50, p95_ms=p95, p99_ms=p99,
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        bad_responses=(int(bad.group(1)) if bad else 0)
        + (sum(int(n) for n in errors.groups()) if errors else 0),
    )


# -- queries and memory -----------------------------------------------------------------------

def queries_per_page(database_url: str, instance: Path,
                     pages: list[Page]) -> dict[str, tuple[int, float, float, bool]]:
    """SQL statements each page runs, its median CPU time (ms) over CPU_SAMPLES requests,
    in-process with the test client (CPU time hardly depends on what else the machine runs),
    the size of its body (KB) and whether it is an HTML page."""
    os.environ["WORKSPACE_INSTANCE_PATH"] = str(instance)
    from sqlalchemy import event

    from workspace import create_app
    from workspace.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    counts: dict[str, tuple[int, float, float, bool]] = {}
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for page in pages:
        if page.lua == "login":
            continue
        client = app.test_client()
        if page.signed_in:
            signed_in_through_the_form(app, client)
        headers = dict(page.headers)
        if page.lua == "etag":
            headers["If-None-Match"] = in_own_context(app, client, page.path, {}).headers["ETag"]
        in_own_context(app, client, path_of(page), headers)  # warm: the first loads more
        statements.clear()
        answer = in_own_context(app, client, path_of(page), headers)
        if answer.status_code not in (200, 304):
            raise SystemExit(f"{page.path} answered {answer.status_code}")
        counts[page.name] = (len(statements), cpu_ms(app, client, page, headers),
                             len(answer.data) / 1024, answer.mimetype == "text/html")
    with app.app_context():
        db.engine.dispose()
    return counts


CPU_SAMPLES = 30


def signed_in_through_the_form(app, client) -> None:  # type: ignore[no-untyped-def]
    """Sign the test client in as a browser does, so that its session cookie is complete and
    no request rewrites it (a cookie made by hand would be reissued on every request)."""
    token = csrf_token(in_own_context(app, client, "/login", {}).text)
    with app.app_context():
        client.post("/login", data={"csrf_token": token, "email": OWNER_EMAIL,
                                    "password": PASSWORD})


def path_of(page: Page) -> str:
    """The page's path; a new one each time for the feed that must be built every time."""
    return f"{page.path}&n={time.monotonic_ns()}" if page.lua == "unique" else page.path


def cpu_ms(app, client, page: Page, headers: dict[str, str]) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(CPU_SAMPLES):
        started = time.process_time()
        in_own_context(app, client, path_of(page), headers)
        samples.append((time.process_time() - started) * 1000)
    return statistics.median(samples)


def in_own_context(app, client, path: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    """Each request in its own app context, as under a server (a fresh `g` each time)."""
    with app.app_context():
        return client.get(path, headers=headers)


def worker_memory(master: int) -> list[float]:
    """Resident memory (MB) of each gunicorn worker, the master's children."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [round(rss_kb(int(pid)) / 1024, 1) for pid in children]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# -- the report -------------------------------------------------------------------------------

def report(measures: list[Measure], memory: list[float], duration: int, size: str,
           backend: str, nodes: dict[str, list[Measure]]) -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    context = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit,
        "database": backend, "data_set": size, "cores": os.cpu_count(),
        "load_average": os.getloadavg(), "wrk": f"-t2 -c8 -d{duration}s --timeout 30s",
        "server": "gunicorn -w 2 (sync) wsgi:app", "worker_rss_mb": memory,
    }
    markdown = to_markdown(measures, context) + against_sqlite(measures, backend)
    if nodes:
        from bench.two_nodes import to_markdown as two_nodes_table

        markdown += "\n" + two_nodes_table(nodes, {m.name: m.rps for m in measures})
    RESULTS.mkdir(exist_ok=True)
    document = json.dumps({"context": context, "pages": [asdict(m) for m in measures],
                           "two_nodes": {setup: [asdict(m) for m in pages]
                                         for setup, pages in nodes.items()}},
                          indent=2) + "\n"
    for name in ("latest", f"latest-{backend}"):  # the last run, and the last on this backend
        (RESULTS / f"{name}.md").write_text(markdown)
        (RESULTS / f"{name}.json").write_text(document)
    print()
    print(markdown)


def to_markdown(measures: list[Measure], context: dict[str, object]) -> str:
    rows = [
        "| page | req/s | x ceiling | goal | p50 ms | p99 ms | bad | SQL small | SQL large "
        "| CPU ms | KB |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for m in measures:
        goal = "" if m.goal_ratio is None else f"≥ {m.goal_ratio:g}"
        mark = "" if m.goal_ratio is None and not m.html and m.passed else (
            " pass" if m.passed else " **FAIL**")
        rows.append(
            f"| {m.name} | {m.rps:.0f} | {m.ratio:.3f} | {goal}{mark} | {m.p50_ms:.1f} "
            f"| {m.p99_ms:.1f} | {m.bad_responses} | {blank(m.queries_small)} "
            f"| {blank(m.queries_large)} | {blank(m.cpu_ms_large)} | {blank(m.kb_large)} |"
        )
    memory = ", ".join(f"{mb} MB" for mb in context["worker_rss_mb"])
    load = ", ".join(f"{n:.1f}" for n in context["load_average"])
    failed = [m.name for m in measures if not m.passed]
    verdict = (f"**{len(failed)} below their goal:** {', '.join(failed)}." if failed
               else "Every page meets its goal.")
    return "\n".join([
        f"# Page benchmarks ({context['date']}, commit {context['commit']})", "",
        f"{context['server']} on {context['database']}, the `{context['data_set']}` demo data "
        f"set, wrk {context['wrk']} on loopback, {context['cores']} cores shared with other "
        f"work (load average at the end: {load}). Figures are noisy: compare pages through "
        "their ratio to the ceiling, measured by the same server in the same run (the mean of "
        "a run at the start and one at the end).", "",
        *rows, "", verdict, "",
        f"Memory per worker after the run (RSS): {memory}.", "",
        "Goal: issue 18's, as a ratio to the ceiling; an HTML page also fails over "
        f"{MAX_PAGE_KB} KB. SQL: statements per request on the small and the large data set "
        "(signed in as the owner; a feed by its token). CPU ms: median CPU time of one request "
        "in-process on the large data set (test client, no network), steadier than req/s on a "
        "shared machine. KB: the body on the large data set. `bad`: responses other than "
        "2xx/3xx, and socket errors.",
        "",
    ])


def against_sqlite(measures: list[Measure], backend: str) -> str:
    """On PostgreSQL: each page's ratio beside the last SQLite run's (the goal: within 0.8)."""
    sqlite_run = RESULTS / "latest-sqlite.json"
    if backend != "postgresql" or not sqlite_run.exists():
        return ""
    sqlite = {page["name"]: page["ratio"] for page in json.loads(sqlite_run.read_text())["pages"]}
    rows = ["| page | PostgreSQL ÷ SQLite (x ceiling) |", "|---|--:|"]
    for m in measures:
        if sqlite.get(m.name):
            share = m.ratio / sqlite[m.name]
            rows.append(f"| {m.name} | {share:.2f}{'' if share >= 0.8 else ' **below 0.8**'} |")
    return "\n".join(["", "Against the last SQLite run (bench/results/latest-sqlite.md):", "",
                      *rows, ""]) + "\n"


def blank(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.1f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
