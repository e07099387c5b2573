"""Files in real Chromium: upload with the progress bar, attach to a message, download both."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .test_first_start import sign_in


def on_the_files_page(person, make):  # type: ignore[no-untyped-def]
    """Ana, signed in in her own browser, on the files page of her project."""
    ana = make.user("Ana", email="ana@example.org")
    project = make.project("Launch", owner=ana)
    team = person()
    sign_in(team.page, "ana@example.org", PASSWORD)
    team.page.goto(f"/projects/{project.id}/files")
    team.page.get_by_role("link", name="Upload files").click()  # opens the folded form
    return team, project


def test_upload_attach_and_download(person, make, tmp_path):
    report = tmp_path / "report.txt"
    report.write_bytes(b"quarterly numbers " * 50_000)  # ~900 KB: the progress bar moves
    quote = tmp_path / "quote.txt"
    quote.write_text("supplier quote")

    team, project = on_the_files_page(person, make)
    page = team.page
    page.get_by_label("Files", exact=True).set_input_files(str(report))
    with page.expect_response(lambda r: r.status == 201) as uploaded:  # the XHR with progress
        page.get_by_role("button", name="Upload", exact=True).click()
    assert uploaded.value.request.headers["accept"] == "application/json"
    expect(page.get_by_role("link", name="report.txt")).to_be_visible()
    expect(page.locator("#upload-progress-bar")).to_be_hidden()

    page.goto(f"/projects/{project.id}/messages/new")
    page.get_by_label("Title").fill("Quote attached")
    page.get_by_label("Message").fill("See the file.")
    page.get_by_label("Attach files").set_input_files(str(quote))
    page.get_by_role("button", name="Post the message").click()
    attachment = page.get_by_role("list", name="Attached files").get_by_role("link",
                                                                           name="quote.txt")
    with page.expect_download() as download:
        attachment.click()
    assert download.value.suggested_filename == "quote.txt"
    assert download.value.path().read_text() == "supplier quote"

    page.goto(f"/projects/{project.id}/files")
    page.get_by_role("link", name="report.txt").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.path().read_bytes() == report.read_bytes()
    assert team.errors == []


def test_the_upload_script_says_an_empty_file_is_refused_and_an_upload_is_done(person, make,
                                                                               tmp_path):
    empty, notes = tmp_path / "empty.txt", tmp_path / "notes.txt"
    empty.write_bytes(b"")
    notes.write_text("minutes")
    team, _project = on_the_files_page(person, make)
    page = team.page
    page.get_by_label("Files", exact=True).set_input_files(str(empty))
    with page.expect_response(lambda r: r.status == 400):
        page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("“empty.txt” is empty (0 bytes)")
    page.get_by_label("Files", exact=True).set_input_files(str(notes))
    with page.expect_navigation():  # the script reloads the page once the upload is done
        page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".flash")).to_have_text("Uploaded: notes.txt")
    assert [e for e in team.errors if "400" not in e] == []
