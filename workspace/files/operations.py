"""Uploading, versioning and deleting files. Contents are stored first (atomically), rows
second, in one transaction with their event; a failure removes what was stored."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from workspace import items
from workspace.activity import operations as activity
from workspace.comments.following import follow_new_item
from workspace.comments.models import Comment
from workspace.errors import Refused
from workspace.extensions import db
from workspace.files.models import FileVersion, ProjectFile
from workspace.files.sniff import THUMBNAIL_TYPES, sniff
from workspace.files.storage import (
    Damaged,
    NoSpace,
    Storage,
    StorageUnavailable,
    StoredBlob,
    TooLarge,
    copy_into,
    storage,
)
from workspace.folders.models import Folder
from workspace.folders.operations import folder_is_private
from workspace.projects.access import NotAllowed, ProjectAccess
from workspace.types import utcnow

NAME_LIMIT = 255
THUMBNAIL_SIZE = (320, 320)
# Characters that reorder or hide text: a name must read as what it is.
INVISIBLE = {"\u200e", "\u200f", "\u061c", *map(chr, range(0x202A, 0x202F)),
             *map(chr, range(0x2066, 0x206A)), "\ufeff"}


class FileTooLarge(Refused):
    status = 413

    def __init__(self) -> None:
        super().__init__(str(_l("This file is larger than the %(size)s MB limit.",
                                size=current_app.config["WORKSPACE_MAX_UPLOAD_MB"])))


class StorageRefusal(Refused):
    """The store could not take an upload; the form is shown again as it was."""


class NoSpaceLeft(StorageRefusal):
    status = 507
    message = _l("The server has no space left to store this file. Nothing was saved; "
                 "try again later or tell your administrator.")


class StoreUnreachable(StorageRefusal):
    status = 503
    message = _l("The file store cannot be reached just now. Nothing was saved; try again in "
                 "a few minutes.")


class ClientCannotMarkPrivate(NotAllowed):
    description = _l("Only the team can mark a file private.")


def clean_name(raw: str | None) -> str:
    """A safe display name: no folders, no control or direction characters, at most 255
    characters with the extension kept."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c not in INVISIBLE and unicodedata.category(c)[0] != "C")
    name = name.strip(" .") or "file"
    if len(name) > NAME_LIMIT:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: NAME_LIMIT - len(suffix)] + suffix
    return name


# -- storing ----------------------------------------------------------------------------------

@contextmanager
def stored_blobs() -> Iterator[list[StoredBlob]]:
    """Collect the blobs a transaction stores; if it fails, remove those nothing uses."""
    stored: list[StoredBlob] = []
    try:
        yield stored
    except BaseException:
        db.session.rollback()
        try:
            remove_unused({blob.sha256 for blob in stored if blob.created})
        except StorageUnavailable as error:  # `files gc` removes them later
            current_app.logger.warning("could not remove an unused upload: %s", error)
        raise


def store(upload: FileStorage, stored: list[StoredBlob]) -> FileVersion:
    """Write an upload's content and describe it as a (not yet attached) version."""
    limit = current_app.config["WORKSPACE_MAX_UPLOAD_MB"] * 1024 * 1024
    try:
        blob = save(upload.stream, limit)
    except TooLarge:
        raise FileTooLarge() from None
    stored.append(blob)
    content_type = sniff(blob.head)
    thumbnail = make_thumbnail(blob, content_type, stored)
    return FileVersion(
        sha256=blob.sha256, size=blob.size, content_type=content_type,
        original_name=clean_name(upload.filename), thumbnail_sha256=thumbnail,
        created_at=utcnow(),
    )


def save(stream: BinaryIO, limit: int) -> StoredBlob:
    try:
        return storage().save(stream, limit)
    except NoSpace:
        current_app.logger.error("file storage is full: an upload was refused")
        raise NoSpaceLeft() from None
    except StorageUnavailable as error:
        current_app.logger.error("file store unavailable, an upload was refused: %s", error)
        raise StoreUnreachable() from None


