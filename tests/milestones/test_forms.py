"""Bad input answers 400 with the form as typed and says what to fix; nothing is saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from workspace.extensions import db
from workspace.milestones.models import Milestone

from .helpers import add, create, in_days, page, url, zone_today


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Milestone))


def field_state(response, name: str) -> dict[str, object]:
    tree = page(response)
    element = tree.xpath(f"//*[@name='{name}']")[0]
    error = tree.xpath(f"//*[@id='{element.get('id')}-error']")
    return {
        "value": element.get("value") if element.tag == "input" else (
            element.xpath("./option[@selected]/@value") if element.tag == "select"
            else element.text_content()),
        "invalid": element.get("aria-invalid") == "true",
        "error": error[0].text_content().strip() if error else None,
    }


@pytest.fixture
def scene(make, client_for):
    ana, bo, stranger = make.user("Ana"), make.user("Bo"), make.user("Stranger")
    project = make.project(owner=ana, members=(bo,))
    return project, client_for(ana), bo, stranger


def test_a_missing_title_keeps_what_was_typed(scene):
    project, client, bo, _ = scene
    due = in_days(9)
    response = create(client, project, title="  ", due_on=due, responsible=str(bo.id),
                      notes="My notes")
    assert response.status_code == 400
    assert field_state(response, "title")["error"] == "Give the milestone a title."
    assert field_state(response, "title")["invalid"]
    assert field_state(response, "due_on")["value"] == due
    assert field_state(response, "responsible")["value"] == [str(bo.id)]
    assert field_state(response, "notes")["value"].strip() == "My notes"
    assert page(response).xpath("//*[@role='alert']")
    assert count() == 0


@pytest.mark.parametrize("typed", ["2026-13-45", "2026-02-30", "tomorrow", "20266-01-01"])
def test_an_invalid_date_is_named_clearly(scene, typed):
    project, client, _, _ = scene
    response = create(client, project, title="Kept title", due_on=typed)
    assert response.status_code == 400
    state = field_state(response, "due_on")
    assert state["value"] == typed
    assert state["error"] == f"“{typed}” is not a date: use YYYY-MM-DD, for example 2026-12-31."
    assert field_state(response, "title")["value"] == "Kept title"
    assert count() == 0


def test_a_missing_date_is_asked_for(scene):
    project, client, _, _ = scene
    response = client.post(f"/projects/{project.id}/milestones/new", data={"title": "No date"})
    assert response.status_code == 400
    assert field_state(response, "due_on")["error"] == "Choose the due date."
    assert count() == 0


@pytest.mark.parametrize("years", [60, -60])
def test_a_date_sixty_years_away_is_a_typing_mistake(scene, years):
    project, client, _, _ = scene
    typed = zone_today("UTC").replace(day=1, year=zone_today("UTC").year + years).isoformat()
    response = create(client, project, title="Far", due_on=typed)
    assert response.status_code == 400
    assert field_state(response, "due_on") == {
        "value": typed, "invalid": True, "error": "Choose a date within 50 years of today."}
    assert count() == 0


@pytest.mark.parametrize(("typed", "status"), [
    ("2074-02-28", 302), ("2074-03-01", 400), ("1974-02-28", 302), ("1974-02-27", 400),
])
def test_fifty_years_is_counted_in_days_from_the_viewers_today(scene, monkeypatch, typed,
                                                               status):
    monkeypatch.setattr("workspace.forms.viewer_today", lambda: date(2024, 2, 29))
    project, client, _, _ = scene
    assert create(client, project, due_on=typed).status_code == status


@pytest.mark.parametrize("who", ["stranger", "abc", "-1"])
def test_a_responsible_person_outside_the_project_is_refused(scene, who):
    project, client, _, stranger = scene
    value = str(stranger.id) if who == "stranger" else who
    response = create(client, project, title="Kept", due_on=in_days(4), responsible=value)
    assert response.status_code == 400
    assert field_state(response, "responsible")["error"] == (
        "Choose someone of this project, or nobody.")
    assert field_state(response, "title")["value"] == "Kept"
    assert b"Stranger" not in response.data
    assert count() == 0


def test_the_responsible_choices_are_the_projects_people_and_nobody(scene):
    project, client, _, _ = scene
    tree = page(client.get(f"/projects/{project.id}/milestones/new"))
    assert tree.xpath("//select[@name='responsible']/option/text()") == ["Nobody", "Ana", "Bo"]
    labels = tree.xpath("//label/@for")
    assert {"title", "due_on", "responsible", "notes"} <= set(labels)


def test_lengths_are_limited(scene):
    project, client, _, _ = scene
    response = create(client, project, title="x" * 201)
    assert response.status_code == 400
    assert field_state(response, "title")["error"] == "A title has at most 200 characters."
    response = create(client, project, title="Long notes", notes="x" * 50_001)
    assert response.status_code == 400
    assert "too long" in field_state(response, "notes")["error"]
    assert create(client, project, title="x" * 200, notes="x" * 50_000).status_code == 302


def test_a_refused_edit_changes_nothing(scene):
    project, client, bo, stranger = scene
    milestone = add(project, bo, "Original", zone_today("UTC") + timedelta(days=3))
    response = client.post(url(milestone, "edit"), data={
        "title": "Changed", "due_on": "2026-13-45", "responsible": str(stranger.id)})
    assert response.status_code == 400
    assert field_state(response, "title")["value"] == "Changed"
    assert field_state(response, "due_on")["invalid"]
    assert field_state(response, "responsible")["invalid"]
    db.session.expire_all()
    assert milestone.title == "Original" and milestone.edited_at is None


def test_a_french_viewer_gets_french_pages_and_messages(make, client_for):
    ana = make.user("Ana")
    ana.locale = "fr"
    db.session.commit()
    project = make.project(owner=ana)
    client = client_for(ana)
    add(project, ana, "Lancement", zone_today("UTC") - timedelta(days=2))
    tree = page(client.get(f"/projects/{project.id}/milestones"))
    assert [h.text_content() for h in tree.xpath("//h1|//h2")] == ["Jalons", "En retard"]
    response = create(client, project, title="", due_on="2026-13-45")
    assert response.status_code == 400
    assert field_state(response, "title")["error"] == "Donnez un titre au jalon."
    assert field_state(response, "due_on")["error"] == (
        "« 2026-13-45 » n\u2019est pas une date : utilisez AAAA-MM-JJ, par exemple 2026-12-31.")
    response = client.get(f"/projects/{project.id}/milestones/calendar?month=2026-13")
    assert "Indiquez le mois sous la forme AAAA-MM" in response.get_data(as_text=True)
