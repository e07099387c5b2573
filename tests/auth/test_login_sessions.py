"""Login sessions kept on the server: one row per signed-in browser, found by the hash of the
key its cookie holds. Deleting the row signs that browser out, and only that one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from workspace.auth.models import USER_AGENT_LENGTH, LoginSession, User
from workspace.extensions import db
from workspace.scheduler import JOBS, in_app
from workspace.types import utcnow


@pytest.fixture
def ana(make) -> User:
    return make.user("Ana Person", email="ana@example.org")


def sign_in(client, **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"email": "ana@example.org", "password": PASSWORD},
                       headers=headers)


def is_signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/settings/profile").status_code == 200


def session_id_of(client) -> str:  # type: ignore[no-untyped-def]
    with client.session_transaction() as session:
        return session["_user_id"]


def rows_of(user: User) -> list[LoginSession]:
    db.session.expire_all()
    return list(db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)))


def test_signing_in_stores_only_a_hash_of_a_long_random_key(ana, client):
    sign_in(client, **{"User-Agent": "Firefox " + "x" * 500})

    user_id, _, key = session_id_of(client).partition(":")
    [row] = rows_of(ana)
    assert user_id == str(ana.id)
    assert len(key) >= 22  # at least 128 bits, url-safe base64
    assert key not in row.key_hash
    assert row.key_hash == LoginSession.hash(key)
    assert len(row.key_hash) == 64
    assert row.user_agent == ("Firefox " + "x" * 500)[:USER_AGENT_LENGTH]
    assert row.last_seen_on == utcnow().date()


def test_signing_out_on_one_device_leaves_the_others_signed_in(ana, app):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop)
    sign_in(phone)
    assert len(rows_of(ana)) == 2

    assert laptop.post("/logout").status_code == 302

    assert not is_signed_in(laptop)
    assert is_signed_in(phone)
    [left] = rows_of(ana)
    assert left.key_hash == LoginSession.hash(session_id_of(phone).partition(":")[2])


def test_a_deleted_session_row_sends_the_browser_to_sign_in(ana, client):
    sign_in(client)
    for row in rows_of(ana):
        db.session.delete(row)
    db.session.commit()

    response = client.get("/settings/profile")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_remember_cookie_copied_before_signing_out_is_worthless_afterwards(ana, app):
    browser = app.test_client()
    browser.post("/login", data={"email": "ana@example.org", "password": PASSWORD,
                                 "remember": "y"})
    copied = browser.get_cookie("remember_token", domain="workspace.test")
    assert copied is not None

    browser.post("/logout")

    thief = app.test_client()
    thief.set_cookie("remember_token", copied.value, domain="workspace.test")
    assert not is_signed_in(thief)


def test_changing_the_password_keeps_one_session_for_the_browser_that_did_it(ana, app):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop)
    sign_in(phone)

    laptop.post("/settings/password", data={
        "current": PASSWORD, "password": "a new password", "confirm": "a new password"})

    [row] = rows_of(ana)
    assert row.key_hash == LoginSession.hash(session_id_of(laptop).partition(":")[2])
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)


@pytest.mark.parametrize("forged", ["", "abc", "1", "1:", "x:y", "99999:somekey"])
def test_a_malformed_or_unknown_session_id_is_anonymous(ana, client, forged):
    with client.session_transaction() as session:
        session["_user_id"] = forged

    assert not is_signed_in(client)


def test_a_session_id_works_only_for_its_own_person(ana, make, client):
    sign_in(client)
    key = session_id_of(client).partition(":")[2]
    bob = make.user("Bob")
    with client.session_transaction() as session:
        session["_user_id"] = f"{bob.id}:{key}"

    assert not is_signed_in(client)


def test_the_last_seen_day_is_written_at_most_once_a_day(ana, client):
    sign_in(client)
    [row] = rows_of(ana)
    row.last_seen_on = utcnow().date() - timedelta(days=3)
    db.session.commit()

    assert is_signed_in(client)
    [row] = rows_of(ana)
    assert row.last_seen_on == utcnow().date()


def test_deleting_a_person_deletes_their_sessions(ana, client):
    sign_in(client)
    db.session.delete(ana)
    db.session.commit()

    assert db.session.scalars(select(LoginSession)).all() == []


def test_the_settings_list_the_browsers_and_mark_this_one(ana, app):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, **{"User-Agent": "Laptop Firefox"})
    sign_in(phone, **{"User-Agent": "Phone Safari"})

    page = laptop.get("/settings/sessions")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Laptop Firefox" in text and "Phone Safari" in text
    assert text.count("(this browser)") == 1
    assert text.index("Phone Safari") < text.index("(this browser)")  # the latest first
    assert "Sign out everywhere else" in text


def test_signing_out_everywhere_else_keeps_only_this_browser(ana, app, make):
    laptop, phone, tablet = app.test_client(), app.test_client(), app.test_client()
    for browser in (laptop, phone, tablet):
        sign_in(browser)
    bob = make.user("Bob")
    bobs = app.test_client()
    bobs.post("/login", data={"email": bob.email, "password": PASSWORD})

    response = laptop.post("/settings/sessions/revoke-others", follow_redirects=True)

    assert response.status_code == 200
    assert "2 other browsers are signed out." in response.get_data(as_text=True)
    assert "Sign out everywhere else" not in response.get_data(as_text=True)
    assert is_signed_in(laptop) and is_signed_in(bobs)
    assert not is_signed_in(phone) and not is_signed_in(tablet)
    assert len(rows_of(ana)) == 1


def test_signing_out_everywhere_else_needs_the_csrf_token(ana, app):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop)
    sign_in(phone)

    assert laptop.post("/settings/sessions/revoke-others", csrf=False).status_code == 400
    assert is_signed_in(phone)


def test_sign_ins_unused_for_a_year_are_forgotten_and_recent_ones_kept(ana, app):
    idle, recent = app.test_client(), app.test_client()
    sign_in(idle)
    sign_in(recent)
    idle_row = next(row for row in rows_of(ana)
                    if row.key_hash == LoginSession.hash(session_id_of(idle).partition(":")[2]))
    idle_row.last_seen_on = utcnow().date() - timedelta(days=366)
    db.session.commit()

    job = next(job for job in JOBS if job.name == "forget idle sign-ins")
    assert in_app(app, job.run)() == 1

    assert len(rows_of(ana)) == 1
    assert not is_signed_in(idle) and is_signed_in(recent)
