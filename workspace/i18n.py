"""Language and timezone of each request, and the template filters that use them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache, lru_cache
from typing import Protocol
from zoneinfo import available_timezones

from babel import dates
from babel.support import NullTranslations
from flask import Flask, g, has_request_context, request
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_time,
    get_locale,
    get_timezone,
    get_translations,
    to_user_timezone,
)
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

LANGUAGES = {"en": "English", "fr": "Français"}
LANGUAGE_COOKIE = "workspace_lang"


class Person(Protocol):
    """Whom a request acts for, as far as language and time go (an account)."""

    locale: str | None
    timezone: str


def select_locale() -> str | None:
    """The person's setting wins, then a language chosen before signing in, then the browser."""
    if not has_request_context():
        return None
    person = acting_user()
    if person is not None and person.locale in LANGUAGES:
        return person.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES.keys(), default="en")


def select_timezone() -> str | None:
    person = acting_user() if has_request_context() else None
    return person.timezone if person is not None else None


def acting_user() -> Person | None:
    """Who the request acts for: a feed or API token's owner, or the signed-in person."""
    if "acting_user" in g:
        return g.acting_user
    return current_user if current_user.is_authenticated else None


def viewer_today() -> date:
    """Today's date where the reader is: a due date is late only once it has passed there."""
    return datetime.now(get_timezone()).date()


@cache
def timezone_names() -> list[str]:
    return sorted(name for name in available_timezones() if "/" in name or name == "UTC")


def file_size(size: int) -> str:
    """1536 -> "1.5 KB" in English, "1,5 Ko" in French."""
    units = [_("%(size)s bytes"), _("%(size)s KB"), _("%(size)s MB"), _("%(size)s GB")]
    value, unit = float(size), 0
    while value >= 1024 and unit < len(units) - 1:
        value, unit = value / 1024, unit + 1
    shown = format_decimal(round(value, 1) if unit else int(value))
    return units[unit] % {"size": shown}


def current_translations() -> NullTranslations:
    """The current locale's catalogue, kept in `g` beside the locale it is for: Flask-Babel
    finds it anew for each string (some 7 µs), this in half that, and `force_locale` (emails in
    their reader's language) changes the locale, so it still gets its own."""
    locale = get_locale()
    if locale is None:  # no app context: Flask-Babel's stand-in
        return get_translations()
    kept = g.get("kept_translations")
    if kept is None or kept[0] is not locale:
        kept = g.kept_translations = (locale, get_translations())
    return kept[1]


def N_(msgid: str) -> str:
    """Mark a sentence for extraction (N_ is among pybabel's default keywords), to be
    translated when it is used (see `translated`)."""
    return msgid


def translated(msgid: str) -> str:
    """A sentence marked with `N_` (one in a table), in the current language through the
    kept catalogue: an activity page describes fifty events."""
    return current_translations().ugettext(msgid)


# A template is given the catalogue when its rendering begins (one look-up per rendering,
# however many strings): `_`, `gettext`, `ngettext` and {% trans %} read it from the context.
CATALOGUE = "kept_catalogue"


def catalogue_of(context: Context) -> NullTranslations:
    """The catalogue of the template's rendering (a plain dict look-up in the variables it was
    given); the current one in a template rendered without it (a macro imported without
    context)."""
    catalogue = context.parent.get(CATALOGUE)
    return current_translations() if catalogue is None else catalogue


@pass_context
def template_gettext(context: Context, string: str, /, **variables: object) -> str:
    """Jinja's new-style `_`/`gettext`, without its two calls through the context per string
    (a long to-do list labels each to-do's buttons with its text)."""
    translated = catalogue_of(context).ugettext(string)
    if context.eval_ctx.autoescape:
        translated = Markup(translated)
    # Most strings have no placeholder: formatting them would only copy them.
    return translated % variables if variables or "%" in translated else translated


@pass_context
def template_ngettext(context: Context, singular: str, plural: str, num: int, /,
                      **variables: object) -> str:
    variables.setdefault("num", num)
    translated = catalogue_of(context).ungettext(singular, plural, num)
    return (Markup(translated) if context.eval_ctx.autoescape else translated) % variables


@pass_context
def trans_gettext(context: Context, string: str) -> str:
    return catalogue_of(context).ugettext(string)


@pass_context
def trans_ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return catalogue_of(context).ungettext(singular, plural, n)


