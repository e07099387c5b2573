"""The template pages: who sees them, saving, creating, importing, exporting, deleting;
forms keep what was typed when refused, and every form needs its CSRF token."""

from __future__ import annotations

import io
import json

from sqlalchemy import func, select

from workspace import models
from workspace.extensions import db
from workspace.projects.models import Role

from .helpers import counts, source_project


def saved_through_the_page(client, source, **extra):
    response = client.post(f"/projects/{source.project.id}/save-as-template", data={
        "name": "Agency launch", "lists": "y", "milestones": "y", "documents": "y",
        "people": "y", "messages": [str(i) for i in source.message_ids], **extra})
    assert response.status_code == 302, response.text
    return db.session.scalar(select(models.ProjectTemplate).order_by(
        models.ProjectTemplate.id.desc()))


def test_an_owner_saves_a_project_and_a_team_mate_starts_one_from_it(make, client_for):
    source = source_project(make)
    template = saved_through_the_page(client_for(source.owner), source)
    assert template.content["messages"] == [{"title": "Welcome", "body": "Hello all",
                                             "private": False, "comments": []}]
    designer = client_for(source.designer)
    page = designer.get(f"/templates/{template.id}")
    assert page.status_code == 200 and "Sketch &lt;b&gt;logo&lt;/b&gt;" in page.text
    created = designer.post(f"/templates/{template.id}/projects", data={
        "name": "Next launch", "anchor_date": "2027-03-01", "anchor": "start",
        "role_0": str(source.owner.id), "role_1": str(source.designer.id)})
    assert created.status_code == 302
    project = db.session.scalar(select(models.Project).where(
        models.Project.name == "Next launch"))
    assert created.headers["Location"].endswith(f"/projects/{project.id}")
    roles = {m.user.name: m.role.value for m in project.memberships}
    assert roles == {"Dina Designer": "owner", "Olga Owner": "owner"}
    overview = designer.get(f"/projects/{project.id}/todolists")
    assert "Sketch &lt;b&gt;logo&lt;/b&gt;" in overview.text


def test_only_owners_save_a_project(make, client_for):
    source = source_project(make)
    member = client_for(source.designer)
    assert member.get(f"/projects/{source.project.id}/save-as-template").status_code == 403
    assert member.post(f"/projects/{source.project.id}/save-as-template",
                       data={"name": "Mine"}).status_code == 403
    outsider = client_for(make.user("Outsider"))
    assert outsider.get(f"/projects/{source.project.id}/save-as-template").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(models.ProjectTemplate)) == 0


def test_clients_and_strangers_never_see_templates(make, client_for):
    source = source_project(make)
    template = saved_through_the_page(client_for(source.owner), source, private="y")
    guest = make.user("Guest")
    make.join(source.project, guest, Role.CLIENT)
    for person in (guest, make.user("Nobody")):
        client = client_for(person)
        for url in ("/templates", f"/templates/{template.id}",
                    f"/templates/{template.id}/export.json"):
            assert client.get(url).status_code == 404, (person.name, url)
        assert client.post(f"/templates/{template.id}/projects", data={
            "name": "Stolen", "anchor_date": "2027-03-01"}).status_code == 404
        assert client.post("/templates/import", data={
            "file": (io.BytesIO(b"{}"), "t.json")}).status_code == 404


def test_a_refused_form_keeps_what_was_typed(make, client_for):
    source = source_project(make)
    owner = client_for(source.owner)
    response = owner.post(f"/projects/{source.project.id}/save-as-template",
                          data={"name": "", "description": "Kept words"})
    assert response.status_code == 400
    assert "Give the template a name." in response.text and "Kept words" in response.text
    template = saved_through_the_page(owner, source)
    response = owner.post(f"/templates/{template.id}/projects", data={
        "name": "Typed name", "anchor_date": "2027-02-30", "description": "My notes"})
    assert response.status_code == 400
    assert "is not a date" in response.text
    assert 'value="Typed name"' in response.text and "My notes" in response.text


def test_a_role_given_to_a_stranger_is_refused(make, client_for):
    source = source_project(make)
    template = saved_through_the_page(client_for(source.owner), source)
    stranger = make.user("Stranger")
    owner = client_for(source.owner)
    owner.get("/templates")
    before = counts()
    response = owner.post(f"/templates/{template.id}/projects", data={
        "name": "X", "anchor_date": "2027-03-01", "role_1": str(stranger.id)})
    assert response.status_code == 400
    assert "Choose one of the people offered" in response.text
    assert counts() == before


