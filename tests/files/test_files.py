"""Files on both stores: every test runs with the local folder and with an S3 bucket."""

import io

import pytest
from PIL import Image

from tests.s3 import STORAGE_KINDS, leave_a_temporary, new_store
from workspace.extensions import db
from workspace.files.models import FileVersion, ProjectFile
from workspace.files.operations import clean_name, collect_garbage
from workspace.files.storage import storage


def png_bytes(size=(400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, "PNG")
    return out.getvalue()


def upload(client, project, *files, **fields):
    data = {"files": [(io.BytesIO(content), name) for name, content in files], **fields}
    return client.post(f"/projects/{project.id}/files", data=data,
                       content_type="multipart/form-data")


@pytest.fixture(params=STORAGE_KINDS)
def app(app, request):
    app.config.update(new_store(request.param, request))
    return app


def stored_blobs(app) -> list[str]:
    return sorted(storage().hashes())


def temporaries_left() -> int:
    """Temporaries in the store (removed by this count, which needs a clean store)."""
    return storage().remove_stale_temporaries(0)


@pytest.fixture
def project_with_files(make, client_for):
    ana, bo, cy, eve = make.user("Ana"), make.user("Bo"), make.user("Cy"), make.user("Eve")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    make.project("Other", owner=eve)
    team = client_for(ana)
    upload(team, project, ("public.png", png_bytes()))
    upload(team, project, ("secret.png", png_bytes((10, 10))), private="y")
    public, secret = db.session.scalars(db.select(ProjectFile).order_by(ProjectFile.id)).all()
    team.post(f"/projects/{project.id}/files/{secret.id}/versions",
              data={"file": (io.BytesIO(png_bytes((20, 20))), "secret-v2.png")},
              content_type="multipart/form-data")
    people = {"owner": ana, "member": bo, "client": cy, "stranger": eve}
    return project, public, secret, people


def file_urls(project, item) -> list[str]:
    base = f"/projects/{project.id}/files/{item.id}"
    return [base, f"{base}/download", f"{base}/thumbnail", f"{base}/versions/1/download",
            f"{base}/versions/1/thumbnail"]


@pytest.mark.parametrize("role, sees_public, sees_secret", [
    ("owner", True, True), ("member", True, True), ("client", True, False),
    ("stranger", False, False),
])
def test_visibility_matrix_for_every_file_url(project_with_files, client_for, role,
                                              sees_public, sees_secret):
    project, public, secret, people = project_with_files
    client = client_for(people[role])
    for item, visible in ((public, sees_public), (secret, sees_secret)):
        for url in file_urls(project, item):
            assert client.get(url).status_code == (200 if visible else 404), url
    listing = client.get(f"/projects/{project.id}/files")
    if role != "stranger":
        assert (b"secret.png" in listing.data) == sees_secret
        assert b"public.png" in listing.data


def test_versions_keep_the_old_content_and_the_newest_is_the_default(project_with_files,
                                                                    client_for):
    project, _, secret, people = project_with_files
    client = client_for(people["owner"])
    base = f"/projects/{project.id}/files/{secret.id}"
    newest, first = client.get(f"{base}/download").data, client.get(f"{base}/versions/1/download")
    assert Image.open(io.BytesIO(newest)).size == (20, 20)
    assert Image.open(io.BytesIO(first.data)).size == (10, 10)
    assert client.get(f"{base}/versions/3/download").status_code == 404


def test_html_and_svg_cannot_run_in_the_apps_origin(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    upload(client, project, ("page.png", b"<html><script>alert(1)</script></html>"),
           ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))
    for item in db.session.scalars(db.select(ProjectFile)):
        response = client.get(f"/projects/{project.id}/files/{item.id}/download")
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        assert response.mimetype in ("text/html", "image/svg+xml")  # sniffed, not the name


def test_images_and_pdfs_open_inline_with_ranges_and_etags(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    upload(client, project, ("doc.pdf", b"%PDF-1.4\n%%EOF\n"), ("pic.png", png_bytes()))
    pdf, pic = db.session.scalars(db.select(ProjectFile).order_by(ProjectFile.id)).all()
    response = client.get(f"/projects/{project.id}/files/{pdf.id}/download")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    ranged = client.get(f"/projects/{project.id}/files/{pdf.id}/download",
                        headers={"Range": "bytes=0-3"})
    assert ranged.status_code == 206 and ranged.data == b"%PDF"
    again = client.get(f"/projects/{project.id}/files/{pic.id}/download",
                       headers={"If-None-Match": response.headers["ETag"]})
    etag = client.get(f"/projects/{project.id}/files/{pic.id}/download").headers["ETag"]
    assert client.get(f"/projects/{project.id}/files/{pic.id}/download",
                      headers={"If-None-Match": etag}).status_code == 304
    assert again.status_code == 200


def test_an_upload_over_the_limit_answers_413_and_leaves_nothing(make, client_for, app):
    app.config["WORKSPACE_MAX_UPLOAD_MB"] = 1
    ana = make.user("Ana")
    project = make.project(owner=ana)
    response = upload(client_for(ana), project, ("big.bin", b"x" * (1024 * 1024 + 1)))
    assert response.status_code == 413
    assert b"larger than" in response.data
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectFile)) == 0
    assert stored_blobs(app) == []
    assert temporaries_left() == 0


