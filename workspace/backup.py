"""`workspace backup PATH` and `workspace restore PATH`: a consistent copy of a live instance.

A backup is a folder (or the same folder as a .tar.gz) holding the database, the stored file
contents the database refers to (read from the local store or the S3 bucket, whichever
WORKSPACE_STORAGE_URL names, and restored into whichever the restoring instance uses), and
`manifest.json` (format, migration, row counts). The
database is copied first, while the site keeps serving: SQLite through its online backup API,
PostgreSQL through `pg_dump` on an exported snapshot. The contents are copied afterwards, and
only those the copied database refers to: contents never change once stored, so the pair is
consistent. A file deleted between the two steps is listed in the manifest as missing.

A restore goes into a fresh instance (an empty database) of the same kind, unless `force`.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, create_engine, inspect, select, text
from sqlalchemy.engine import URL

from workspace.extensions import db
from workspace.files.operations import referenced_hashes
from workspace.files.storage import Damaged, LocalStorage, copy_into, storage
from workspace.types import utcnow

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
FILES = "files"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Snapshot:
    """What the copied database holds."""

    counts: dict[str, int]
    hashes: set[str]
    revision: str | None
    missing: list[str] = field(default_factory=list)


# -- backing up -------------------------------------------------------------------------------

def backup(destination: Path) -> dict[str, object]:
    """Copy the database, then the contents it refers to, into `destination` (a new folder,
    or a file ending in .tar.gz). Returns the manifest."""
    with staging(destination) as folder:
        snapshot = copy_database(folder)
        snapshot.missing = copy_contents(snapshot.hashes, folder / FILES)
        manifest = {
            "format": FORMAT, "created_at": utcnow().isoformat(),
            "database": db.engine.dialect.name, "alembic_revision": snapshot.revision,
            "counts": snapshot.counts, "files": len(snapshot.hashes) - len(snapshot.missing),
            "missing_files": snapshot.missing,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def is_archive(path: Path) -> bool:
    return path.name.endswith(".tar.gz")


@contextmanager
def staging(destination: Path) -> Iterator[Path]:
    """A folder to write the backup in; it becomes `destination` only once complete."""
    if destination.exists() and (destination.is_file() or any(destination.iterdir())):
        raise BackupError(f"{destination} already exists; choose a new path.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=destination.parent) as work:
        folder = Path(work) / "backup"
        folder.mkdir()
        yield folder
        if is_archive(destination):
            partial = Path(work) / "backup.tar.gz"
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(folder, arcname=".")
            os.replace(partial, destination)
        else:
            if destination.exists():
                destination.rmdir()
            os.replace(folder, destination)


def copy_database(folder: Path) -> Snapshot:
    if db.engine.dialect.name == "sqlite":
        return copy_sqlite(folder / SQLITE_FILE)
    if db.engine.dialect.name == "postgresql":
        return copy_postgres(folder / POSTGRES_FILE)
    raise BackupError(f"Backing up a {db.engine.dialect.name} database is not supported.")


def copy_sqlite(target: Path) -> Snapshot:
    """SQLite's online backup: a consistent copy while writers go on."""
    with closing(sqlite3.connect(db.engine.url.database)) as source, \
            closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    engine = create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as connection:
            return read_snapshot(connection)
    finally:
        engine.dispose()


def copy_postgres(target: Path) -> Snapshot:
    """`pg_dump` of a snapshot this transaction exports, so that the counts and the contents
    listed here are exactly those of the dump."""
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot_id = connection.scalar(text("SELECT pg_export_snapshot()"))
            snapshot = read_snapshot(connection)
            run_postgres_tool("pg_dump", "--format=custom", f"--snapshot={snapshot_id}",
                              f"--file={target}", database=db.engine.url)
    return snapshot


def read_snapshot(connection: Connection) -> Snapshot:
    tables = set(inspect(connection).get_table_names())
    counts = {table.name: connection.scalar(select(db.func.count()).select_from(table))
              for table in db.metadata.sorted_tables if table.name in tables}
    revision = (connection.scalar(text("SELECT version_num FROM alembic_version"))
                if "alembic_version" in tables else None)
    return Snapshot(counts, referenced_hashes(connection), revision)


