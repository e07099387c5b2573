"""Rendered parts of pages kept in the worker, keyed by everything they show: a long thread or
page of lists read again costs its rows, not its rendering.

Each domain says what its part shows (comments/fragments.py, todos/fragments.py); the key adds
the language and the timezone. Whatever changes what a part shows (an edit, a deletion, a
rename, a reader with other rights) makes another key, so a kept part is never stale nor shown
to someone it was not rendered for; the least recently used are dropped. A CSRF token is the
only per-request part a kept rendering may hold: it keeps TOKEN_FIELD, whose value is a secret
of the worker that no text can contain, filled in with the request's token on every use."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from functools import lru_cache

from flask import current_app, g, request, session
from flask_babel import get_locale, get_timezone
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import URLSafeTimedSerializer
from markupsafe import Markup

from workspace.kept import Bodies

FRAGMENTS = Bodies(max_entries=512)
TOKEN_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
TOKEN_FIELD = Markup(f'<input type="hidden" name="csrf_token" value="{TOKEN_PLACEHOLDER}">')


def form_token() -> str:
    """The request's signed CSRF token, as Flask-WTF's `generate_csrf` makes it, but signed
    once per session secret in a worker rather than once per page: with no time limit on
    tokens (WTF_CSRF_TIME_LIMIT None) a token signed earlier stays as valid as a new one."""
    raw = session.get("csrf_token")
    if raw is None or "csrf_token" in g or current_app.config["WTF_CSRF_TIME_LIMIT"]:
        return generate_csrf()
    secret_key = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    g.csrf_token = signed_token(secret_key, raw)  # where Flask-WTF looks for it
    return g.csrf_token


@lru_cache(maxsize=4096)
def signed_token(secret_key: str, raw: str) -> str:
    return URLSafeTimedSerializer(secret_key, salt="wtf-csrf-token").dumps(raw)


def csrf() -> Markup:
    """A form's hidden CSRF field: a template global, so no page imports a macro for it (an
    import from a template costs every render a pass over the globals). Inside a page being
    kept (`kept_page`), the field holds the placeholder that each use of the page fills in."""
    if g.get("keeping_page"):
        return TOKEN_FIELD
    return Markup('<input type="hidden" name="csrf_token" value="%s">') % form_token()


def fragment_key(kind: str, *shown: object) -> tuple[str, ...]:
    """The key of a part of `kind` that shows `shown` (plain values: ids, texts, dates, flags)
    in the request's language and timezone."""
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()
    return (kind, str(get_locale()), str(get_timezone()), digest)


def kept(key: tuple[str, ...], caller: Callable[[], str]) -> Markup:
    """What `caller` (a template's `{% call %}` block) renders, rendered once per `key`."""
    html = FRAGMENTS.get_or_build(key, lambda: str(caller()).encode()).decode()
    if TOKEN_PLACEHOLDER in html and not g.get("keeping_page"):
        html = html.replace(TOKEN_PLACEHOLDER, form_token())
    return Markup(html)


def kept_header(search_project_id: int | None, unread: int, caller: Callable[[], str]) -> Markup:
    """The site header of a signed-in page (with TOKEN_FIELD in its sign-out form): it shows
    the person's name, their unread count and what its search box searches, nothing else."""
    shown = (current_user.id, current_user.name, unread, search_project_id)
    return kept(fragment_key("header", *shown), caller)


def kept_page(shown: tuple[object, ...], render: Callable[[], str]) -> str:
    """A whole signed-in page, rendered once per `shown` (everything its content and its header
    show but the person's name: plain values, compared as they are) for this person, endpoint,
    language and timezone. A page with a message to flash is rendered each time: showing the
    message uses it up."""
    if "_flashes" in session:
        return render()
    key = ("page", request.endpoint, str(get_locale()), str(get_timezone()),
           current_user.id, current_user.name, *shown)
    html = FRAGMENTS.get(key)
    if html is None:
        g.keeping_page = True
        try:
            html = render().encode()
        finally:
            g.keeping_page = False
        FRAGMENTS.put(key, html)
    return html.decode().replace(TOKEN_PLACEHOLDER, form_token())
