"""Documents: every save a version, a history, comparisons, restores, and edits that cross."""

from __future__ import annotations

import pytest

from workspace.activity.models import Event
from workspace.documents.models import DocumentVersion
from workspace.extensions import db

from .helpers import base_url, save, write, written


@pytest.fixture
def team(make, client_for):
    ana, bo, cy = make.user("Ana"), make.user("Bo"), make.user("Cy")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    return project, client_for(ana), client_for(bo), client_for(cy)


def versions_of(document) -> list[DocumentVersion]:
    return list(db.session.scalars(db.select(DocumentVersion).where(
        DocumentVersion.document_id == document.id).order_by(DocumentVersion.number)))


def test_every_save_is_a_version_with_who_when_and_a_note(team):
    project, ana, bo, _ = team
    document = written(ana, project, body="# Brief\n\nShip in **May**.\n", note="first draft")
    response = save(bo, document, "# Brief\n\nShip in June.\n", note="moved the date")
    assert response.status_code == 302
    page = ana.get(base_url(document)).text
    assert "<strong>" not in page and "Ship in June." in page and "Version 2" in page
    first, second = versions_of(document)
    assert (first.number, first.note, first.author.name) == (1, "first draft", "Ana")
    assert (second.number, second.note, second.author.name) == (2, "moved the date", "Bo")
    assert "May" in first.body and "June" in second.body
    history = ana.get(f"{base_url(document)}/versions").text
    assert "first draft" in history and "moved the date" in history and "Bo" in history
    old = ana.get(f"{base_url(document)}/versions/1").text
    assert "<strong>May</strong>" in old


def test_markdown_is_sanitised_and_previewed_without_saving(team):
    project, ana, *_ = team
    preview = write(ana, project, body="**bold** <script>alert(1)</script>", preview="1")
    assert preview.status_code == 200
    assert "<strong>bold</strong>" in preview.text and "<script>alert" not in preview.text
    assert db.session.scalar(db.select(db.func.count(DocumentVersion.id))) == 0
    document = written(ana, project, body="[x](javascript:alert(1)) <img src=x onerror=y>")
    page = ana.get(base_url(document)).text
    assert 'href="javascript:' not in page and "<img src=x" not in page


def test_two_versions_compare_word_by_word_escaped_side_by_side_and_inline(team):
    project, ana, bo, _ = team
    document = written(ana, project, body="The quick brown fox <b>jumps</b>.\nSecond line.\n")
    save(bo, document, "The quick red fox <b>jumps</b>.\nSecond line.\n")
    for view in ("side", "inline"):
        page = ana.get(f"{base_url(document)}/compare?from=1&to=2&view={view}").text
        assert "<del>brown</del>" in page and "<ins>red</ins>" in page, view
        assert "&lt;b&gt;jumps&lt;/b&gt;" in page and "<b>jumps" not in page, view
        assert "quick" in page
    assert "diff-side" in ana.get(f"{base_url(document)}/compare?from=1&to=2").text


def test_an_old_version_is_restored_as_a_new_one(team):
    project, ana, bo, _ = team
    document = written(ana, project, title="Brief", body="one\n")
    save(bo, document, "two\n", title="Brief 2")
    response = ana.post(f"{base_url(document)}/versions/1/restore")
    assert response.status_code == 302
    db.session.refresh(document)
    assert (document.version_count, document.body, document.title) == (3, "one\n", "Brief")
    assert [v.body for v in versions_of(document)] == ["one\n", "two\n", "one\n"]
    assert db.session.scalar(db.select(Event.action).order_by(Event.id.desc())) == "restored"


def test_restoring_or_comparing_a_missing_version_is_a_clear_404(team):
    project, ana, *_ = team
    document = written(ana, project)
    response = ana.post(f"{base_url(document)}/versions/7/restore")
    assert response.status_code == 404 and "no such version" in response.text
    assert ana.get(f"{base_url(document)}/compare?from=1&to=9").status_code == 404
    assert ana.get(f"{base_url(document)}/versions/9").status_code == 404
    assert len(versions_of(document)) == 1


