"""A person's email-in address is made when they join a project, on every way in; the project
page only reads it, so showing the page writes nothing."""

from __future__ import annotations

from datetime import datetime

from flask_migrate import upgrade
from sqlalchemy import select

from tests.conftest import count_queries, test_config
from tests.test_migrations import empty_database_url  # noqa: F401 (fixture)
from workspace import create_app
from workspace.auth import operations as accounts
from workspace.auth.models import User
from workspace.extensions import db
from workspace.inbound.addresses import address_for
from workspace.inbound.models import EmailInAddress
from workspace.projects import operations
from workspace.projects.models import Project, Role

WRITES = ("INSERT", "UPDATE", "DELETE")


def key_of(user: User, project: Project) -> str | None:
    return db.session.scalar(select(EmailInAddress.key).where(
        EmailInAddress.user_id == user.id, EmailInAddress.project_id == project.id))


def test_showing_the_overview_writes_nothing(story, client_for, make):
    admin = make.user("Ada", admin=True)  # outside the project: she has no address there
    for person in (story.ana, story.cy, admin):
        client = client_for(person)
        with count_queries() as counter:
            page = client.get(f"/projects/{story.project.id}").text
        writes = [s for s in counter.statements if s.lstrip().upper().startswith(WRITES)]
        assert writes == [] and 'id="email-in"' in page
    assert key_of(admin, story.project) is None


def test_the_overview_shows_the_address_made_on_joining(story, client_for):
    address = address_for(key_of(story.bo, story.project))
    assert f'value="{address}"' in client_for(story.bo).get(f"/projects/{story.project.id}").text


def test_an_administrator_outside_the_project_makes_an_address(story, client_for, make):
    admin = make.user("Ada", admin=True)
    client = client_for(admin)
    page = client.get(f"/projects/{story.project.id}").text
    assert "Make an address" in page and "email-in-address" not in page
    client.post(f"/projects/{story.project.id}/email-in/regenerate")
    address = address_for(key_of(admin, story.project))
    assert f'value="{address}"' in client.get(f"/projects/{story.project.id}").text


def test_every_way_into_a_project_gives_an_address(app, make):
    olga, bo, cy = make.user("Olga"), make.user("Bo"), make.user("Cy")
    project = operations.create_project("Launch", "", by=olga)
    operations.add_known_person(project, bo.email, Role.MEMBER)
    invitation, _token = operations.invite(project, cy.email, Role.CLIENT, by=olga)
    operations.accept_invitation(invitation, cy)
    invitation, _token = operations.invite(project, "dora@example.org", Role.CLIENT, by=olga)
    dora = operations.accept_invitation_as_new_user(invitation, name="Dora",
                                                    password="a long password")
    assert all(key_of(person, project) for person in (olga, bo, cy, dora))


def test_leaving_and_coming_back_gives_a_new_address(app, make):
    olga, bo = make.user("Olga"), make.user("Bo")
    project = make.project(owner=olga, members=(bo,))
    old = key_of(bo, project)
    operations.remove_person(operations.people_of(project)[1])
    assert key_of(bo, project) is None
    make.join(project, bo, Role.CLIENT)
    assert key_of(bo, project) not in (None, old)


def test_a_reactivated_account_gets_new_addresses(app, make):
    ada, bo = make.user("Ada", admin=True), make.user("Bo")
    projects = [make.project(name, members=(bo,)) for name in ("One", "Two")]
    old = {key_of(bo, project) for project in projects}
    accounts.deactivate(bo, by=ada)
    assert {key_of(bo, project) for project in projects} == {None}
    accounts.reactivate(bo)
    accounts.reactivate(bo)  # again: nothing more, and no clash
    new = {key_of(bo, project) for project in projects}
    assert None not in new and len(new) == 2 and not new & old


def test_the_migration_gives_members_of_before_an_address(empty_database_url):  # noqa: F811
    app = create_app(test_config(empty_database_url))
    with app.app_context():
        upgrade(revision="c41d7e0a9b3f")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO projects (id, name, description, created_at, activity_version, "
                "timezone, alert_days_before, alert_on_the_day, alert_when_late) "
                "VALUES (1, 'P', '', '2026-01-01', 0, 'UTC', 2, true, true)")
            for user_id, deactivated in ((1, None), (2, None), (3, datetime(2026, 2, 1))):
                connection.execute(db.text(
                    "INSERT INTO users (id, email, name, password_hash, is_admin, timezone, "
                    "feed_secret, email_notifications, created_at, deactivated_at) VALUES "
                    "(:id, :email, 'N', 'x', false, 'UTC', :secret, false, '2026-01-01', :off)"),
                    {"id": user_id, "email": f"p{user_id}@example.org",
                     "secret": f"secret{user_id}", "off": deactivated})
                connection.execute(db.text(
                    "INSERT INTO memberships (project_id, user_id, role, created_at) "
                    "VALUES (1, :id, 'member', '2026-01-01')"), {"id": user_id})
            connection.exec_driver_sql(  # one already made by a page of before: it stays
                "INSERT INTO email_in_addresses (key, user_id, project_id, created_at) "
                "VALUES ('kept', 2, 1, '2026-01-02')")
        upgrade()
        with db.engine.connect() as connection:
            keys = dict(connection.exec_driver_sql(
                "SELECT user_id, key FROM email_in_addresses").all())
        db.engine.dispose()
    assert set(keys) == {1, 2} and keys[2] == "kept" and len(keys[1]) == 32
