"""What a page of comments shows, for the kept renderings of workspace/fragments.py: each
comment (id, dates, text, author and their name), the files attached to each as this person
sees them, the person (their own comments get an Edit link), their role (owners delete any
comment) and whether the project is archived (nothing changes then)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from markupsafe import Markup

from workspace.comments.operations import Thread
from workspace.fragments import fragment_key, kept
from workspace.projects.access import ProjectAccess

# The files attached to an item and its comments (files_attached_to): by comment id, None for
# the item's own.
Attached = Mapping[int | None, Sequence[Any]]


def thread_key(thread: Thread, access: ProjectAccess,
               attached: Attached) -> tuple[str, ...]:
    shown = [(comment.id, comment.created_at, comment.edited_at, comment.body_html,
              comment.author_id, comment.author.name if comment.author else None,
              [file_facts(f) for f in attached.get(comment.id, ())])
             for comment in thread.comments]
    return fragment_key("comments", access.project.id, access.user.id, access.role.name,
                        access.project.is_archived, shown)


def file_facts(project_file: Any) -> tuple[object, ...]:
    """What an attachment shows: its name, size, kind and thumbnail."""
    thumbnail = project_file.versions[0].thumbnail_sha256 if project_file.versions else None
    return (project_file.id, project_file.name, project_file.size, project_file.kind, thumbnail)


def kept_comments(thread: Thread, access: ProjectAccess,
                  attached: Attached,
                  caller: Callable[[], str]) -> Markup:
    """The comments of `thread` as the template's `{% call %}` block renders them (with
    TOKEN_FIELD in its forms), rendered once for what they show."""
    return kept(thread_key(thread, access, attached), caller)
