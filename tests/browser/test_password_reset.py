"""Forgot password in real Chromium: ask, open the emailed link, set a new password, and be
signed in, with nothing but an inbox."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.mail.conftest import parts, smtp  # noqa: F401 (the SMTP sink fixture)
from workspace.mail.operations import deliver_queued


@pytest.fixture
def live_config(smtp):  # type: ignore[no-untyped-def]  # noqa: F811
    return {"WORKSPACE_SMTP_HOST": "127.0.0.1", "WORKSPACE_SMTP_PORT": smtp.port}


def test_forgot_password_email_new_password_signed_in(person, make, smtp):  # noqa: F811
    make.user("Cy Client", email="cy@example.org")
    cy = person()
    page = cy.page
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email address").fill("cy@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    deliver_queued()
    [email] = smtp.to("cy@example.org")
    link = re.search(r"http://\S+/password/reset/\S+", parts(email)["text/plain"]).group(0)
    page.goto(link)
    page.get_by_label("New password").fill("my new long password")
    page.get_by_label("Repeat the password").fill("my new long password")
    page.get_by_role("button", name="Set the new password").click()

    expect(page.get_by_text("Your new password is set.")).to_be_visible()
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    assert cy.errors == []
    page.goto(link)  # the browser logs the 410 of this page as an error, rightly
    expect(page.get_by_text("This link was already used")).to_be_visible()
