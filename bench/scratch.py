"""What the in-process benchmarks share: a scratch instance to build their data in."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def scratch_instance() -> Path:
    """A new instance folder, made the app's, with a SQLite database in it unless
    WORKSPACE_DATABASE_URL names another; call before importing the app."""
    instance = Path(tempfile.mkdtemp(prefix="workspace-bench-"))
    os.environ.setdefault("WORKSPACE_DATABASE_URL", f"sqlite:///{instance / 'bench.db'}")
    os.environ["WORKSPACE_INSTANCE_PATH"] = str(instance)
    return instance
