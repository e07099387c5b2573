"""WORKSPACE_PROJECT_CREATORS: who sees "New project" and may create one, on pages and API."""

from __future__ import annotations

import pytest

from tests.api.test_routes import call
from workspace.api.tokens import create_token

# (setting) -> may (admin, member somewhere, client only, no project at all) create projects?
EXPECTED = {
    "members": (True, True, False, False),
    "admins": (True, False, False, False),
    "everyone": (True, True, True, True),
}


@pytest.fixture
def accounts(make):  # type: ignore[no-untyped-def]
    ada = make.user("Ada Admin", admin=True)
    bo, cy, dee = make.user("Bo Member"), make.user("Cy Client"), make.user("Dee Nobody")
    make.project("Launch", members=(bo,), clients=(cy,))
    return ada, bo, cy, dee


@pytest.mark.parametrize("setting", EXPECTED)
def test_who_may_create_projects(app, accounts, client_for, client, setting):
    app.config["WORKSPACE_PROJECT_CREATORS"] = setting
    for user, allowed in zip(accounts, EXPECTED[setting], strict=True):
        browser = client_for(user)
        home = browser.get("/").get_data(as_text=True)
        form = browser.get("/projects/new")
        created = browser.post("/projects/new", data={"name": f"By {user.name}"})
        api = call(client, "POST", "/projects", create_token(user, "t")[1],
                   {"name": f"API by {user.name}"})

        assert ("New project" in home) is allowed, (setting, user.name)
        assert form.status_code == (200 if allowed else 403)
        assert created.status_code == (302 if allowed else 403)
        assert api.status_code == (201 if allowed else 403)
        if not allowed:
            assert "Only the site's team may create projects" in created.get_data(as_text=True)
            assert api.json["error"]["code"] == "forbidden"


def test_an_unknown_setting_stops_the_start(monkeypatch, tmp_path):
    from workspace.config import from_environment

    monkeypatch.setenv("WORKSPACE_PROJECT_CREATORS", "anyone")
    with pytest.raises(ValueError, match="members, admins, everyone"):
        from_environment(tmp_path)