def test_duplicates_are_stored_once_and_empty_files_refused(make, client_for, app):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    assert upload(client, project, ("empty.txt", b"")).status_code == 400  # see test_outcomes
    upload(client, project, ("a.txt", b"same bytes"), ("b.txt", b"same bytes"))
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectFile)) == 2
    hashes = set(db.session.scalars(db.select(FileVersion.sha256)))
    assert len(hashes) == 1 and len(stored_blobs(app)) == 1


@pytest.mark.parametrize("raw, expected", [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\ana\\report.pdf", "report.pdf"),
    ("evil\u202egnp.exe", "evilgnp.exe"),
    ("line\nbreak\x00.txt", "linebreak.txt"),
    ("Éléphant 🐘.txt", "Éléphant 🐘.txt"),
    ("", "file"),
])
def test_file_names_are_cleaned(raw, expected):
    assert clean_name(raw) == expected


def test_very_long_names_keep_their_extension():
    cleaned = clean_name("a" * 400 + ".pdf")
    assert len(cleaned) == 255 and cleaned.endswith(".pdf")


def test_names_are_shown_escaped(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    upload(client, project, ("<img src=x onerror=alert(1)>.txt", b"x"))
    page = client.get(f"/projects/{project.id}/files").data
    assert b"<img src=x" not in page and b"&lt;img src=x onerror=alert(1)&gt;.txt" in page


def test_a_crash_midway_leaves_nothing_and_gc_cleans_up(make, client_for, app, monkeypatch):
    """The database write fails after the content was stored: no row, and no orphan."""
    ana = make.user("Ana")
    project = make.project(owner=ana)
    from workspace.files import operations

    def crash(*args, **kwargs):
        raise RuntimeError("killed midway")

    monkeypatch.setattr(operations.activity, "record_event", crash)
    with pytest.raises(RuntimeError):
        upload(client_for(ana), project, ("a.txt", b"half"))
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectFile)) == 0
    assert stored_blobs(app) == []
    # A process killed between rename and commit leaves an orphan and a temporary: gc.
    orphan = storage().save(io.BytesIO(b"orphan"), 100)
    leave_a_temporary(storage())
    assert collect_garbage(stale_after_seconds=0) == (1, 1)
    assert not storage().exists(orphan.sha256) and temporaries_left() == 0


def test_the_files_page_filters_sorts_and_paginates(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    upload(client, project, ("b.png", png_bytes()), ("a.txt", b"small"),
           ("c.pdf", b"%PDF-1.4 " + b"x" * 5000))
    base = f"/projects/{project.id}/files"
    client.get(base)  # shows (and so clears) the "Uploaded: …" message
    images = client.get(f"{base}?kind=image").data.decode()
    assert "b.png" in images and "a.txt" not in images
    by_name = client.get(f"{base}?sort=name&order=asc").data.decode()
    assert by_name.index("a.txt") < by_name.index("b.png") < by_name.index("c.pdf")
    by_size = client.get(f"{base}?sort=size&order=desc").data.decode()
    assert by_size.index("c.pdf") < by_size.index("a.txt")


def test_attachments_follow_the_private_mark_of_their_message(make, client_for):
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    team, client = client_for(ana), client_for(cy)
    response = team.post(f"/projects/{project.id}/messages/new", content_type="multipart/form-data",
                         data={"title": "T", "body": "b", "private": "y",
                               "attachments": [(io.BytesIO(b"hello"), "plan.txt")]})
    assert response.status_code == 302
    attached = db.session.scalars(db.select(ProjectFile)).one()
    download = f"/projects/{project.id}/files/{attached.id}/download"
    assert team.get(download).data == b"hello"
    assert client.get(download).status_code == 404
    assert b"plan.txt" not in client.get(f"/projects/{project.id}/files").data
    team.post(f"/projects/{project.id}/messages/{attached.attached_id}/edit",
              data={"title": "T", "body": "b"})
    assert client.get(download).data == b"hello"


def test_the_upload_events_of_attachments_follow_their_message(make, client_for):
    from workspace.activity.models import Event

    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    team = client_for(ana)
    team.post(f"/projects/{project.id}/messages/new", content_type="multipart/form-data",
              data={"title": "T", "body": "b",
                    "attachments": [(io.BytesIO(b"hello"), "plan.txt")]})
    message_id = db.session.scalars(db.select(ProjectFile.attached_id)).one()
    assert b"plan.txt" in client_for(cy).get("/activity").data
    team.post(f"/projects/{project.id}/messages/{message_id}/edit",
              data={"title": "T", "body": "b", "private": "y"})
    assert b"plan.txt" not in client_for(cy).get("/activity").data
    uploaded = db.session.scalars(db.select(Event).where(Event.subject_type == "file")).one()
    assert uploaded.private is True


def test_a_request_over_the_size_limit_gets_a_clear_page(make, client_for, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    ana = make.user("Ana")
    project = make.project(owner=ana)
    response = upload(client_for(ana), project, ("big.bin", b"x" * 4096))
    assert response.status_code == 413
    assert "larger than the 100 MB limit. Nothing was saved." in response.text
