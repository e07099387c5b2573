"""`GET /health` answers for monitors: each configured dependency (the database, Redis, the
file store) "ok" or "unavailable", 200 when all are up and 503 otherwise; never a cookie."""

from __future__ import annotations

from flask import Flask

from tests.conftest import test_config
from tests.redis import RedisServer
from workspace import create_app
from workspace.extensions import db


def test_health_says_ok_without_signing_in_or_setting_a_cookie(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok",
                                   "checks": {"database": "ok", "storage": "ok"}}
    assert "Set-Cookie" not in response.headers


def test_health_answers_503_when_the_database_is_unreachable(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'workspace.db'}"
    app = create_app(test_config(unreachable))
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    assert response.get_json()["checks"]["database"] == "unavailable"
    assert "Set-Cookie" not in response.headers


def app_with_redis(database_url: str, redis_url: str, **config: object) -> Flask:
    return create_app(test_config(database_url) | {"WORKSPACE_REDIS_URL": redis_url, **config})


def test_health_reports_redis_when_it_is_configured_and_503_once_it_is_down(
        database_url, redis_server, caplog):
    app = app_with_redis(database_url, redis_server.url, HEALTH_CHECK_SECONDS=0)
    client = app.test_client()
    try:
        up = client.get("/health")
        redis_server.stop()
        down = client.get("/health")
    finally:
        with app.app_context():
            db.engine.dispose()

    assert up.status_code == 200
    assert up.get_json()["checks"] == {"database": "ok", "redis": "ok", "storage": "ok"}
    assert down.status_code == 503
    assert down.get_json() == {"status": "unavailable", "checks": {
        "database": "ok", "redis": "unavailable", "storage": "ok"}}
    assert "health check: redis unavailable" in caplog.text


def pings(server: RedisServer) -> int:
    return int(server.client().info("commandstats").get("cmdstat_ping", {}).get("calls", 0))


def test_health_asks_redis_at_most_once_a_period_however_often_it_is_polled(
        database_url, redis_server):
    app = app_with_redis(database_url, redis_server.url, HEALTH_CHECK_SECONDS=60)
    client = app.test_client()
    before = pings(redis_server)
    try:
        statuses = [client.get("/health").status_code for _ in range(20)]
    finally:
        with app.app_context():
            db.engine.dispose()
    assert statuses == [200] * 20
    assert pings(redis_server) - before == 1
