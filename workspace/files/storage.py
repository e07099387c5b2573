"""Where file contents live: content-addressed blobs behind a small interface (CTFd's uploader
shape), on the local disk (`file://…`, the default) or in an S3 bucket (`s3://bucket/prefix`).
Both keep the same promises: a content is named by its SHA-256 and stored once, it streams in
and out with bounded memory, and a reader never sees half of one."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import unquote, urlsplit

from flask import current_app

from workspace.errors import OUT_OF_SPACE, StorageUnavailable

CHUNK = 1024 * 1024
SNIFF_BYTES = 8192


class TooLarge(Exception):
    """The upload went past the configured maximum; nothing was kept."""


class NoSpace(Exception):
    """The disk (or the quota) is full; nothing was kept."""


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    head: bytes  # the first bytes, for sniffing the type
    created: bool  # False when the same content was already stored


class Storage(Protocol):
    url: str

    def save(self, stream: BinaryIO, max_size: int) -> StoredBlob: ...
    def open(self, sha256: str) -> BinaryIO: ...  # seekable; FileNotFoundError if absent
    def exists(self, sha256: str) -> bool: ...
    def size(self, sha256: str) -> int | None: ...  # None if absent
    def delete(self, sha256: str) -> None: ...
    def hashes(self, older_than: float = 0) -> Iterator[str]: ...
    def remove_stale_temporaries(self, older_than: float) -> int: ...
    def check(self) -> None: ...  # raises StorageUnavailable


def check_hash(sha256: str) -> str:
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        raise ValueError("not a sha256 hex digest")
    return sha256


@dataclass
class Spooled:
    """What copying a stream found: its hash, size and first bytes."""

    sha256: str
    size: int
    head: bytes


def spool(stream: BinaryIO, max_size: int, out: BinaryIO) -> Spooled:
    """Copy `stream` into `out` a chunk at a time, refusing more than `max_size` bytes."""
    digest, size, head = hashlib.sha256(), 0, b""
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_size:
            raise TooLarge()
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        digest.update(chunk)
        out.write(chunk)
    out.flush()
    return Spooled(digest.hexdigest(), size, head)


def translate_disk_errors(error: OSError) -> NoSpace:
    if error.errno in OUT_OF_SPACE:
        return NoSpace()
    raise error


class LocalStorage:
    """Blobs under `root/ab/cd/<sha256>`. Writes go to a temporary file in the same
    filesystem, are fsynced, then renamed into place: a reader never sees half a file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.temporary = root / "tmp"
        self.url = root.resolve().as_uri()

    def save(self, stream: BinaryIO, max_size: int) -> StoredBlob:
        try:
            return self.write(stream, max_size)
        except OSError as error:
            raise translate_disk_errors(error) from error

    def write(self, stream: BinaryIO, max_size: int) -> StoredBlob:
        self.temporary.mkdir(parents=True, exist_ok=True)
        handle, temporary_name = tempfile.mkstemp(dir=self.temporary, prefix="upload-")
        temporary = Path(temporary_name)
        try:
            with os.fdopen(handle, "wb") as out:
                spooled = spool(stream, max_size, out)
                os.fsync(out.fileno())
            target = self.path(spooled.sha256)
            if target.exists():
                temporary.unlink()
                # Fresh again: gc spares recent contents, whose upload may not be committed.
                os.utime(target)
                return StoredBlob(spooled.sha256, spooled.size, spooled.head, created=False)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, target)
            return StoredBlob(spooled.sha256, spooled.size, spooled.head, created=True)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def path(self, sha256: str) -> Path:
        check_hash(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int | None:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            return None

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
        folder = self.root
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not os.access(folder, os.W_OK):
            raise StorageUnavailable(f"{folder} is not writable by this process.")


def written_before(path: Path, limit: float) -> bool:
    """Was `path` last written before `limit`? (False if it is gone meanwhile.)"""
    try:
        return path.stat().st_mtime < limit
    except FileNotFoundError:
        return False


def storage() -> Storage:
    """This app's store: WORKSPACE_STORAGE_URL, or the local folder WORKSPACE_UPLOAD_DIR."""
    return storage_at(current_app.config.get("WORKSPACE_STORAGE_URL") or "",
                      current_app.config)


def storage_at(url: str, config: Mapping[str, object]) -> Storage:
    """The store a URL names: `file:///path`, `s3://bucket/prefix`, or "" for the upload
    folder. ValueError for anything else."""
    if not url:
        return LocalStorage(Path(str(config["WORKSPACE_UPLOAD_DIR"])))
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.path:
        return LocalStorage(Path(unquote(parts.path)))
    if parts.scheme == "s3" and parts.netloc:
        from workspace.files.s3 import S3Storage

        return S3Storage(parts.netloc, unquote(parts.path).strip("/"),
                         endpoint_url=str(config.get("WORKSPACE_S3_ENDPOINT_URL") or "") or None)
    raise ValueError(f"WORKSPACE_STORAGE_URL must be file:///path or s3://bucket/prefix; "
                     f"it is {url!r}.")


class Damaged(Exception):
    """A stored content whose bytes no longer hash to its name."""


def copy_into(source: Storage, target: Storage, sha256: str) -> bool:
    """Copy one content from `source` to `target`, streamed, its hash checked on the way.
    Returns False when `target` has it already: stores write a content under its hash only
    once it is whole, so the same size there means the same bytes. FileNotFoundError if
    `source` lacks it, Damaged if its bytes there hash to something else."""
    size = target.size(sha256)
    if size is not None and size == source.size(sha256):
        return False
    with source.open(sha256) as stream:
        stored = target.save(stream, max_size=2**62)
    if stored.sha256 != sha256:
        if stored.created:
            target.delete(stored.sha256)
        raise Damaged(f"{sha256} in {source.url} reads back as {stored.sha256}")
    return True