def test_every_form_needs_its_csrf_token(make, client_for):
    source = source_project(make)
    owner = client_for(source.owner)
    template = saved_through_the_page(owner, source)
    before = counts()
    for url, data in ((f"/projects/{source.project.id}/save-as-template", {"name": "N"}),
                      (f"/templates/{template.id}/projects",
                       {"name": "N", "anchor_date": "2027-03-01"}),
                      (f"/templates/{template.id}/delete", {}),
                      ("/templates/import", {"file": (io.BytesIO(b"{}"), "t.json")})):
        assert owner.post(url, data=data, csrf=False).status_code == 400, url
    assert counts() == before


def test_import_and_export_through_the_pages(make, client_for):
    source = source_project(make)
    owner = client_for(source.owner)
    template = saved_through_the_page(owner, source)
    exported = owner.get(f"/templates/{template.id}/export.json")
    assert exported.status_code == 200 and exported.mimetype == "application/json"
    assert "attachment" in exported.headers["Content-Disposition"]
    assert json.loads(exported.data)["workspace_template"] == 1
    imported = owner.post("/templates/import", data={
        "file": (io.BytesIO(exported.data), "launch.json")}, content_type="multipart/form-data")
    assert imported.status_code == 302
    refused = owner.post("/templates/import", data={
        "file": (io.BytesIO(b'{"workspace_template": 7}'), "bad.json")},
        content_type="multipart/form-data")
    assert refused.status_code == 400
    assert "workspace_template is 7; this installation reads version 1" in refused.text
    assert db.session.scalar(select(func.count()).select_from(models.ProjectTemplate)) == 2


def test_deleting_asks_first_and_only_the_saver_may(make, client_for):
    source = source_project(make)
    owner = client_for(source.owner)
    template = saved_through_the_page(owner, source)
    assert client_for(source.designer).get(f"/templates/{template.id}/delete").status_code == 404
    question = owner.get(f"/templates/{template.id}/delete")
    assert question.status_code == 200 and "Yes, delete the template" in question.text
    assert db.session.get(models.ProjectTemplate, template.id) is not None
    template_id = template.id
    assert owner.post(f"/templates/{template_id}/delete").status_code == 302
    assert db.session.get(models.ProjectTemplate, template_id) is None


def test_a_list_template_is_added_to_a_running_project(make, client_for):
    source = source_project(make)
    owner = client_for(source.owner)
    design = db.session.scalar(select(models.TodoList).where(models.TodoList.name == "Design"))
    saved = owner.post(f"/projects/{source.project.id}/todolists/{design.id}/save-as-template",
                       data={"name": "Design sprint", "people": "y"})
    assert saved.status_code == 302
    template = db.session.scalar(select(models.ProjectTemplate))
    assert template.kind == "todolist" and template.todo_count == 3
    other = make.project("Rebrand", owner=source.owner, members=(source.designer,))
    page = owner.get(f"/templates/{template.id}")
    assert f"/projects/{other.id}/templates/{template.id}/insert" in page.text
    added = owner.post(f"/projects/{other.id}/templates/{template.id}/insert", data={
        "anchor_date": "2027-05-14", "skip_weekends": "y", "role_0": str(source.designer.id)})
    assert added.status_code == 302
    new_list = db.session.scalar(select(models.TodoList).where(
        models.TodoList.project_id == other.id))
    todos = {t.text: (t.due_on.isoformat() if t.due_on else None, t.assignee_id)
             for t in db.session.scalars(select(models.Todo).where(
                 models.Todo.list_id == new_list.id))}
    # Day 0 Friday 14 May; Pick colours (day 5) on Wednesday 19 May.
    assert todos == {"Sketch <b>logo</b>": ("2027-05-14", source.designer.id),
                     "Pick colours": ("2027-05-19", None), "Undated": (None, None)}
    outsider = make.user("Out")
    make.project("Theirs", owner=outsider)
    refused = owner.post(f"/projects/{other.id}/templates/{template.id}/insert", data={
        "anchor_date": "2027-05-14", "role_0": str(outsider.id)})
    assert refused.status_code == 400


