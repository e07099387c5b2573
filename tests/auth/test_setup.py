from workspace.auth.models import User
from workspace.extensions import db


def setup_form(**overrides: str) -> dict[str, str]:
    return {"name": "Ana Admin", "email": "ana@example.org", "password": "long enough",
            "confirm": "long enough"} | overrides


def test_home_shows_setup_form_on_a_new_install(client):
    page = client.get("/")
    assert page.status_code == 200
    assert b"Set up your workspace" in page.data
    assert b'action="/setup"' in page.data


def test_setup_creates_the_administrator_and_signs_in(client):
    response = client.post("/setup", data=setup_form())
    assert response.status_code == 302
    user = db.session.scalars(db.select(User)).one()
    assert (user.email, user.is_admin) == ("ana@example.org", True)
    assert user.password_hash != "long enough"
    assert client.get("/").status_code == 200
    assert b"New project" in client.get("/").data


def test_setup_works_only_once(client, app):
    client.post("/setup", data=setup_form())
    other = app.test_client()
    assert other.get("/setup").status_code == 404
    response = other.post("/setup", data=setup_form(email="mallory@example.org"))
    assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
    assert other.get("/").status_code == 302  # to the sign-in page, no more setup form


def test_setup_errors_keep_what_was_typed(client):
    response = client.post("/setup", data=setup_form(email="not-an-email", confirm="different"))
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.data
    assert b"The two passwords differ" in response.data
    assert b'value="not-an-email"' in response.data
    assert b'value="Ana Admin"' in response.data
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_setup_refuses_a_form_without_csrf_token(client):
    response = client.post("/setup", data=setup_form(), csrf=False)
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
