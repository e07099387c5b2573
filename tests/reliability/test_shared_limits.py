"""With WORKSPACE_REDIS_URL set, the rate limits are counted in Redis, where every worker of
every node counts together (tests/cluster proves it across two nodes); with Redis down, sign-in
still works, limited in each process, and the fallback is logged."""

from __future__ import annotations

import requests
from flask import Flask

from tests.conftest import PASSWORD, Client, test_config
from tests.mail.conftest import free_port
from tests.redis import RedisServer
from tests.reliability.server import Deployment, csrf_in
from workspace import create_app
from workspace.api.tokens import create_token
from workspace.extensions import db


def limited_app(database_url: str, redis_url: str) -> Flask:
    app = create_app(test_config(database_url) | {
        "RATELIMIT_ENABLED": True, "WORKSPACE_REDIS_URL": redis_url,
        "WORKSPACE_LOGIN_RATE_LIMIT": "3 per minute", "WORKSPACE_API_RATE_LIMIT": "2 per minute"})
    app.test_client_class = Client
    return app


def counted(server: RedisServer) -> list[str]:
    return sorted(key.decode() for key in server.client().keys("LIMITS:*"))


def test_sign_in_attempts_and_api_calls_are_counted_in_redis(make, database_url, redis_server):
    ana = make.user("Ana", email="ana@example.org")
    token = create_token(ana, "script")[1]
    app = limited_app(database_url, redis_server.url)
    client = app.test_client()
    wrong = {"email": "ana@example.org", "password": "guessing"}
    try:
        attempts = [client.post("/login", data=wrong).status_code for _ in range(4)]
        calls = [client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
                 .status_code for _ in range(3)]
        keys = counted(redis_server)
        redis_server.client().flushall()  # the counts live there, and only there
        after_flush = client.post("/login", data=wrong).status_code
    finally:
        with app.app_context():
            db.engine.dispose()

    assert attempts == [400, 400, 400, 429]
    assert calls == [200, 200, 429]
    assert any("auth.login" in key for key in keys), keys
    assert len(keys) >= 2, keys  # the sign-in's and the token's
    assert after_flush == 400


def test_with_redis_down_sign_in_works_limited_per_process_and_says_so(
        make, database_url, tmp_path):
    """A real gunicorn worker (the limiter's fallback is state of the process) whose Redis
    address answers nothing."""
    make.user("Ana", email="ana@example.org")
    (tmp_path / "instance").mkdir()
    deployment = Deployment(database_url, tmp_path / "instance", tmp_path / "uploads",
                            workers=1)
    deployment.env.update(WORKSPACE_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
                          WORKSPACE_LOGIN_RATE_LIMIT="3 per minute")
    with deployment:
        browser = requests.Session()

        def sign_in(password: str) -> int:
            page = browser.get(f"{deployment.url}/login", timeout=30)
            return browser.post(f"{deployment.url}/login", allow_redirects=False, timeout=30,
                                data={"email": "ana@example.org", "password": password,
                                      "csrf_token": csrf_in(page.text)}).status_code

        statuses = [sign_in(PASSWORD)]
        browser.cookies.clear()
        statuses += [sign_in("guessing") for _ in range(3)]
        health = requests.get(f"{deployment.url}/health", timeout=30)

    assert statuses == [302, 400, 400, 429]
    assert "Rate limit storage unreachable - falling back to in-memory storage" in (
        deployment.log("gunicorn"))
    assert health.status_code == 503
    assert health.json()["checks"]["redis"] == "unavailable"
