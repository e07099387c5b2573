"""The migrations build exactly the models' schema, on every backend."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tests.conftest import BACKENDS, scratch_postgres_database, test_config
from workspace import create_app
from workspace.extensions import db
from workspace.search.models import include_object


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    with scratch_postgres_database(f"workspace_migrations_{os.getpid()}") as url:
        yield url


def schema_differences() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        return compare_metadata(context, db.metadata)


def test_migrations_match_the_models(empty_database_url: str) -> None:
    app = create_app(test_config(empty_database_url))
    with app.app_context():
        upgrade()
        assert schema_differences() == []
        db.engine.dispose()


def test_migrations_downgrade_to_nothing(empty_database_url: str) -> None:
    app = create_app(test_config(empty_database_url))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            tables = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()
