"""Where file contents live: content-addressed blobs behind a small interface, so that an
object-store backend can replace the local disk later (CTFd's uploader shape)."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

from workspace.errors import OUT_OF_SPACE

CHUNK = 1024 * 1024
SNIFF_BYTES = 8192


class TooLarge(Exception):
    """The upload went past the configured maximum; nothing was kept."""


class NoSpace(Exception):
    """The disk (or the quota) is full; nothing was kept."""


class StorageUnavailable(Exception):
    """The store cannot be reached or refuses us (network, credentials, bucket); the message
    says which and is meant for an administrator's log or console."""


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    head: bytes  # the first bytes, for sniffing the type
    created: bool  # False when the same content was already stored


class Storage(Protocol):
    def save(self, stream: BinaryIO, max_size: int) -> StoredBlob: ...
    def path(self, sha256: str) -> Path: ...
    def exists(self, sha256: str) -> bool: ...
    def delete(self, sha256: str) -> None: ...
    def hashes(self, older_than: float = 0) -> Iterator[str]: ...
    def remove_stale_temporaries(self, older_than: float) -> int: ...
    def check(self) -> None: ...  # raises StorageUnavailable


class LocalStorage:
    """Blobs under `root/ab/cd/<sha256>`. Writes go to a temporary file in the same
    filesystem, are fsynced, then renamed into place: a reader never sees half a file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.temporary = root / "tmp"

    def save(self, stream: BinaryIO, max_size: int) -> StoredBlob:
        try:
            return self.write(stream, max_size)
        except OSError as error:
            if error.errno in OUT_OF_SPACE:
                raise NoSpace() from error
            raise

    def write(self, stream: BinaryIO, max_size: int) -> StoredBlob:
        self.temporary.mkdir(parents=True, exist_ok=True)
        digest, size, head = hashlib.sha256(), 0, b""
        handle, temporary_name = tempfile.mkstemp(dir=self.temporary, prefix="upload-")
        temporary = Path(temporary_name)
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_size:
                        raise TooLarge()
                    if len(head) < SNIFF_BYTES:
                        head += chunk[: SNIFF_BYTES - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            target = self.path(sha256)
            if target.exists():
                temporary.unlink()
                # Fresh again: gc spares recent contents, whose upload may not be committed.
                os.utime(target)
                return StoredBlob(sha256, size, head, created=False)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, target)
            return StoredBlob(sha256, size, head, created=True)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def hashes(self, older_than: float = 0) -> Iterator[str]:
        """The stored contents, or only those not written for `older_than` seconds."""
        limit = time.time() - older_than
        for path in self.root.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]/*"):
            if not older_than or written_before(path, limit):
                yield path.name

    def remove_stale_temporaries(self, older_than: float) -> int:
        """Delete temporary files left by a crash; returns how many."""
        if not self.temporary.exists():
            return 0
        removed = 0
        for path in self.temporary.iterdir():
            if path.stat().st_mtime < time.time() - older_than:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def check(self) -> None:
        """Can contents be written here? (A missing folder is made on the first upload.)"""
        folder = self.root if self.root.exists() else self.root.parent
        if not os.access(folder, os.W_OK):
            raise StorageUnavailable(f"{folder} is not writable by this process.")


def written_before(path: Path, limit: float) -> bool:
    """Was `path` last written before `limit`? (False if it is gone meanwhile.)"""
    try:
        return path.stat().st_mtime < limit
    except FileNotFoundError:
        return False


def storage() -> Storage:
    return LocalStorage(Path(current_app.config["WORKSPACE_UPLOAD_DIR"]))
