"""Rendered pages of comments kept in the worker, keyed by everything they show: a long
discussion read again costs its rows, not its rendering.

The key holds each comment shown (id, dates, text, author and their name), the files attached
to each as this person sees them, the person, their role, whether the project is archived, the
language and the timezone: an edit, a deletion, a new attachment, a rename or another reader
each make another key, so a kept fragment never shows what its reader may not see, nor stale
text. The CSRF token of each delete button is the only per-request part: the fragment keeps a
placeholder that no text can contain (a secret of the worker), filled in on every use."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from flask_babel import get_locale, get_timezone
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from workspace.access import ProjectAccess
from workspace.comments.operations import Thread
from workspace.feeds.cache import Bodies
from workspace.files.models import ProjectFile

FRAGMENTS = Bodies(max_entries=256)
TOKEN_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
TOKEN_FIELD = Markup(f'<input type="hidden" name="csrf_token" value="{TOKEN_PLACEHOLDER}">')


def thread_key(thread: Thread, access: ProjectAccess,
               attached: dict[int | None, list[ProjectFile]]) -> tuple[str, ...]:
    shown = [(comment.id, comment.created_at, comment.edited_at, comment.body_html,
              comment.author_id, comment.author.name if comment.author else None,
              [file_facts(f) for f in attached.get(comment.id, ())])
             for comment in thread.comments]
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()
    return ("comments", str(access.project.id), str(access.user.id), access.role.name,
            str(access.project.is_archived), str(get_locale()), str(get_timezone()), digest)


def file_facts(project_file: ProjectFile) -> tuple[object, ...]:
    """What an attachment shows: its name, size, kind and thumbnail."""
    thumbnail = project_file.versions[0].thumbnail_sha256 if project_file.versions else None
    return (project_file.id, project_file.name, project_file.size, project_file.kind, thumbnail)


def kept_comments(thread: Thread, access: ProjectAccess,
                  attached: dict[int | None, list[ProjectFile]],
                  caller: Callable[[], str]) -> Markup:
    """The comments of `thread` as the `{% call %}` block renders them (with TOKEN_FIELD in
    its forms), rendered once per key."""
    html = FRAGMENTS.get_or_build(thread_key(thread, access, attached),
                                  lambda: str(caller()).encode()).decode()
    return Markup(html.replace(TOKEN_PLACEHOLDER, generate_csrf()))
