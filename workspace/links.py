"""URLs of items, wherever they are linked from: pages, activity, feeds and emails."""

from __future__ import annotations

from flask import url_for

from workspace import items


def comments_url(subject: object) -> str:
    page = items.kind(subject.subject_type).page
    return url_for(page.comments, project_id=subject.project_id, **{page.id_argument: subject.id})


def subject_url(subject_type: str, project_id: int, subject_id: int, *,
                comment_id: int | None = None, external: bool = False) -> str:
    page = items.kind(subject_type).page
    return url_for(
        page.endpoint, project_id=project_id, **{page.id_argument: subject_id},
        _anchor=f"comment-{comment_id}" if comment_id else None, _external=external,
    )


def item_url(subject: object, comment: object | None = None, *, external: bool = False) -> str:
    return subject_url(subject.subject_type, subject.project_id, subject.id,
                       comment_id=comment.id if comment else None, external=external)


def item_url_prefix(subject_type: str, project_id: int, *, external: bool = False) -> str:
    """The address of any item of `subject_type` in the project, up to its id (which ends every
    item's address): a long list appends each item's id rather than calling url_for for it."""
    return subject_url(subject_type, project_id, 0, external=external).removesuffix("0")


def event_url(event: object, *, external: bool = False) -> str:
    comment_id = event.target_id if event.target_type == "comment" else None
    return subject_url(event.subject_type, event.project_id, event.subject_id,
                       comment_id=comment_id, external=external)


class EventAddresses:
    """event_url for many events, from one url_for per kind and project rather than one per
    event: an item's address ends with its id (item_url_prefix)."""

    def __init__(self, *, external: bool = False) -> None:
        self.external = external
        self.prefixes: dict[tuple[str, int], str] = {}

    def of(self, event: object) -> str:
        key = (event.subject_type, event.project_id)
        if key not in self.prefixes:
            self.prefixes[key] = item_url_prefix(*key, external=self.external)
        anchor = f"#comment-{event.target_id}" if event.target_type == "comment" else ""
        return f"{self.prefixes[key]}{event.subject_id}{anchor}"
