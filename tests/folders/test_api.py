"""The API's folders: made, renamed, listed, moved (never into themselves nor into another
project), and documents and files moved into them."""

from __future__ import annotations

import io

from tests.api.test_routes import call
from workspace.api.tokens import create_token


def test_folders_and_moves_through_the_api(make, client):
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    other = make.project("Other", owner=ana)
    token, peek = create_token(ana, "script")[1], create_token(cy, "peek")[1]
    base = f"/projects/{project.id}"
    specs = call(client, "POST", f"{base}/folders", token, {"name": "Specs"}).json
    vault = call(client, "POST", f"{base}/folders", token,
                 {"name": "Vault", "parent_id": specs["id"], "private": True}).json
    assert (vault["parent_id"], vault["private"]) == (specs["id"], True)
    foreign = call(client, "POST", f"/projects/{other.id}/folders", token, {"name": "F"}).json
    clash = call(client, "POST", f"{base}/folders", token, {"name": "specs"})
    assert clash.status_code == 409 and "already there" in clash.json["error"]["message"]
    cycle = call(client, "POST", f"{base}/folders/{specs['id']}/move", token,
                 {"parent_id": vault["id"]})
    assert cycle.status_code == 409 and "inside itself" in cycle.json["error"]["message"]
    away = call(client, "POST", f"{base}/folders/{specs['id']}/move", token,
                {"parent_id": foreign["id"]})
    assert away.status_code == 404
    assert away.json["error"]["message"] == "Choose a folder of this project."
    bad = call(client, "POST", f"{base}/folders/{specs['id']}/move", token, {"parent_id": "x"})
    assert bad.status_code == 422
    document = call(client, "POST", f"{base}/documents", token, {"title": "Brief"}).json
    [sheet] = call(client, "POST", f"{base}/files", token, content_type="multipart/form-data",
                   data={"files": (io.BytesIO(b"x"), "sheet.txt")}).json
    moved = call(client, "POST", f"{base}/documents/{document['id']}/move", token,
                 {"folder_id": vault["id"]})
    assert moved.status_code == 200
    assert (moved.json["folder_id"], moved.json["private"]) == (vault["id"], True)
    moved = call(client, "POST", f"{base}/files/{sheet['id']}/move", token,
                 {"folder_id": vault["id"]})
    assert moved.json["private"] is True
    contents = call(client, "GET", f"{base}/folders/{vault['id']}/contents", token).json
    assert {(e["type"], e["name"]) for e in contents["entries"]} == {
        ("document", "Brief"), ("file", "sheet.txt")}
    for url in (f"{base}/documents/{document['id']}", f"{base}/files/{sheet['id']}",
                f"{base}/files/{sheet['id']}/download", f"{base}/folders/{vault['id']}",
                f"{base}/folders/{vault['id']}/contents"):
        assert call(client, "GET", url, peek).status_code == 404, url
    assert [f["name"] for f in call(client, "GET", f"{base}/folders", peek).json] == ["Specs"]
    back = call(client, "POST", f"{base}/files/{sheet['id']}/move", token, {"folder_id": None})
    assert (back.json["folder_id"], back.json["private"]) == (None, False)
    assert call(client, "GET", f"{base}/files/{sheet['id']}", peek).status_code == 200
    renamed = call(client, "PATCH", f"{base}/folders/{vault['id']}", token, {"private": False})
    assert renamed.json["private"] is False
    assert call(client, "GET", f"{base}/documents/{document['id']}", peek).status_code == 200
