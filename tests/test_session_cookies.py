"""The session cookie, verified once a minute per worker (web.RememberedSessionCookies), and
the form token, signed once per session secret (fragments.form_token): the shortcuts never
accept what Flask and Flask-WTF would refuse, nor let one request change what another reads."""

from __future__ import annotations

from flask_wtf.csrf import validate_csrf
from itsdangerous import URLSafeTimedSerializer
from lxml import html

from workspace.fragments import form_token
from workspace.web import RememberedSessionCookies


def cookie(app, data: dict) -> str:  # type: ignore[no-untyped-def]
    return app.session_interface.get_signing_serializer(app).dumps(data)


def opened(app, value: str):  # type: ignore[no-untyped-def]
    with app.test_request_context(headers={"Cookie": f"session={value}"}) as context:
        return app.session_interface.open_session(app, context.request)


def test_a_remembered_session_is_a_copy_and_only_plain_values_are_remembered(app):
    assert isinstance(app.session_interface, RememberedSessionCookies)
    plain = cookie(app, {"_user_id": "1:abc", "csrf_token": "s3cret"})
    first = opened(app, plain)
    first["_user_id"] = "2:changed"
    assert opened(app, plain)["_user_id"] == "1:abc"

    flashes = cookie(app, {"_flashes": [["success", "Saved"]]})
    opened(app, flashes)["_flashes"].append(["error", "Leaked"])
    assert opened(app, flashes)["_flashes"] == [["success", "Saved"]]
    assert (app.secret_key, flashes) not in app.session_interface.verified


def test_a_tampered_cookie_or_another_secret_s_cookie_is_refused(app):
    value = cookie(app, {"_user_id": "1:abc"})
    assert opened(app, value)["_user_id"] == "1:abc"  # now remembered
    assert dict(opened(app, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))) == {}
    other = URLSafeTimedSerializer("another secret", salt="cookie-session").dumps({"_user_id": "1"})
    assert dict(opened(app, other)) == {}
    secret, app.secret_key = app.secret_key, "a new secret"
    try:
        assert dict(opened(app, value)) == {}  # what the old secret verified counts for nothing
    finally:
        app.secret_key = secret


def test_a_session_s_form_token_is_signed_once_and_stays_valid(app, make, client_for):
    client = client_for(make.user("Ana"))
    pages = [html.fromstring(client.get("/notifications").data) for _ in range(2)]
    tokens = {field.get("value") for page in pages
              for field in page.xpath("//input[@name='csrf_token']")}
    assert len(tokens) == 1
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    with app.test_request_context():
        from flask import session
        session["csrf_token"] = raw
        validate_csrf(tokens.pop())  # raises if Flask-WTF would refuse it
        assert form_token() == form_token()
    other = client_for(make.user("Bo"))
    page = html.fromstring(other.get("/notifications").data)
    assert page.xpath("//input[@name='csrf_token']")[0].get("value") not in pages[0].xpath(
        "//input[@name='csrf_token']/@value")
