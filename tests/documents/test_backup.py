"""A backup holds documents with every version, and a restore brings them back."""

from __future__ import annotations

from tests.reliability.test_backup import fresh_instance  # noqa: F401 (a fixture)
from workspace.documents.models import Document, DocumentVersion
from workspace.extensions import db
from workspace.folders.models import Folder

from .helpers import save, written


def test_documents_and_their_versions_survive_a_backup_and_restore(
        app, make, client_for, fresh_instance, tmp_path_factory):  # noqa: F811
    ana = make.user("Ana")
    project = make.project(owner=ana)
    team = client_for(ana)
    team.post(f"/projects/{project.id}/folders", data={"name": "Specs", "private": "y"})
    document = written(team, project, title="Spec", body="first\n", note="start", folder_id="1")
    save(team, document, "second\n", note="change")
    target = tmp_path_factory.mktemp("backups") / "backup.tar.gz"
    assert app.test_cli_runner().invoke(args=["backup", str(target)]).exit_code == 0
    with fresh_instance.app_context():
        restored = fresh_instance.test_cli_runner().invoke(args=["restore", str(target)])
        assert restored.exit_code == 0, restored.output
        restored_document = db.session.scalars(db.select(Document)).one()
        assert (restored_document.body, restored_document.private) == ("second\n", True)
        folder = db.session.scalars(db.select(Folder)).one()
        assert (folder.name, folder.id) == ("Specs", restored_document.folder_id)
        versions = db.session.execute(db.select(DocumentVersion.number, DocumentVersion.body,
                                                DocumentVersion.note)
                                      .order_by(DocumentVersion.number)).all()
        assert [tuple(v) for v in versions] == [(1, "first\n", "start"), (2, "second\n", "change")]
