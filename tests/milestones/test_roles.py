"""Who may do what with milestones: the team plans, clients read and comment, strangers see
nothing, and an archived project changes for nobody."""

from __future__ import annotations

import pytest

from workspace.extensions import db
from workspace.milestones.models import Milestone
from workspace.types import utcnow

from .helpers import add, events_of, in_days, page

FORM = {"title": "Changed", "due_on": in_days(5), "responsible": "", "notes": ""}

# name -> (method, path under /projects/<p>/milestones, form data); {m} is a milestone id.
READS = {
    "index": ("GET", "", None),
    "calendar": ("GET", "/calendar?month=2026-12", None),
    "show": ("GET", "/{m}", None),
}
WRITES = {
    "new form": ("GET", "/new", None),
    "new": ("POST", "/new", FORM),
    "edit form": ("GET", "/{m}/edit", None),
    "edit": ("POST", "/{m}/edit", FORM),
    "complete": ("POST", "/{m}/complete", {}),
    "reopen": ("POST", "/{m}/reopen", {}),
    "delete": ("POST", "/{m}/delete", {}),
}
COMMENT = {"comment": ("POST", "/{m}/comments", {"body": "Hello"})}
BY_ID = {name: route for name, route in {**READS, **WRITES, **COMMENT}.items()
         if "{m}" in route[1]}


def call(client, project_id: int, milestone_id: int, route):
    method, path, data = route
    target = f"/projects/{project_id}/milestones" + path.format(m=milestone_id)
    if method == "GET":
        return client.get(target)
    return client.post(target, data=dict(data))


@pytest.fixture
def scene(make):
    ana, bo, cy, dee = (make.user(name) for name in ("Ana", "Bo", "Cy", "Dee"))
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    other = make.project("Other", owner=ana, members=(bo,), clients=(cy,))
    milestone = add(project, ana, "Mine", completed_at=None)
    foreign = add(other, ana, "Theirs")
    return {"owner": ana, "member": bo, "client": cy, "stranger": dee, "project": project,
            "milestone": milestone, "foreign": foreign}


@pytest.mark.parametrize("role", ["owner", "member"])
@pytest.mark.parametrize("name", [*READS, *WRITES, *COMMENT])
def test_the_team_may_do_everything(scene, client_for, role, name):
    route = {**READS, **WRITES, **COMMENT}[name]
    if name == "reopen":
        scene["milestone"].completed_at = utcnow()
        db.session.commit()
    response = call(client_for(scene[role]), scene["project"].id, scene["milestone"].id, route)
    assert response.status_code == (200 if route[0] == "GET" else 302), response.data


@pytest.mark.parametrize("name", list(WRITES))
def test_a_client_is_refused_every_planning_action(scene, client_for, name):
    milestone = scene["milestone"]
    before = (milestone.title, milestone.completed_at)
    response = call(client_for(scene["client"]), scene["project"].id, milestone.id, WRITES[name])
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Milestone)) == 2
    assert (milestone.title, milestone.completed_at) == before
    assert events_of(milestone.id) == []


def test_a_client_reads_and_comments_without_planning_controls(scene, client_for):
    client = client_for(scene["client"])
    project, milestone = scene["project"], scene["milestone"]
    for route in READS.values():
        assert call(client, project.id, milestone.id, route).status_code == 200
    assert call(client, project.id, milestone.id, COMMENT["comment"]).status_code == 302
    assert events_of(milestone.id) == ["commented"]
    shown = page(client.get(f"/projects/{project.id}/milestones/{milestone.id}"))
    assert not shown.xpath("//form[contains(@action, '/milestones/')"
                           " and not(contains(@action, '/comments'))]")
    assert not shown.xpath("//a[contains(@href, '/milestones/') and contains(@href, '/edit')]")
    assert shown.xpath("//form[contains(@action, '/comments')]")
    index = page(client.get(f"/projects/{project.id}/milestones"))
    assert not index.xpath("//a[contains(@href, '/milestones/new')]")


@pytest.mark.parametrize("name", [*READS, *WRITES, *COMMENT])
def test_a_stranger_gets_404_everywhere(scene, client_for, name):
    route = {**READS, **WRITES, **COMMENT}[name]
    response = call(client_for(scene["stranger"]), scene["project"].id, scene["milestone"].id,
                    route)
    assert response.status_code == 404
    assert b"Mine" not in response.data


@pytest.mark.parametrize(("role", "name"), [
    *(("owner", name) for name in BY_ID),
    *(("member", name) for name in BY_ID),
    *(("client", name) for name in BY_ID if name not in WRITES),
])
def test_another_projects_milestone_through_this_projects_url_is_404(scene, client_for, role,
                                                                     name):
    """Even for someone who is in both projects (a client's refused writes are 403 for any
    id, which tells nothing)."""
    foreign = scene["foreign"]
    response = call(client_for(scene[role]), scene["project"].id, foreign.id, BY_ID[name])
    assert response.status_code == 404
    assert b"Theirs" not in response.data
    assert foreign.title == "Theirs" and foreign.completed_at is None
    assert foreign.comments_count == 0


@pytest.mark.parametrize("name", list(BY_ID))
def test_a_milestone_that_does_not_exist_is_404(scene, client_for, name):
    response = call(client_for(scene["owner"]), scene["project"].id, 9999, BY_ID[name])
    assert response.status_code == 404


def test_a_site_administrator_plans_as_an_owner(make, client_for):
    ana, root = make.user("Ana"), make.user("Root", admin=True)
    project = make.project(owner=ana)
    client = client_for(root)
    data = {"title": "By the admin", "due_on": in_days(3), "responsible": ""}
    assert client.post(f"/projects/{project.id}/milestones/new", data=data).status_code == 302


@pytest.mark.parametrize("role", ["owner", "member", "client"])
def test_an_archived_project_refuses_every_write_and_still_shows_milestones(scene, client_for,
                                                                          role):
    project, milestone = scene["project"], scene["milestone"]
    project.archived_at = utcnow()
    db.session.commit()
    client = client_for(scene[role])
    for name, route in {**WRITES, **COMMENT}.items():
        response = call(client, project.id, milestone.id, route)
        assert response.status_code == 403, name
        if role != "client" or name == "comment":
            assert b"archived" in response.data, name
    for route in READS.values():
        assert call(client, project.id, milestone.id, route).status_code == 200
    assert events_of(milestone.id) == []
    assert milestone.title == "Mine" and milestone.comments_count == 0
    shown = page(client.get(f"/projects/{project.id}/milestones/{milestone.id}"))
    assert not shown.xpath("//form[contains(@action, '/milestones/')]")
    index = page(client.get(f"/projects/{project.id}/milestones"))
    assert not index.xpath("//a[contains(@href, '/milestones/new')]")


@pytest.mark.parametrize("action", ["complete", "delete", "new", "comments"])
def test_a_post_without_the_csrf_token_is_refused(scene, client_for, action):
    milestone = scene["milestone"]
    base = f"/projects/{milestone.project_id}/milestones"
    target = f"{base}/new" if action == "new" else f"{base}/{milestone.id}/{action}"
    response = client_for(scene["owner"]).post(target, data={**FORM, "body": "x"}, csrf=False)
    assert response.status_code == 400
    assert db.session.get(Milestone, milestone.id).completed_at is None
    assert milestone.comments_count == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Milestone)) == 2
