"""`workspace templates list|export ID|import FILE`."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from workspace import models
from workspace.extensions import db
from workspace.project_templates import operations
from workspace.project_templates.capture import Keep
from workspace.projects.access import access_to

from .helpers import counts, source_project


def test_list_export_and_import(make, runner, tmp_path):
    source = source_project(make)
    template = operations.save_project_template(access_to(source.owner, source.project),
                                                Keep(people=True), name="Agency launch")
    listed = runner.invoke(args=["templates", "list"])
    assert listed.exit_code == 0 and listed.output == f"{template.id}\tproject\t3\tAgency launch\n"
    as_json = json.loads(runner.invoke(args=["templates", "list", "--json"]).output)
    assert as_json[0]["name"] == "Agency launch" and as_json[0]["todo_count"] == 3

    printed = runner.invoke(args=["templates", "export", str(template.id)])
    assert printed.exit_code == 0
    assert json.loads(printed.output) == operations.exported(template)
    path = tmp_path / "launch.json"
    written = runner.invoke(args=["templates", "export", str(template.id), "-o", str(path)])
    assert written.exit_code == 0 and json.loads(path.read_text()) == json.loads(printed.output)

    imported = runner.invoke(args=["templates", "import", str(path), "--by",
                                   source.owner.email])
    assert imported.exit_code == 0, imported.output
    assert "Imported template 2: Agency launch (project, 3 to-dos)." in imported.output
    copy = db.session.get(models.ProjectTemplate, 2)
    assert copy.content == template.content and copy.created_by_id == source.owner.id


def test_a_refused_file_says_why_and_stores_nothing(make, runner, tmp_path):
    make.user("Ana")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"workspace_template": 1, "kind": "project", "name": "X",
                                "lists": [{"key": "a", "name": "L", "todos": [{"text": ""}]}]}))
    before = counts()
    result = runner.invoke(args=["templates", "import", str(path)])
    assert result.exit_code == 1
    assert "lists[0].todos[0].text must not be empty." in result.output
    assert counts() == before
    missing = runner.invoke(args=["templates", "export", "99"])
    assert missing.exit_code == 1 and "No template has the id 99." in missing.output
    assert db.session.scalar(select(func.count()).select_from(models.ProjectTemplate)) == 0
