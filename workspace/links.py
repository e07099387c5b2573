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
    """event_url for many events, from one url_for per kind rather than one per event: an
    item's address is its kind's, with the project's id and then the item's in their places
    (`address_template`)."""

    def __init__(self, *, external: bool = False) -> None:
        self.external = external
        self.templates: dict[str, tuple[str, str]] = {}

    def of(self, event: object) -> str:
        template = self.templates.get(event.subject_type)
        if template is None:
            template = self.templates[event.subject_type] = address_template(
                event.subject_type, external=self.external)
        anchor = f"#comment-{event.target_id}" if event.target_type == "comment" else ""
        return f"{template[0]}{event.project_id}{template[1]}{event.subject_id}{anchor}"


# Stands for the project's id in an address template: found as the last path segment that
# equals it, ahead of the item's kind, so that any value would do.
PLACEHOLDER_PROJECT = 987654321


def address_template(subject_type: str, *, external: bool = False) -> tuple[str, str]:
    """The address of any item of `subject_type` as (up to the project's id, from there up to
    the item's id): every item's address has the project's id as a segment of its own, and
    its own id at the end (item_url_prefix)."""
    prefix = item_url_prefix(subject_type, PLACEHOLDER_PROJECT, external=external)
    head, _, middle = prefix.rpartition(f"/{PLACEHOLDER_PROJECT}/")
    return f"{head}/", f"/{middle}"
