"""How a long-lived document behaves: --versions versions of about --size bytes each.

Builds in a scratch SQLite (or an empty WORKSPACE_DATABASE_URL) one project with one document
whose versions are inserted in bulk (each version edits a few paragraphs of the one before, as
people do), then times in-process, through the test client, as the document's owner:
- its page, its history page (the newest 50 versions) and an old version's page;
- the comparison of two distant versions (1 and the latest), side by side and inline, and
  through the API;
- a save of a new version (the edit form's POST), and a save on an outdated version (the
  conflict page with a three-way merge).
Prints the median and worst of --runs runs, the bytes of each page and the database's size.
Usage:

    .venv/bin/python bench/documents.py --versions 500 --size 20000
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from scratch import scratch_instance

SYLLABLES = [c + v for c in "bdfklmnprst" for v in "aeiou"]


def paragraph(rng: random.Random, words: int = 60) -> str:
    return " ".join(rng.choice(SYLLABLES) + rng.choice(SYLLABLES) for _ in range(words))


def texts(rng: random.Random, versions: int, size: int) -> list[str]:
    """`versions` texts of about `size` bytes, each a few paragraphs away from the last."""
    paragraphs = [paragraph(rng) for _ in range(max(1, size // 360))]
    result = []
    for _ in range(versions):
        for _ in range(3):
            paragraphs[rng.randrange(len(paragraphs))] = paragraph(rng)
        result.append("\n\n".join(paragraphs) + "\n")
    return result


def timed(runs: int, call) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Median and worst milliseconds of `runs` calls, and the size of the last answer."""
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code < 400 or response.status_code == 409, response.status_code
        size = len(response.data)
    return statistics.median(times), max(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--versions", type=int, default=500)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    instance = scratch_instance()

    from sqlalchemy import insert

    from workspace import create_app
    from workspace.api.tokens import create_token
    from workspace.auth.models import User
    from workspace.auth.operations import open_session
    from workspace.documents.models import Document, DocumentVersion
    from workspace.documents.operations import write_document
    from workspace.extensions import db
    from workspace.projects.access import project_access
    from workspace.projects.models import Membership, Project, Role
    from workspace.text import render_markdown

    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "SERVER_NAME": "bench",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    rng = random.Random(24)
    bodies = texts(rng, args.versions, args.size)
    with app.app_context():
        db.create_all()  # a scratch database: WORKSPACE_DATABASE_URL should point at an empty one
        owner = User(email="owner@example.org", name="Owner")
        owner.set_password("benchmark password")
        project = Project(name="Bench", description="")
        project.memberships.append(Membership(user=owner, role=Role.OWNER))
        db.session.add_all([owner, project])
        db.session.commit()
        built = time.perf_counter()
        document = write_document(project_access(project.id, user=owner), title="Spec",
                                  body=bodies[0], private=False)
        db.session.execute(insert(DocumentVersion), [
            {"document_id": document.id, "number": n + 1, "title": "Spec", "body": body,
             "note": f"edit {n + 1}", "size": len(body.encode()), "author_id": owner.id,
             "created_at": document.created_at} for n, body in enumerate(bodies) if n > 0])
        latest = bodies[-1]
        db.session.execute(db.update(Document).where(Document.id == document.id).values(
            version_count=args.versions, body=latest, body_html=str(render_markdown(latest))))
        db.session.commit()
        print(f"built {args.versions} versions of ~{args.size:,} bytes in "
              f"{time.perf_counter() - built:.1f} s")
        document_id, project_id = document.id, project.id
        token = create_token(owner, "bench")[1]
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = open_session(owner)
            session["_fresh"] = True

    base = f"/projects/{project_id}/documents/{document_id}"
    api = {"Authorization": f"Bearer {token}"}
    state = {"version": args.versions}

    def save():  # type: ignore[no-untyped-def]
        body = latest + f"\nA new paragraph {state['version']}.\n"
        response = client.post(f"{base}/edit", data={
            "title": "Spec", "body": body, "base": state["version"], "note": "bench"})
        state["version"] += 1
        return response

    def stale_save():  # type: ignore[no-untyped-def]
        return client.post(f"{base}/edit", data={
            "title": "Spec", "body": "Changed first line\n" + bodies[-2],
            "base": args.versions - 1})

    cases = [
        ("document page", lambda: client.get(base)),
        ("history page (newest 50)", lambda: client.get(f"{base}/versions")),
        ("an old version's page", lambda: client.get(f"{base}/versions/1")),
        (f"compare 1 and {args.versions}, side by side",
         lambda: client.get(f"{base}/compare?from=1&to={args.versions}")),
        (f"compare 1 and {args.versions}, inline",
         lambda: client.get(f"{base}/compare?from=1&to={args.versions}&view=inline")),
        (f"compare {args.versions - 1} and {args.versions} (one edit)",
         lambda: client.get(f"{base}/compare")),
        ("API diff 1 to latest",
         lambda: client.get(f"/api/v1{base}/diff?from=1&to={args.versions}", headers=api)),
        ("save a new version", save),
        ("save on an outdated version (merge)", stale_save),
    ]
    print(f"{'':44} {'median ms':>10} {'worst ms':>10} {'bytes':>10}")
    for name, call in cases:
        median, worst, size = timed(args.runs, call)
        print(f"{name:44} {median:10.1f} {worst:10.1f} {size:10,}")
    database = Path(instance / "bench.db")
    if database.exists():
        print(f"database: {database.stat().st_size / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    main()