@pass_context
def trans_pgettext(context: Context, message_context: str, string: str) -> str:
    return catalogue_of(context).upgettext(message_context, string)


@pass_context
def trans_npgettext(context: Context, message_context: str, singular: str, plural: str,
                    n: int) -> str:
    return catalogue_of(context).unpgettext(message_context, singular, plural, n)


def install_kept_gettext(app: Flask) -> None:
    """Templates' `_`, `gettext`, `ngettext` and {% trans %} through the rendering's kept
    catalogue, on Flask's and Jinja's public hooks only."""
    app.context_processor(lambda: {CATALOGUE: current_translations()})
    app.jinja_env.install_gettext_callables(
        gettext=trans_gettext, ngettext=trans_ngettext, pgettext=trans_pgettext,
        npgettext=trans_npgettext, newstyle=True,
    )
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext,
                                 ngettext=template_ngettext)


# One short and one long way to write a date, and a moment, in each language; pages name
# them ("short", "long") and never spell a pattern of their own. The calendar also names its
# month and weekday headings.
DATE_PATTERNS = {
    "en": {"short": "MMM d, y", "long": "EEEE, MMMM d, y"},
    "fr": {"short": "d MMM y", "long": "EEEE d MMMM y"},
}
DATETIME_PATTERNS = {
    "en": {"short": "MMM d, y, h:mm a", "long": "EEEE, MMMM d, y 'at' h:mm a"},
    "fr": {"short": "d MMM y, HH:mm", "long": "EEEE d MMMM y 'à' HH:mm"},
}
CALENDAR_PATTERNS = {"month": "LLLL y", "weekday": "EEEE", "weekday_short": "EEE"}


def date_pattern(name: str, patterns: dict[str, dict[str, str]] = DATE_PATTERNS) -> str:
    """The pattern called `name` in the current language (English where it has none)."""
    language = get_locale().language if get_locale() else "en"
    pattern = patterns.get(language, patterns["en"]).get(name) or (
        CALENDAR_PATTERNS.get(name) if patterns is DATE_PATTERNS else None)
    if pattern is None:
        raise ValueError(f"unknown date format {name!r}: use 'short' or 'long'")
    return pattern


def date_filter(value: date | None, format: str = "short") -> str:
    """A date written the short or long way of the reader's language, once per date, format
    and language in a request: a long list repeats its due dates, and Babel takes some 10 µs
    for each."""
    pattern = date_pattern(format)
    if not isinstance(value, date) or isinstance(value, datetime):
        return format_date(value, pattern) if value else ""
    formatted = g.setdefault("formatted_dates", {})
    key = (value, pattern, get_locale())
    if key not in formatted:
        formatted[key] = format_date(value, pattern)
    return formatted[key]


def datetime_filter(value: datetime | None, format: str = "short") -> str:
    """A moment written the short or long way of the reader's language, in their timezone.
    Babel takes some 40 µs a value, and a thread or an activity page shows hundreds: the
    words depend only on the local wall-clock time, the pattern and the language, so each is
    written once (patterns with a timezone name are written each time)."""
    if not value:
        return ""
    pattern = date_pattern(format, DATETIME_PATTERNS)
    if ZONE_FIELDS & set(pattern):
        return format_datetime(value, pattern)
    local = to_user_timezone(value).replace(tzinfo=None)
    return wall_clock("datetime", local, pattern, str(get_locale()))


def time_filter(value: datetime | time, format: str = "short") -> str:
    """format_time, once per local time of day, format and language (see datetime_filter)."""
    if format not in ("short", "medium"):
        return format_time(value, format)
    if isinstance(value, datetime):
        value = to_user_timezone(value).time().replace(tzinfo=None)
    return wall_clock("time", value, format, str(get_locale()))


# Pattern letters that write a timezone: a moment with one is not a wall-clock time only.
ZONE_FIELDS = frozenset("zZvVOxX")


@lru_cache(maxsize=16384)
def wall_clock(kind: str, value: datetime | time, format: str, locale: str) -> str:
    """`value`, a local wall-clock time (naive), in `format` and `locale`."""
    if kind == "time":
        return dates.format_time(value, format, locale=locale)
    return dates.format_datetime(value, format, tzinfo=UTC, locale=locale)


def register_filters(app: Flask) -> None:
    install_kept_gettext(app)
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["date_format"] = date_filter
    app.jinja_env.filters["filesize"] = file_size
    app.jinja_env.filters["time_format"] = time_filter
