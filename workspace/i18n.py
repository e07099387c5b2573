"""Language and timezone of each request, and the template filters that use them."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import available_timezones

from flask import Flask, has_request_context, request
from flask_babel import format_date, format_datetime, format_time, get_timezone
from flask_login import current_user

from workspace.auth.models import LANGUAGES

LANGUAGE_COOKIE = "workspace_lang"


def select_locale() -> str | None:
    """The person's setting wins, then a language chosen before signing in, then the browser."""
    if not has_request_context():
        return None
    if current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES.keys(), default="en")


def select_timezone() -> str | None:
    if has_request_context() and current_user.is_authenticated:
        return current_user.timezone
    return None


def viewer_today() -> date:
    """Today's date where the reader is: a due date is late only once it has passed there."""
    return datetime.now(get_timezone()).date()


@cache
def timezone_names() -> list[str]:
    return sorted(name for name in available_timezones() if "/" in name or name == "UTC")


def register_filters(app: Flask) -> None:
    @app.template_filter("datetime")
    def datetime_filter(value: datetime | None, style: str = "medium") -> str:
        return format_datetime(value, style) if value else ""

    app.jinja_env.filters["date_format"] = format_date
    app.jinja_env.filters["time_format"] = format_time