def test_the_pages_speak_french(make, client_for):
    source = source_project(make)
    source.owner.locale = "fr"
    db.session.commit()
    owner = client_for(source.owner)
    page = owner.get(f"/projects/{source.project.id}/save-as-template")
    assert "Enregistrer comme modèle" in page.text or "modèle" in page.text
    assert "Modèles" in owner.get("/templates").text


def test_a_template_is_seen_by_its_projects_team_only(make, client_for):
    """Saved from project A, a template is seen by A's owners and members (and its saver, and
    site administrators); a person of project B cannot use it by its id."""
    source = source_project(make)
    template = saved_through_the_page(client_for(source.owner), source)
    elsewhere = make.user("Elsewhere")
    make.project("Beta", owner=elsewhere)
    other = client_for(elsewhere)
    assert other.get("/templates").status_code == 200
    assert "Agency launch" not in other.get("/templates").text
    for url in (f"/templates/{template.id}", f"/templates/{template.id}/export.json",
                f"/templates/{template.id}/delete"):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/templates/{template.id}/projects", data={
        "name": "Stolen", "anchor_date": "2027-03-01"}).status_code == 404
    admin = client_for(make.user("Admin", admin=True))
    assert "Agency launch" in admin.get("/templates").text


def test_an_archived_project_is_still_saved_by_its_owners(make, client_for):
    source = source_project(make)
    source.project.archived_at = source.project.created_at
    db.session.commit()
    owner = client_for(source.owner)
    assert "Save as a template" in owner.get(f"/projects/{source.project.id}/edit").text
    template = saved_through_the_page(owner, source)
    assert template.source_project_id == source.project.id
    assert client_for(source.designer).get(
        f"/projects/{source.project.id}/save-as-template").status_code == 403


def test_a_large_template_page_stays_small_and_its_queries_few(make, client_for):
    from tests.conftest import count_queries
    from workspace.project_templates import operations

    from .test_bench import bench_module

    ana = make.user("Ana")
    make.project(owner=ana)
    client = client_for(ana)
    counted = []
    for lists, todos in ((1, 3), (50, 100)):
        template = operations.import_template(bench_module().template_file(lists, todos),
                                              by=ana)
        with count_queries() as queries:
            page = client.get(f"/templates/{template.id}")
        assert page.status_code == 200
        counted.append(queries.count)
    assert len(page.data) < 150_000, len(page.data)
    assert "and 90 more" in page.text
    assert counted[0] == counted[1]


def test_roles_are_named_when_saving_and_offered_by_name_when_creating(make, client_for):
    source = source_project(make)
    owner = client_for(source.owner)
    form = owner.get(f"/projects/{source.project.id}/save-as-template")
    assert "Role of Dina Designer" in form.text and 'value="Dina Designer"' in form.text
    template = saved_through_the_page(owner, source, label_0="Account lead",
                                      label_1="The designer")
    assert [role["label"] for role in template.content["roles"]] == [
        "Account lead", "The designer"]
    page = owner.get(f"/templates/{template.id}")
    assert "The designer" in page.text and "Account lead" in page.text
    refused = owner.post(f"/projects/{source.project.id}/save-as-template", data={
        "name": "Too long", "label_1": "x" * 121})
    assert refused.status_code == 400
    assert "A role name has at most 120 characters." in refused.text


def test_comments_are_kept_when_ticked(make, client_for):
    source = source_project(make)
    owner = client_for(source.owner)
    form = owner.get(f"/projects/{source.project.id}/save-as-template")
    assert 'name="comments"' in form.text and "comments are kept only if asked" in form.text
    without = saved_through_the_page(owner, source)
    kept = saved_through_the_page(owner, source, comments="y")
    assert without.content["messages"][0]["comments"] == []
    assert kept.content["messages"][0]["comments"] == [
        {"body": "Hi team", "author": "r2", "day": 0}]
    source.owner.locale = "fr"
    db.session.commit()
    french = client_for(source.owner).get(f"/projects/{source.project.id}/save-as-template")
    assert "Les commentaires sur ce qui est gardé" in french.text
    assert "les commentaires ne sont gardés que si vous le demandez" in french.text
