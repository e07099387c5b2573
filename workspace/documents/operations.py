"""Writing documents: each save is a new version, in one transaction with its event.

A save names the version it was edited from (`base`). When someone saved a newer one in the
meantime, nothing is written: `Outdated` carries both texts and, when the two edits do not
touch the same lines, a merged proposal. Two saves racing on the same base both try to write
the same version number; the unique (document, number) key lets one through and turns the
other into `Outdated` too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from workspace import items
from workspace.activity import operations as activity
from workspace.activity.models import Event
from workspace.comments.following import follow, follow_new_item
from workspace.comments.mentions import Mentions, announce, render_with_mentions, resolve
from workspace.documents.compare import merge
from workspace.documents.models import Document, DocumentVersion
from workspace.documents.signals import version_saved
from workspace.errors import Refused
from workspace.extensions import db
from workspace.files.operations import attach, stored_blobs
from workspace.folders.models import Folder
from workspace.folders.operations import check_title_free, folder_is_private
from workspace.projects.access import NotAllowed, ProjectAccess
from workspace.types import utcnow

PAGE_SIZE = 30
HISTORY_PAGE_SIZE = 50
EXCERPT_LENGTH = 280
# A document's text: at most 5 MB (in UTF-8), refused with a message beyond.
BODY_LIMIT_BYTES = 5 * 1024 * 1024


class ClientCannotMarkPrivate(NotAllowed):
    description = _l("Only the team can mark a document private.")


class TooLong(Refused):
    status = 413
    message = _l("A document has at most 5 MB of text. Nothing was saved.")


@dataclass
class Outdated(Exception):
    """A save on a version older than the latest: what the person sent, what is there now,
    and their merge when the two edits do not overlap (None when they do)."""

    latest: DocumentVersion
    base: DocumentVersion | None
    title: str
    body: str
    merged: str | None


def normalized(body: str) -> str:
    """Line ends as \\n: browsers send \\r\\n, and a diff should not see every line change."""
    return body.replace("\r\n", "\n").replace("\r", "\n")


def check_size(body: str) -> None:
    if len(body.encode()) > BODY_LIMIT_BYTES:
        raise TooLong()


def short_excerpt(body: str) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[: EXCERPT_LENGTH - 1] + "…"


def write_document(access: ProjectAccess, *, title: str, body: str, private: bool,
                   note: str = "", attachments: Iterable[FileStorage] = (),
                   folder: Folder | None = None) -> Document:
    """A new document and its first version, with its attachments, in one transaction; in
    `folder` (None: at the top), private whenever the folder is. Its author follows it; the
    people it mentions are told at once and follow it (its `mentions`, for the view)."""
    if private and not access.may_mark_private:
        raise ClientCannotMarkPrivate()
    body = normalized(body)
    check_size(body)
    check_title_free(items.kind("document"), access.project.id, folder.id if folder else None,
                     title)
    now = utcnow()
    with stored_blobs() as stored:
        document = Document(project_id=access.project.id, author=access.user, editor=access.user,
                            marked_private=private,
                            private=private or bool(folder and folder.private),
                            folder_id=folder.id if folder else None, created_at=now,
                            version_count=0)
        document.mentions = set_text(document, title, body, now, access)  # not stored
        db.session.add(document)
        db.session.flush()
        add_version(document, access, note, now)
        event = activity.record_event("created", document, by=access.user, text=note or body)
        follow_new_item(document)
        announce(document, event, document.mentions)
        attach(access, attachments, stored, to=document)
        db.session.commit()
    return document


def set_text(document: Document, title: str, body: str, now: object,
             access: ProjectAccess) -> Mentions:
    """The document's new title and text, its mentions linked for who may see it (its
    effective mark, so set that first); returns what the mentions resolve to."""
    document.title, document.body = title.strip(), body
    document.body_html, found = render_with_mentions(
        body, project_id=document.project_id, private=document.private, author=access.user)
    document.excerpt = short_excerpt(body)
    document.updated_at = now
    return found


def mentions_before(document: Document, access: ProjectAccess) -> Mentions:
    """The mentions of the text about to be replaced: those people were told already."""
    return resolve(document.body, project_id=document.project_id, private=document.private,
                   author=access.user)


def add_version(document: Document, access: ProjectAccess, note: str, now: object
                ) -> DocumentVersion:
    version = DocumentVersion(
        document_id=document.id, number=document.version_count + 1, title=document.title,
        body=document.body, note=note.strip()[:200], size=len(document.body.encode()),
        author=access.user, created_at=now,
    )
    db.session.add(version)
    document.version_count = version.number
    document.editor = access.user
    return version


def save_document(access: ProjectAccess, document: Document, *, base: int, title: str,
                  body: str, private: bool, note: str = "") -> DocumentVersion:
    """Save a new version edited from version `base`. Raises `Outdated` (nothing written) when
    `base` is not the latest any more. The people newly mentioned are told at once, the
    followers (the saver among them from now on) of the new version; the version's
    `mentions` are for the view."""
    if private != document.marked_private and not access.may_mark_private:
        raise ClientCannotMarkPrivate()
    body = normalized(body)
    check_size(body)
    if base != document.version_count:
        raise outdated(document, base, title, body)
    check_title_free(items.kind("document"), document.project_id, document.folder_id, title,
                     keep=document.id)
    effective = private or folder_is_private(document.folder_id)
    privacy_changed = effective != document.private
    now = utcnow()
    try:
        document.marked_private, document.private = private, effective
        before = mentions_before(document, access)
        found = set_text(document, title, body, now, access)
        version = add_version(document, access, note, now)
        event = record_save(access, document, version, privacy_changed)
        announce_version(access, document, event, found, before)
        db.session.commit()
    except IntegrityError:  # someone saved the same version number first
        db.session.rollback()
        db.session.refresh(document)
        raise outdated(document, base, title, body) from None
    version.mentions = found  # not stored
    return version


def record_save(access: ProjectAccess, document: Document, version: DocumentVersion,
                privacy_changed: bool) -> Event:
    action = "revised" if version.note else "edited"
    event = activity.record_event(action, document, by=access.user, text=version.note)
    if privacy_changed:
        activity.follow_privacy(document)
    return event


def announce_version(access: ProjectAccess, document: Document, event: Event,
                     found: Mentions, before: Mentions) -> None:
    """In the saver's transaction: they follow the document, the people the new text newly
    mentions are called in, then its followers hear of the version (once each)."""
    follow(document.item_id, [access.user.id])
    announce(document, event, found, already=before)
    version_saved.send(document, event=event)


def outdated(document: Document, base: int, title: str, body: str) -> Outdated:
    latest = version_numbered(document, document.version_count)
    base_version = version_numbered(document, base)
    merged = None
    if base_version is not None:
        merged = merge(base_version.body, body, latest.body)
    return Outdated(latest, base_version, title.strip(), body, merged)


class NoSuchVersion(Refused):
    status = 404
    message = _l("This document has no such version.")


def restore_version(access: ProjectAccess, document: Document, number: int) -> DocumentVersion:
    """Make an old version's title and text the latest, as a new version (history is kept)."""
    old = version_numbered(document, number)
    if old is None:
        raise NoSuchVersion()
    now = utcnow()
    before = mentions_before(document, access)
    found = set_text(document, old.title, old.body, now, access)
    version = add_version(document, access, str(_l("Restored version %(number)s",
                                                     number=number)), now)
    event = activity.record_event("restored", document, by=access.user, text=version.note)
    announce_version(access, document, event, found, before)
    db.session.commit()
    return version


def delete_document(document: Document) -> None:
    """Delete a document with its versions, comments, attachments and trail."""
    items.delete(document)
    db.session.commit()


# -- reading ----------------------------------------------------------------------------------

def version_numbered(document: Document, number: int) -> DocumentVersion | None:
    return db.session.scalar(
        select(DocumentVersion).where(DocumentVersion.document_id == document.id,
                                      DocumentVersion.number == number)
        .options(db.joinedload(DocumentVersion.author))
    )


def history(document: Document, page: int) -> Pagination:
    """A page of the versions, newest first, without their texts (which may be large)."""
    query = (select(DocumentVersion).where(DocumentVersion.document_id == document.id)
             .options(db.defer(DocumentVersion.body), db.joinedload(DocumentVersion.author))
             .order_by(DocumentVersion.number.desc()))
    return db.paginate(query, page=page, per_page=HISTORY_PAGE_SIZE, error_out=False)


def documents_page(access: ProjectAccess, page: int) -> Pagination:
    query = (access.visible(select(Document), Document)
             .options(db.defer(Document.body), db.defer(Document.body_html),
                      db.joinedload(Document.editor))
             .order_by(Document.updated_at.desc(), Document.id.desc()))
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