def make_thumbnail(blob: StoredBlob, content_type: str, stored: list[StoredBlob]) -> str | None:
    if content_type not in THUMBNAIL_TYPES:
        return None
    try:
        with storage().open(blob.sha256) as stream, Image.open(stream) as image:
            image.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(out, "PNG")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        return None
    out.seek(0)
    thumbnail = save(out, len(out.getvalue()))
    stored.append(thumbnail)
    return thumbnail.sha256


def add_file(access: ProjectAccess, upload: FileStorage, stored: list[StoredBlob], *,
             description: str = "", private: bool = False, attached_to: object | None = None,
             comment: Comment | None = None, folder: Folder | None = None) -> ProjectFile:
    """Store one upload as a new file of the project, in the current transaction (in
    `folder`, if given: private whenever the folder is)."""
    if private and not access.may_mark_private:
        raise ClientCannotMarkPrivate()
    version = store(upload, stored)
    version.number, version.uploader = 1, access.user
    parent_private = bool(getattr(attached_to, "private", False)) or bool(
        folder and folder.private)
    project_file = ProjectFile(
        project_id=access.project.id, author=access.user, name=version.original_name,
        description=description.strip(), marked_private=private,
        private=private or parent_private,
        attached_type=getattr(attached_to, "subject_type", None),
        attached_id=getattr(attached_to, "id", None),
        attached_item_id=getattr(attached_to, "item_id", None),
        comment_id=comment.id if comment else None,
        folder_id=folder.id if folder else None,
        versions=[version],
    )
    project_file.take_facts_of(version)
    db.session.add(project_file)
    activity.record_event("uploaded", project_file, by=access.user, text=description)
    if attached_to is None and comment is None:  # a file of its own, with its own comments
        follow_new_item(project_file)
    return project_file


def upload_files(access: ProjectAccess, uploads: Iterable[FileStorage], *, description: str = "",
                 private: bool = False, folder: Folder | None = None) -> list[ProjectFile]:
    with stored_blobs() as stored:
        files = [add_file(access, upload, stored, description=description, private=private,
                          folder=folder)
                 for upload in uploads]
        db.session.commit()
    return files


def attach(access: ProjectAccess, uploads: Iterable[FileStorage], stored: list[StoredBlob], *,
           to: object, comment: Comment | None = None) -> list[ProjectFile]:
    """Attach uploads to an item or a comment, in the caller's transaction."""
    return [add_file(access, upload, stored, attached_to=to, comment=comment)
            for upload in uploads if upload and upload.filename]


def add_version(access: ProjectAccess, project_file: ProjectFile, upload: FileStorage) -> None:
    with stored_blobs() as stored:
        version = store(upload, stored)
        version.number = project_file.version_count + 1
        version.uploader = access.user
        project_file.versions.insert(0, version)
        project_file.version_count = version.number
        project_file.take_facts_of(version)
        activity.record_event("new_version", project_file, by=access.user,
                              text=version.original_name)
        db.session.commit()


def update_file(access: ProjectAccess, project_file: ProjectFile, *, name: str,
                description: str, private: bool) -> None:
    if private != project_file.marked_private and not access.may_mark_private:
        raise ClientCannotMarkPrivate()
    project_file.name, project_file.description = clean_name(name), description.strip()
    project_file.marked_private = private
    was_private = project_file.private
    project_file.private = (private or attached_item_is_private(project_file)
                            or folder_is_private(project_file.folder_id))
    activity.record_event("edited", project_file, by=access.user, text=description)
    if was_private != project_file.private:
        activity.follow_privacy(project_file)
    db.session.commit()


def attached_item_is_private(project_file: ProjectFile) -> bool:
    if project_file.attached_type is None:
        return False
    item = db.session.get(items.kind(project_file.attached_type).model, project_file.attached_id)
    return bool(item is not None and item.private)


# -- deleting ---------------------------------------------------------------------------------

def delete_file(project_file: ProjectFile) -> None:
    delete_files([project_file])


def delete_files(files: Iterable[ProjectFile]) -> None:
    """Delete files with their versions, comments and events (`items.delete`); once that is
    committed, their contents that nothing else uses. (The contents of attachments deleted with
    an item are left to `workspace files gc`.)"""
    files = list(files)
    hashes = {h for project_file in files for version in project_file.versions
              for h in (version.sha256, version.thumbnail_sha256) if h}
    for project_file in files:
        items.delete(project_file)
    db.session.commit()
    remove_unused(hashes)


