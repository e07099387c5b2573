"""Script payloads in every text field of every form the site shows, then every page read
back; and file names that try to climb out of their folder."""

from __future__ import annotations

import io
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import feedparser
import pytest
from werkzeug.datastructures import MultiDict

from workspace.extensions import db
from workspace.files.models import FileVersion, ProjectFile
from workspace.mail.models import OutboxEmail

from .world import World, build_world, signed_in

PAYLOAD = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>"
UNESCAPED = re.compile(rb"<script>alert\(1\)|<img[^>]*onerror", re.I)
ESCAPED = b"&lt;script&gt;alert(1)&lt;/script&gt;"
# Forms that end the session, destroy the ground of the test or change who may do what.
NOT_SUBMITTED = re.compile(r"/(delete|archive|unarchive|remove|revoke|logout|cancel|renew|role"
                           r"|language|token|password)(/|$)")
TEXT_TYPES = {"text", "email", "url", "search", "tel", ""}
MAX_PAGES = 300


@dataclass
class Form:
    action: str
    method: str
    fields: MultiDict = field(default_factory=MultiDict)
    text: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


class FormReader(HTMLParser):
    """The forms of a page and the links out of it, as a browser would submit and follow."""

    def __init__(self, page_path: str) -> None:
        super().__init__()
        self.page_path, self.forms, self.links = page_path, [], []
        self.form: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page_path, a["href"]))
        elif tag == "form":
            self.form = Form(urljoin(self.page_path, a.get("action") or self.page_path),
                             (a.get("method") or "get").upper())
            self.forms.append(self.form)
        elif self.form is not None:
            self.field(tag, a)

    def field(self, tag: str, a: dict[str, str]) -> None:
        name, kind = a.get("name"), a.get("type", "").lower()
        if not name and tag != "option":
            return
        if tag == "textarea" or (tag == "input" and kind in TEXT_TYPES):
            self.form.text.append(name)
        elif tag == "input" and kind == "file":
            self.form.files.append(name)
        elif tag == "input" and kind == "date":
            self.form.fields.add(name, a.get("value") or "2031-01-15")
        elif tag == "input" and (kind in {"hidden", "number"} or (
                kind in {"checkbox", "radio"} and "checked" in a)):
            self.form.fields.add(name, a.get("value", "on"))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and (
                "selected" in a or self.select not in self.form.fields):
            self.form.fields.setlist(self.select, [a.get("value", "")])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def inside(url: str) -> str | None:
    """The path (and query) of a link within the site, or None."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "workspace.test") or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(("/static/", "/api/")) or "download" in parts.path:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def kind_of_page(path: str) -> tuple[str, frozenset[str]]:
    """Pages differing only by the values of their query (next month, page 3…) are one."""
    parts = urlsplit(path)
    return parts.path, frozenset(parse_qs(parts.query))


def crawl(client, start: list[str]) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """Every kind of page reachable by links from `start`: path -> HTML."""
    pages: dict[str, bytes] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    queue = deque(start)
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        if kind_of_page(path) in seen:
            continue
        seen.add(kind_of_page(path))
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        if response.mimetype != "text/html":
            pages[path] = b""
            continue
        pages[path] = response.data
        reader = FormReader(path)
        reader.feed(response.get_data(as_text=True))
        queue.extend(link for link in map(inside, reader.links) if link and link not in pages)
    return pages


def forms_in(pages: dict[str, bytes]) -> list[Form]:
    forms = []
    for path, html in pages.items():
        reader = FormReader(path)
        reader.feed(html.decode())
        forms.extend(form for form in reader.forms if not NOT_SUBMITTED.search(form.action))
    return forms


def submit_with_payload(client, form: Form):  # type: ignore[no-untyped-def]
    data = MultiDict(form.fields)
    for name in form.text:
        data.setlist(name, [PAYLOAD])
    if form.method == "GET":
        return client.get(urlsplit(form.action).path, query_string=data)
    for name in form.files:
        data.add(name, (io.BytesIO(b"payload file"), f"{PAYLOAD}.txt"))
    return client.post(form.action, data=data, content_type="multipart/form-data", csrf=False)


@pytest.fixture
def world(make, client) -> World:
    return build_world(make, client)


def test_script_payloads_in_every_field_of_every_form_come_back_escaped(app, world):
    owner = signed_in(app, world, "owner")
    project = f"/projects/{world.a['project_id']}"
    start = ["/", project, "/settings/profile", "/settings/notifications", "/settings/tokens"]
    pages = crawl(owner, start)
    forms, reflected, saved = forms_in(pages), [], 0
    for form in forms:
        response = submit_with_payload(owner, form)
        assert response.status_code < 500, (form.action, response.status_code)
        saved += response.status_code in (201, 302, 303)
        if UNESCAPED.search(response.data):
            reflected.append(form.action)
    assert len(pages) < MAX_PAGES and len(forms) >= 20 and saved >= 15, (len(forms), saved)
    assert reflected == []
    for name in ("owner", "client"):
        shown = crawl(signed_in(app, world, name), start)
        assert [path for path, html in shown.items() if UNESCAPED.search(html)] == []
        assert any(ESCAPED in html for html in shown.values())
    assert_feeds_carry_no_script(owner, pages)
    emails = db.session.scalars(db.select(OutboxEmail.html_body)).all()
    assert any(ESCAPED in body.encode() for body in emails)  # the payload reached an email…
    assert not any(UNESCAPED.search(body.encode()) for body in emails)  # …escaped


def assert_feeds_carry_no_script(client, pages: dict[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    """A feed reader renders an entry's HTML as it is: read it unsanitized, as the worst
    reader would."""
    feeds, carried = [path for path in pages if "/feed." in path], 0
    assert feeds
    for path in feeds:
        feed = feedparser.parse(client.get(path).data, sanitize_html=False)
        bodies = [part.value for entry in feed.entries
                  for part in [*entry.get("content", []), entry.get("summary_detail")] if part]
        assert bodies, path
        assert not any(UNESCAPED.search(body.encode()) for body in bodies), path
        carried += sum("alert(1)" in body for body in bodies)
    assert carried  # the payloads did reach the feeds


TRAVERSALS = ["../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/shadow", "a/../../b.txt",
              "..", "./.htaccess", "x/..\\..\\y"]


def test_file_names_that_climb_folders_are_reduced_to_a_plain_name(app, world, tmp_path):
    owner = signed_in(app, world, "owner")
    project = world.a["project_id"]
    for name in TRAVERSALS:
        response = owner.post(f"/projects/{project}/files", content_type="multipart/form-data",
                              data={"files": (io.BytesIO(b"content"), name)})
        assert response.status_code == 302, name
        api = owner.post(f"/api/v1/projects/{project}/files", csrf=False,
                         headers={"Authorization": f"Bearer {world.secrets['owner']}"},
                         content_type="multipart/form-data",
                         data={"files": (io.BytesIO(b"content"), name)})
        assert api.status_code == 201, name
    names = set(db.session.scalars(db.select(ProjectFile.name))) | set(
        db.session.scalars(db.select(FileVersion.original_name)))
    assert all(plain(name) for name in names), names
    assert {path.parent.parent.parent for path in stored_under(tmp_path)} == {tmp_path}
    for project_file in db.session.scalars(db.select(ProjectFile).filter_by(project_id=project)):
        download = owner.get(f"/projects/{project}/files/{project_file.id}/download")
        assert plain(download.headers["Content-Disposition"].split("filename", 1)[1])


def plain(name: str) -> bool:
    return "/" not in name and "\\" not in name and not name.lstrip("=\"'").startswith("..")


def stored_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_renaming_a_file_cannot_give_it_a_path(app, world):
    owner = signed_in(app, world, "owner")
    project, file_id = world.a["project_id"], world.a["file_id"]
    response = owner.post(f"/projects/{project}/files/{file_id}/edit",
                          data={"name": "../../etc/passwd", "description": ""})
    assert response.status_code == 302
    assert db.session.get(ProjectFile, file_id).name == "passwd"


@pytest.mark.parametrize("path", ["/static/../workspace/config.py",
                                  "/static/%2e%2e/workspace/config.py",
                                  "/static/..%2fworkspace%2fconfig.py",
                                  "/static/....//workspace/config.py"])
def test_static_files_do_not_climb_out_of_their_folder(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"SQLALCHEMY" not in response.data
