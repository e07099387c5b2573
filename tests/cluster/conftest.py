"""The two-node cluster (cluster.py), started once per test module on a PostgreSQL database
of its own; and `make`, which builds people and projects in that database for the tests to
stand on (everything else goes through nginx)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.cluster.cluster import Cluster, require_tools, start_cluster
from tests.conftest import POSTGRES_URL, Factory, scratch_postgres_database, skip_or_fail
from tests.conftest import test_config as app_config
from workspace import create_app
from workspace.extensions import db


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not POSTGRES_URL:
        # Several servers on one database: SQLite is one machine's file, not a deployment's.
        skip_or_fail("the cluster tests run on PostgreSQL: set WORKSPACE_TEST_DATABASE_URL")
    require_tools()
    folder = tmp_path_factory.mktemp("cluster")
    stopping: list[object] = []
    with scratch_postgres_database(f"workspace_cluster_{os.getpid()}") as database_url:
        try:
            yield start_cluster(folder, database_url, stopping)
        finally:
            for stop in reversed(stopping):
                stop()  # type: ignore[operator]


@pytest.fixture(scope="module")
def cluster_app(cluster: Cluster) -> Iterator[Flask]:
    """An app on the cluster's database, in this process, for `make` and for reading rows."""
    app = create_app(app_config(cluster.database_url) | {"WORKSPACE_UPLOAD_DIR": str(
        Path(cluster.nodes[0].instance) / "unused")})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


TESTS = itertools.count(1)


@pytest.fixture
def make(cluster_app: Flask) -> Iterator[Factory]:
    """The tests of a module share the cluster's database: each numbers its people apart."""
    yield Factory(counter=next(TESTS) * 1000)
    db.session.rollback()  # read what the nodes wrote since, in the next test
