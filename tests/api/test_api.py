"""The API acts as the token's owner, through the same access rules as the pages."""

import re

import pytest

from tests.conftest import count_queries
from workspace.api.tokens import create_token
from workspace.auth.models import User
from workspace.extensions import db


@pytest.fixture
def world(make, client_for):
    ana, bo, cy, eve = make.user("Ana"), make.user("Bo"), make.user("Cy"), make.user("Eve")
    project = make.project("Launch", owner=ana, members=(bo,), clients=(cy,))
    make.project("Other", owner=eve)
    team = client_for(ana)
    for title, private in (("Public plan", ""), ("Budget", "y")):
        team.post(f"/projects/{project.id}/messages/new",
                  data={"title": title, "body": "b", "private": private})
    tokens = {name: create_token(user, "script")[1]
              for name, user in (("owner", ana), ("member", bo), ("client", cy), ("stranger", eve))}
    return project, tokens


def get(client, url, token=None, headers=None, **kwargs):
    headers = {**({"Authorization": f"Bearer {token}"} if token else {}), **(headers or {})}
    return client.get(f"/api/v1{url}", headers=headers, **kwargs)


def test_me_includes_the_feed_urls(world, client):
    _, tokens = world
    body = get(client, "/me", tokens["client"]).json
    assert body["name"] == "Cy" and "token=" in body["feeds"]["atom"]


@pytest.mark.parametrize("token, status, code", [
    (None, 401, "unauthorized"), ("ws_nonsense", 401, "invalid_token"),
])
def test_no_or_a_bad_token_is_refused_with_a_json_error(world, client, token, status, code):
    response = get(client, "/me", token)
    assert response.status_code == status
    assert response.json == {"error": {"code": code, "message": response.json["error"]["message"]}}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working(world, client, client_for):
    _, tokens = world
    from workspace.api.models import ApiToken
    token = db.session.scalars(db.select(ApiToken).order_by(ApiToken.id)).first()
    client_for(token.user).post(f"/settings/tokens/{token.id}/revoke")
    assert get(client, "/me", tokens["owner"]).status_code == 401


@pytest.mark.parametrize("role, sees", [
    ("owner", {"Public plan", "Budget"}), ("member", {"Public plan", "Budget"}),
    ("client", {"Public plan"}), ("stranger", None),
])
def test_every_role_sees_what_its_pages_show(world, client, client_for, role, sees):
    project, tokens = world
    response = get(client, f"/projects/{project.id}/messages", tokens[role])
    if sees is None:
        assert response.status_code == 404
        assert response.json["error"]["code"] == "not_found"
        return
    assert {m["title"] for m in response.json} == sees
    events = get(client, f"/projects/{project.id}/events", tokens[role]).json
    assert all(not e["private"] for e in events) or role != "client"
    assert ("Budget" in str(events)) == ("Budget" in sees)


def test_the_api_and_the_pages_agree_for_a_client(world, client, client_for):
    project, tokens = world
    from workspace.auth.models import User
    cy = db.session.scalars(db.select(User).where(User.name == "Cy")).one()
    page = client_for(cy).get(f"/projects/{project.id}/messages").text
    listed = get(client, f"/projects/{project.id}/messages", tokens["client"]).json
    assert all(message["title"] in page for message in listed)
    assert "Budget" not in page


def test_lists_paginate_with_a_cursor_and_a_link_header(world, client):
    project, tokens = world
    first = get(client, f"/projects/{project.id}/events?limit=1", tokens["owner"])
    assert len(first.json) == 1 and 'rel="next"' in first.headers["Link"]
    next_url = first.headers["Link"].split(">")[0].lstrip("<")
    second = client.get(next_url, headers={"Authorization": f"Bearer {tokens['owner']}"})
    assert second.json[0]["id"] < first.json[0]["id"]
    newest = first.json[0]["id"]
    assert get(client, f"/events?since={newest}", tokens["owner"]).json == []
    bad = get(client, "/projects?cursor=!!", tokens["owner"])
    assert bad.status_code == 400 and bad.json["error"]["fields"] == {"cursor": "unknown"}


