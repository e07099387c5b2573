"""Every page the benchmarks measure runs as many SQL queries on a small data set as on one
several times bigger: nothing loads per item."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from tests.conftest import count_queries, wipe_database
from workspace.auth.models import User
from workspace.demo import OWNER_EMAIL, SIZES, build_demo
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.messages.models import Message
from workspace.projects.models import Project

BIGGER = replace(SIZES["small"], messages=300, comments=3_000, todos=1_500, milestones=60,
                 files=90)


def page_paths() -> dict[str, tuple[str, bool]]:
    """The benchmarked pages of the first project: name -> (path, signed in)."""
    project = db.session.scalar(select(func.min(Project.id)))
    thread = db.session.scalar(select(Message.id).where(Message.project_id == project)
                               .order_by(Message.comments_count.desc(), Message.id).limit(1))
    file_id = db.session.scalar(select(func.min(ProjectFile.id))
                                .where(ProjectFile.project_id == project))
    owner = User.by_email(OWNER_EMAIL)
    prefix = f"/projects/{project}"
    return {
        "overview": (prefix, True),
        "board": (f"{prefix}/messages", True),
        "thread": (f"{prefix}/messages/{thread}", True),
        "todolists": (f"{prefix}/todolists", True),
        "milestones": (f"{prefix}/milestones", True),
        "feed": (f"{prefix}/feed.atom?token={owner.feed_token}", False),
        "calendar": (f"{prefix}/milestones.ics?token={owner.feed_token}", False),
        "personal calendar": (f"/milestones.ics?token={owner.feed_token}", False),
        "download": (f"{prefix}/files/{file_id}/download", True),
    }


POLLED = ("feed", "calendar", "personal calendar")


def queries_per_page(client_for, client) -> dict[str, int]:  # type: ignore[no-untyped-def]
    owner = User.by_email(OWNER_EMAIL)
    counts = {}
    for name, (path, signed_in) in page_paths().items():
        browser = client_for(owner) if signed_in else client
        assert browser.get(path).status_code == 200, path
        with count_queries() as counter:
            answer = browser.get(path)
        assert answer.status_code == 200, path
        counts[name] = counter.count
        if name in POLLED:
            with count_queries() as counter:
                poll = browser.get(path, headers={"If-None-Match": answer.headers["ETag"]})
            assert poll.status_code == 304
            counts[f"{name} 304"] = counter.count
            with count_queries() as counter:  # a new address: no kept body, built afresh
                assert browser.get(f"{path}&fresh=1").status_code == 200
            counts[f"{name} built"] = counter.count
    return counts


def test_pages_run_the_same_queries_on_a_bigger_data_set(client_for, client):
    build_demo("small")
    small = queries_per_page(client_for, client)
    wipe_database()

    build_demo(BIGGER)
    bigger = queries_per_page(client_for, client)

    assert bigger == small
    assert small["feed 304"] <= 2  # the reader with the project, the newest event
    assert small["calendar 304"] == 2
    assert small["personal calendar 304"] == 3  # the reader, their projects, the newest event
