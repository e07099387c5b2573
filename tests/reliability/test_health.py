"""`GET /health` answers for monitors: 200 with the database, 503 without; never a cookie."""

from tests.conftest import test_config
from workspace import create_app


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