def copy_contents(hashes: set[str], target: Path) -> list[str]:
    """Copy the stored contents named by `hashes` (from the local folder or the bucket) into
    the backup's folder; returns those no longer there."""
    source, copy = storage(), LocalStorage(target)
    missing = []
    for sha256 in sorted(hashes):
        try:
            copy_into(source, copy, sha256)
        except FileNotFoundError:
            missing.append(sha256)
    if copy.temporary.exists():  # where each copy was written before its rename: empty now
        copy.temporary.rmdir()
    return missing


def run_postgres_tool(tool: str, *arguments: str, database: URL) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed; install the PostgreSQL client tools "
                          f"(Debian: apt install postgresql-client) and try again.")
    libpq = database.set(drivername="postgresql", password=None)
    env = {**os.environ, "PGPASSWORD": database.password or os.environ.get("PGPASSWORD", "")}
    result = subprocess.run(
        [tool, *arguments, f"--dbname={libpq.render_as_string(hide_password=False)}"],
        env=env, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()}")


# -- restoring --------------------------------------------------------------------------------

def restore(source: Path, *, force: bool = False) -> dict[str, object]:
    """Load a backup into this instance's database and file storage, then check that every
    row and every content is there. Refuses a database that holds anything unless `force`."""
    with unpacked(source) as folder:
        manifest = read_manifest(folder)
        if manifest["database"] != db.engine.dialect.name:
            raise BackupError(f"This backup is of a {manifest['database']} database; this "
                              f"instance uses {db.engine.dialect.name}.")
        if not force and not database_is_empty():
            raise BackupError("This instance's database is not empty; restore into a fresh "
                              "instance, or pass --force to replace everything in it.")
        load_database(folder)
        copy_all_contents(folder / FILES)
    check_restored(manifest)
    return manifest


@contextmanager
def unpacked(source: Path) -> Iterator[Path]:
    if not source.exists():
        raise BackupError(f"{source} does not exist.")
    if not is_archive(source):
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="workspace-restore-") as work:
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work, filter="data")
        yield Path(work)


def read_manifest(folder: Path) -> dict[str, object]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError(f"{folder} is not a Workspace backup (no readable manifest).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def database_is_empty() -> bool:
    tables = set(inspect(db.engine).get_table_names())
    return not any(db.session.scalar(select(db.func.count()).select_from(table))
                   for table in db.metadata.sorted_tables if table.name in tables)


def load_database(folder: Path) -> None:
    db.session.remove()
    db.engine.dispose()
    if db.engine.dialect.name == "sqlite":
        with closing(sqlite3.connect(folder / SQLITE_FILE)) as copy, \
                closing(sqlite3.connect(db.engine.url.database)) as target:
            copy.backup(target)
    else:
        run_postgres_tool("pg_restore", "--clean", "--if-exists", "--no-owner",
                          "--no-privileges", "--single-transaction", "--exit-on-error",
                          str(folder / POSTGRES_FILE), database=db.engine.url)
    db.engine.dispose()


def copy_all_contents(source: Path) -> None:
    """Put the backup's contents into this instance's store (folder or bucket), hashes
    checked; those it has already are left as they are."""
    backup, target = LocalStorage(source), storage()
    for blob in backup.hashes():
        try:
            copy_into(backup, target, blob)
        except Damaged as error:
            raise BackupError(f"A content of the backup is damaged: {error}.") from None


def check_restored(manifest: dict[str, object]) -> None:
    with db.engine.connect() as connection:
        restored = read_snapshot(connection)
    if restored.counts != manifest["counts"]:
        raise BackupError(f"The restored database differs from the backup: "
                          f"{restored.counts} instead of {manifest['counts']}.")
    absent = {sha256 for sha256 in restored.hashes if not storage().exists(sha256)}
    if absent - set(manifest["missing_files"]):
        raise BackupError(f"{len(absent)} stored content(s) are missing after the restore.")
