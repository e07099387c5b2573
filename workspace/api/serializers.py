"""The JSON shapes of the API: snake_case, no root element, timestamps in ISO 8601 UTC."""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for

from workspace.activity.models import Event, describe, quote
from workspace.activity.queries import EventRow
from workspace.auth.models import User
from workspace.comments.mentions import Mentions
from workspace.comments.models import Comment
from workspace.documents.compare import Comparison
from workspace.documents.models import Document, DocumentVersion
from workspace.files.models import FileVersion, ProjectFile
from workspace.folders.models import Folder
from workspace.links import EventAddresses, event_url
from workspace.messages.models import Message
from workspace.milestones.models import Milestone
from workspace.projects.models import Membership, Project
from workspace.schedule.models import CalendarEvent
from workspace.schedule.queries import Occurrence
from workspace.todos.models import Todo, TodoList


def when(moment: date | datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def person(user: User | None) -> dict[str, object] | None:
    return {"id": user.id, "name": user.name} if user else None


def with_mentions(shape: dict[str, object], found: Mentions) -> dict[str, object]:
    """A written text's shape with what its @mentions did, as the page tells its author: the
    people linked, and the mentions that notify nobody (and why)."""
    return {**shape, "mentions": {
        "linked": [person(user) for user in found.people],
        "refused": found.refused, "unknown": found.unknown, "yourself": found.yourself,
        "capped": found.capped, "notices": found.notices()}}


def me(user: User) -> dict[str, object]:
    token = user.feed_token
    return {
        "id": user.id, "name": user.name, "email": user.email, "locale": user.locale,
        "timezone": user.timezone, "is_admin": user.is_admin,
        "feeds": {
            "atom": url_for("feeds.everything_feed", kind="atom", token=token, _external=True),
            "rss": url_for("feeds.everything_feed", kind="rss", token=token, _external=True),
            "calendar": url_for("feeds.everything_calendar", token=token, _external=True),
        },
    }


def project(item: Project, role: str | None = None) -> dict[str, object]:
    return {
        "id": item.id, "name": item.name, "description": item.description,
        "archived": item.is_archived, "archived_at": when(item.archived_at),
        "created_at": when(item.created_at), "role": role,
        "app_url": url_for("projects.overview", project_id=item.id, _external=True),
    }


def event(item: Event | EventRow, addresses: EventAddresses | None = None) -> dict[str, object]:
    """An event, or an `activity.queries.EventRow` (a long page reads rows);
    `addresses` (links.EventAddresses) spares a url_for per event of a page."""
    app_url = addresses.of(item) if addresses else event_url(item, external=True)
    creator = ({"id": item.actor_id, "name": item.actor_name}
               if item.actor_id is not None else None)
    return {
        "id": item.id, "project_id": item.project_id, "action": item.action,
        "target": {"type": item.target_type, "id": item.target_id},
        "subject": {"type": item.subject_type, "id": item.subject_id},
        "summary": describe(item.action, item.target_type, item.actor_name, item.summary,
                            item.excerpt),
        "excerpt": quote(item.action, item.excerpt), "private": item.private,
        "creator": creator, "created_at": when(item.created_at), "app_url": app_url,
    }


def message(item: Message) -> dict[str, object]:
    return {
        "id": item.id, "project_id": item.project_id, "title": item.title, "body": item.body,
        "body_html": item.body_html, "private": item.private, "author": person(item.author),
        "comments_count": item.comments_count, "created_at": when(item.created_at),
        "edited_at": when(item.edited_at),
    }


def comment(item: Comment) -> dict[str, object]:
    return {"id": item.id, "body": item.body, "body_html": item.body_html,
            "author": person(item.author), "created_at": when(item.created_at),
            "edited_at": when(item.edited_at)}


def member(item: Membership) -> dict[str, object]:
    return {"id": item.user_id, "name": item.user.name, "role": str(item.role)}


def todo_list(item: TodoList) -> dict[str, object]:
    return {"id": item.id, "project_id": item.project_id, "name": item.name,
            "description": item.description, "milestone_id": item.milestone_id,
            "private": item.private, "position": item.position,
            "clients_can_complete": item.clients_can_complete}


def todo(item: Todo) -> dict[str, object]:
    return {"id": item.id, "list_id": item.list_id, "text": item.text, "notes": item.notes,
            "assignee_id": item.assignee_id, "due_on": when(item.due_on),
            "repeat": item.repeat, "remind": item.remind, "position": item.position,
            "completed": item.is_completed,
            "completed_at": when(item.completed_at), "completed_by_id": item.completed_by_id}


def milestone(item: Milestone) -> dict[str, object]:
    return {"id": item.id, "project_id": item.project_id, "title": item.title,
            "due_on": item.due_on.isoformat(), "responsible_id": item.responsible_id,
            "notes": item.notes, "completed": item.is_completed,
            "completed_at": when(item.completed_at)}


def calendar_event(item: CalendarEvent) -> dict[str, object]:
    return {
        "id": item.id, "project_id": item.project_id, "title": item.title,
        "place": item.place, "notes": item.notes, "private": item.private,
        "all_day": item.all_day, "starts_at": when(item.starts_at),
        "ends_at": when(item.ends_at), "timezone": item.timezone, "rule": item.rule,
        "attendee_ids": sorted(item.attendee_ids), "remind": item.remind,
        "exceptions": [{"original_start": when(e.original_start), "cancelled": e.cancelled,
                        "starts_at": when(e.starts_at), "ends_at": when(e.ends_at),
                        "title": e.title, "place": e.place, "notes": e.notes}
                       for e in item.exceptions],
        "created_at": when(item.created_at), "edited_at": when(item.edited_at),
    }


def occurrence(item: Occurrence) -> dict[str, object]:
    return {"event_id": item.event.id, "original_start": when(item.original_start),
            "starts_at": when(item.starts_at), "ends_at": when(item.ends_at),
            "title": item.title, "place": item.place, "notes": item.notes,
            "all_day": item.event.all_day, "changed": item.changed}


def project_file(item: ProjectFile) -> dict[str, object]:
    return {
        "id": item.id, "project_id": item.project_id, "name": item.name,
        "description": item.description, "private": item.private, "size": item.size,
        "content_type": item.content_type, "kind": item.kind, "versions": item.version_count,
        "author": person(item.author), "created_at": when(item.created_at),
        "updated_at": when(item.updated_at), "folder_id": item.folder_id,
        "download_url": url_for("api.download", project_id=item.project_id, file_id=item.id,
                                _external=True),
    }


def version(item: FileVersion, project_id: int) -> dict[str, object]:
    return {
        "number": item.number, "original_name": item.original_name, "size": item.size,
        "content_type": item.content_type, "sha256": item.sha256,
        "uploader": person(item.uploader), "created_at": when(item.created_at),
        "download_url": url_for("api.download", project_id=project_id, file_id=item.file_id,
                                number=item.number, _external=True),
    }


def document(item: Document) -> dict[str, object]:
    return {
        "id": item.id, "project_id": item.project_id, "title": item.title, "body": item.body,
        "body_html": item.body_html, "private": item.private, "version": item.version_count,
        "author": person(item.author), "last_editor": person(item.editor),
        "comments_count": item.comments_count, "created_at": when(item.created_at),
        "updated_at": when(item.updated_at), "folder_id": item.folder_id,
    }


def folder(item: Folder) -> dict[str, object]:
    return {
        "id": item.id, "project_id": item.project_id, "parent_id": item.parent_id,
        "name": item.name, "description": item.description, "private": item.private,
        "marked_private": item.marked_private, "author": person(item.author),
        "created_at": when(item.created_at), "updated_at": when(item.updated_at),
    }


def document_version(item: DocumentVersion, *, text: bool = False) -> dict[str, object]:
    """A version; with its title and text when `text` (a list leaves them out: they may be
    large)."""
    shown: dict[str, object] = {
        "number": item.number, "note": item.note, "size": item.size,
        "author": person(item.author), "created_at": when(item.created_at),
    }
    if text:
        shown.update(title=item.title, body=item.body)
    return shown


def comparison(old: DocumentVersion, new: DocumentVersion,
               compared: Comparison) -> dict[str, object]:
    added, removed = compared.counts
    return {
        "from": old.number, "to": new.number, "added_words": added, "removed_words": removed,
        "truncated": compared.truncated,
        "title": {"from": old.title, "to": new.title},
        "blocks": [{"changed": block.changed, "skipped_lines": block.skipped,
                    "segments": [{"op": s.op, "text": s.text} for s in block.segments]}
                   for block in compared.blocks],
    }