def remove_unused(hashes: set[str]) -> None:
    """Remove stored contents that no version references any more."""
    if not hashes:
        return
    used = set(db.session.scalars(
        select(FileVersion.sha256).where(FileVersion.sha256.in_(hashes))
    )) | set(db.session.scalars(
        select(FileVersion.thumbnail_sha256).where(FileVersion.thumbnail_sha256.in_(hashes))
    ))
    for sha256 in hashes - used:
        storage().delete(sha256)


def referenced_hashes(connection: Connection | Session) -> set[str]:
    """Every stored content a row refers to: versions' contents and their thumbnails."""
    contents = set(connection.scalars(select(FileVersion.sha256)))
    thumbnails = connection.scalars(
        select(FileVersion.thumbnail_sha256).where(FileVersion.thumbnail_sha256.is_not(None)))
    return contents | set(thumbnails)


def collect_garbage(stale_after_seconds: float = 3600) -> tuple[int, int]:
    """Remove contents no row references and temporaries left by crashes.

    Returns (orphans removed, temporaries removed). Safe to run at any time: contents and
    temporaries written less than `stale_after_seconds` ago may belong to an upload whose
    transaction is not committed yet, so they are kept until a later run.
    """
    referenced = referenced_hashes(db.session)
    backend = storage()
    orphans = [sha256 for sha256 in backend.hashes(older_than=stale_after_seconds)
               if sha256 not in referenced]
    for sha256 in orphans:
        backend.delete(sha256)
    return len(orphans), backend.remove_stale_temporaries(stale_after_seconds)


def missing_contents() -> dict[str, list[FileVersion]]:
    """Contents the database refers to that the store lacks (lost, or a migration gone
    wrong), with the versions that need each (as content or as thumbnail)."""
    present = set(storage().hashes())
    missing = referenced_hashes(db.session) - present
    if not missing:
        return {}
    versions = db.session.scalars(select(FileVersion).where(
        FileVersion.sha256.in_(missing) | FileVersion.thumbnail_sha256.in_(missing)
    ).order_by(FileVersion.file_id, FileVersion.number))
    found: dict[str, list[FileVersion]] = {sha256: [] for sha256 in missing}
    for version in versions:
        for sha256 in {version.sha256, version.thumbnail_sha256} & missing:
            found[sha256].append(version)
    return found


@dataclass
class Migration:
    """What `workspace files migrate` did, content by content."""

    copied: int = 0
    skipped: int = 0  # already in the target, whole
    missing: list[str] = field(default_factory=list)  # referenced, but not in the source
    damaged: list[str] = field(default_factory=list)  # bytes that hash to something else


def migrate_contents(target: Storage) -> Migration:
    """Copy every content of this app's store (referenced or not yet collected) into
    `target`, streamed and hash-checked; contents already there are skipped, so a run cut
    short is resumed by running it again."""
    source, result = storage(), Migration()
    for sha256 in sorted(set(source.hashes()) | referenced_hashes(db.session)):
        try:
            copied = copy_into(source, target, sha256)
        except FileNotFoundError:
            result.missing.append(sha256)
            continue
        except Damaged:
            result.damaged.append(sha256)
            continue
        result.copied, result.skipped = (result.copied + copied, result.skipped + (not copied))
    return result


def files_attached_to(item: object, access: ProjectAccess) -> dict[int | None, list[ProjectFile]]:
    """Files attached to an item (key None) and to each of its comments (key comment id), as
    this person may see them, in one query."""
    grouped: dict[int | None, list[ProjectFile]] = {}
    files = db.session.scalars(access.visible(select(ProjectFile), ProjectFile).where(
        ProjectFile.attached_type == item.subject_type, ProjectFile.attached_id == item.id
    ).options(db.selectinload(ProjectFile.versions)).order_by(ProjectFile.id))
    for project_file in files:
        grouped.setdefault(project_file.comment_id, []).append(project_file)
    return grouped