def test_a_call_sets_no_cookie_and_writes_nothing_after_the_first_of_the_day(world, client):
    _, tokens = world
    get(client, "/me", tokens["owner"])  # records today's use
    with count_queries() as counter:
        response = get(client, "/projects", tokens["owner"])
    assert "Set-Cookie" not in response.headers
    assert [s for s in counter.statements if not s.lstrip().upper().startswith("SELECT")] == []


def documented_form(rule) -> list[str]:  # type: ignore[no-untyped-def]
    """/projects/<int:project_id>/todos/<any(a, b):change> -> the OpenAPI paths it serves."""
    path = re.sub(r"<(?:int|string):(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
    choice = re.search(r"<any\(([^)]*)\):\w+>", path)
    if not choice:
        return [path]
    return [path.replace(choice.group(0), option.strip()) for option in choice.group(1).split(",")]


def test_the_openapi_document_describes_every_route_and_method(app, client):
    spec = client.get("/api/v1/openapi.json").json
    served = {(path, method.lower()) for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
              for path in documented_form(rule)
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    described = {(path, method) for path, methods in spec["paths"].items() for method in methods}
    assert served == described
    assert "Workspace API" in client.get("/api/docs").text


def test_tokens_are_made_on_the_settings_page_and_with_the_cli(make, client_for, runner):
    ana = make.user("Ana", email="ana@example.org")
    page = client_for(ana).post("/settings/tokens", data={"name": "Zapier"}).text
    assert 'id="new-token"' in page and "ws_" in page
    result = runner.invoke(args=["tokens", "create", "ana@example.org", "--name", "cron"])
    assert result.exit_code == 0 and result.output.startswith("ws_")
    assert client_for(ana).get("/settings/tokens").text.count("never used") == 2


def test_calls_are_rate_limited_per_token(app, make, database_url):
    from tests.conftest import Client, test_config
    from workspace import create_app

    ana, bo = make.user("Ana"), make.user("Bo")
    tokens = [create_token(user, "script")[1] for user in (ana, bo)]
    limited = create_app(test_config(database_url) | {
        "RATELIMIT_ENABLED": True, "WORKSPACE_API_RATE_LIMIT": "2 per minute"})
    limited.test_client_class = Client
    client = limited.test_client()
    try:
        statuses = [get(client, "/me", tokens[0]).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        limited_response = get(client, "/me", tokens[0])
        assert limited_response.json["error"]["code"] == "rate_limited"
        assert get(client, "/me", tokens[1]).status_code == 200  # another token, its own count
    finally:
        with limited.app_context():
            db.engine.dispose()


def test_events_answer_a_poll_with_nothing_new_with_304_and_keep_their_pages(
        world, client, client_for):
    project, tokens = world
    owner, member = tokens["owner"], tokens["member"]
    first = get(client, "/events?limit=1", owner)
    with count_queries() as again:
        second = get(client, "/events?limit=1", owner)
    with count_queries() as poll:
        unchanged = get(client, "/events?limit=1", owner,
                        headers={"If-None-Match": first.headers["ETag"]})
    as_member = get(client, "/events?limit=1", member)
    ana = db.session.scalar(db.select(User).where(User.name == "Ana"))
    client_for(ana).post(f"/projects/{project.id}/messages/new",
                                   data={"title": "Retrospective", "body": "b"})
    changed = get(client, "/events?limit=1", owner,
                  headers={"If-None-Match": first.headers["ETag"]})

    assert second.data == first.data and second.headers["Link"] == first.headers["Link"]
    assert again.count == poll.count  # a kept page costs the validators' queries
    assert unchanged.status_code == 304 and not unchanged.data
    assert as_member.headers["ETag"] != first.headers["ETag"]
    assert changed.status_code == 200 and "Retrospective" in changed.json[0]["summary"]
    assert changed.json[0]["id"] > first.json[0]["id"]