def test_an_empty_title_and_a_five_megabyte_text_are_refused_and_the_form_kept(team):
    project, ana, *_ = team
    response = write(ana, project, title="  ", body="Kept text")
    assert response.status_code == 400
    assert "Give the document a title." in response.text and "Kept text" in response.text
    huge = "word " * (1024 * 1024 + 1)  # a little over 5 MB
    response = write(ana, project, title="Huge", body=huge)
    assert response.status_code == 400 and "at most 5 MB" in response.text
    assert 'value="Huge"' in response.text
    assert db.session.scalar(db.select(db.func.count(DocumentVersion.id))) == 0
    document = written(ana, project, body="small")
    response = save(ana, document, huge, note="too big")
    assert response.status_code == 400 and "at most 5 MB" in response.text
    assert 'value="too big"' in response.text and len(versions_of(document)) == 1


# -- edits that cross -------------------------------------------------------------------------

BASE = "Intro\n\nMiddle\n\nBudget: 10\n"


def test_a_save_on_an_outdated_version_merges_changes_that_do_not_overlap(team):
    project, ana, bo, _ = team
    document = written(ana, project, body=BASE)
    assert save(bo, document, "Intro, longer\n\nMiddle\n\nBudget: 10\n", base=1).status_code == 302
    response = save(ana, document, "Intro\n\nMiddle\n\nBudget: 12\n", base=1)
    assert response.status_code == 409
    assert "Bo saved a newer version since you opened this" in response.text
    assert "Intro, longer\n\nMiddle\n\nBudget: 12\n" in response.text  # the proposal
    assert 'name="base" type="hidden" value="2"' in response.text
    assert len(versions_of(document)) == 2  # nothing written, nothing lost
    merged = "Intro, longer\n\nMiddle\n\nBudget: 12\n"
    assert save(ana, document, merged, base=2).status_code == 302
    assert versions_of(document)[-1].body == merged


def test_a_save_on_an_outdated_version_with_overlapping_changes_keeps_both_texts(team):
    project, ana, bo, _ = team
    document = written(ana, project, body=BASE)
    save(bo, document, "Intro\n\nMiddle\n\nBudget: 20\n", base=1)
    response = save(ana, document, "Intro\n\nMiddle\n\nBudget: 30\n", base=1)
    assert response.status_code == 409
    assert "saved a newer version since you opened this" in response.text
    assert "touch the same lines" in response.text
    assert "Budget: 20" in response.text and "Budget: 30" in response.text
    assert [v.body for v in versions_of(document)][-1] == "Intro\n\nMiddle\n\nBudget: 20\n"


def test_two_saves_on_the_same_version_never_write_the_same_number_twice(team, app):
    """The second of two racing saves meets the unique (document, number) key: a conflict."""
    from workspace.auth.models import User
    from workspace.documents import operations
    from workspace.projects.access import project_access

    project, ana, _bo, _ = team
    document = written(ana, project, body=BASE)
    bo_user = db.session.scalars(db.select(DocumentVersion.author_id)).one()
    # Another connection writes version 2 while this session still believes 1 is the latest.
    with db.engine.begin() as connection:
        connection.execute(DocumentVersion.__table__.insert().values(
            document_id=document.id, number=2, title="Brief", body="theirs\n", note="",
            size=7, author_id=bo_user, created_at=document.created_at))
    access = project_access(project.id, user=db.session.get(User, bo_user))
    with pytest.raises(operations.Outdated) as raised:
        operations.save_document(access, document, base=1, title="Brief", body="mine\n",
                                 private=False)
    assert raised.value.body == "mine\n"
    assert [v.body for v in versions_of(document)] == [BASE, "theirs\n"]


def test_two_people_saving_the_same_version_at_once_get_one_version_and_one_conflict(
        team, app):
    """Real concurrent requests, each on its own connection: whoever comes second, by a
    hair (the unique version number) or by a second (the stale base), is told, and nothing
    is written twice or lost."""
    import threading

    project, ana, bo, _ = team
    document = written(ana, project, body=BASE)
    start, answers = threading.Barrier(2), {}

    def edit(name: str, client, body: str) -> None:
        with app.app_context():
            start.wait()
            answers[name] = save(client, document, body, base=1).status_code

    threads = [threading.Thread(target=edit, args=("ana", ana, BASE + "Ana's line\n")),
               threading.Thread(target=edit, args=("bo", bo, "Bo's line\n" + BASE))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers.values()) == [302, 409]
    assert [v.number for v in versions_of(document)] == [1, 2]
