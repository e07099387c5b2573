"""Recurrence: RFC 5545 RRULEs built from the choices a form offers, read back into them, and
expanded with python-dateutil in the event's own timezone, so that a weekly 09:00 meeting stays
at 09:00 on both sides of a daylight-saving change.

A timed event's rule is expanded from its start as an aware datetime in its timezone: dateutil
keeps the wall-clock time and the zone gives each occurrence its offset. An all-day event's rule
is expanded from its start as a naive date (its UNTIL is a DATE, as RFC 5545 asks when DTSTART
is one), and each day is that day's midnight in the timezone.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

FREQUENCIES = ("daily", "weekly", "monthly", "yearly")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# More than this many occurrences in a year is not a schedule but a flood (an hourly rule).
MAX_A_YEAR = 1000
# However long a rule runs, a page or the API expands at most this many occurrences of it.
EXPANSION_LIMIT = 2000


class RecurrenceError(ValueError):
    """A rule that cannot be kept: its message says why, to the person who gave it."""


@dataclass(frozen=True)
class Repeat:
    """How an event repeats, as a form asks it: every `interval` days, weeks (on `weekdays`,
    0 for Monday), months (on the start's date, or on its weekday of the month: "the second
    Tuesday") or years; until a date, `count` times, or forever."""

    frequency: str | None = None
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    monthly_by: str = "date"  # or "weekday"
    until: date | None = None
    count: int | None = None
    extra: dict[str, str] = field(default_factory=dict)  # parts no choice stands for


def nth_weekday(day: date) -> int:
    """Which of its month's weekdays `day` is: 1 to 4, or -1 for the last one (a fifth)."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def rule_text(repeat: Repeat, start: datetime, *, all_day: bool) -> str | None:
    """The RRULE value (without "RRULE:") for `repeat`, from the event's local `start`."""
    if repeat.frequency is None:
        return None
    parts = {"FREQ": repeat.frequency.upper()}
    if repeat.interval > 1:
        parts["INTERVAL"] = str(repeat.interval)
    if repeat.frequency == "weekly":
        days = sorted(set(repeat.weekdays) or {start.weekday()})
        parts["BYDAY"] = ",".join(DAY_CODES[day] for day in days)
    elif repeat.frequency == "monthly":
        if repeat.monthly_by == "weekday":
            parts["BYDAY"] = f"{nth_weekday(start.date())}{DAY_CODES[start.weekday()]}"
        else:
            parts["BYMONTHDAY"] = str(start.day)
    parts.update(repeat.extra)
    if repeat.until is not None:
        parts["UNTIL"] = until_value(repeat.until, start, all_day=all_day)
    elif repeat.count is not None:
        parts["COUNT"] = str(repeat.count)
    return ";".join(f"{key}={value}" for key, value in parts.items())


def until_value(last_day: date, start: datetime, *, all_day: bool) -> str:
    """UNTIL for a rule whose last occurrence may fall on `last_day` (local): a DATE for an
    all-day event, else the end of that day in UTC (RFC 5545 wants UTC when DTSTART has a
    timezone)."""
    if all_day:
        return last_day.strftime("%Y%m%d")
    end = datetime.combine(last_day, time(23, 59, 59), tzinfo=start.tzinfo).astimezone(UTC)
    return end.strftime("%Y%m%dT%H%M%SZ")


def parts_of(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.split(";") if "=" in part)


def repeat_of(rule: str | None, tz: ZoneInfo) -> Repeat:
    """The choices a stored rule stands for (what the edit form shows)."""
    if not rule:
        return Repeat()
    parts = parts_of(rule)
    frequency = parts.pop("FREQ").lower()
    interval = int(parts.pop("INTERVAL", "1"))
    weekdays: tuple[int, ...] = ()
    monthly_by = "date"
    byday = parts.pop("BYDAY", None)
    if byday and frequency == "weekly":
        weekdays = tuple(DAY_CODES.index(code) for code in byday.split(","))
    elif byday and frequency == "monthly":
        monthly_by = "weekday"
    elif byday:
        parts["BYDAY"] = byday
    if frequency == "monthly":
        parts.pop("BYMONTHDAY", None)
    until = None
    if "UNTIL" in parts:
        value = parts.pop("UNTIL")
        if "T" in value:
            instant = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            until = instant.astimezone(tz).date()
        else:
            until = datetime.strptime(value, "%Y%m%d").date()
    count = int(parts.pop("COUNT")) if "COUNT" in parts else None
    return Repeat(frequency if frequency in FREQUENCIES else None, interval, weekdays,
                  monthly_by, until, count, parts)


@dataclass(frozen=True)
class Timing:
    """When an event happens: its first start and end in UTC, its timezone, whether it takes
    whole days, and its rule."""

    starts_at: datetime
    ends_at: datetime
    tz: ZoneInfo
    all_day: bool
    rule: str | None

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.tz)

    def expander(self) -> rrule:
        """The dateutil rule, from the local start (see the module's docstring)."""
        if self.rule is None:
            raise RecurrenceError("no rule")
        local = self.local_start()
        dtstart = local.replace(tzinfo=None) if self.all_day else local
        try:
            return rrulestr(self.rule, dtstart=dtstart)
        except (ValueError, TypeError) as error:
            raise RecurrenceError(str(error)) from error

    def to_utc(self, value: datetime) -> datetime:
        """An occurrence's start as dateutil gives it, in UTC."""
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.tz)
        return value.astimezone(UTC)

    def starts(self, after: datetime, before: datetime) -> list[datetime]:
        """The original UTC starts of the occurrences that overlap [after, before)."""
        if self.rule is None:
            return [self.starts_at] if self.starts_at < before and self.ends_at > after else []
        from_ = (after - self.duration).astimezone(self.tz)
        if self.all_day:
            from_ = from_.replace(tzinfo=None)
        found = itertools.islice(self.expander().xafter(from_, inc=True), EXPANSION_LIMIT)
        starts = []
        for value in found:
            start = self.to_utc(value)
            if start >= before:
                break
            if start + self.duration > after:
                starts.append(start)
        return starts

    def has_occurrence(self, start: datetime) -> bool:
        if self.rule is None:
            return start == self.starts_at
        local = start.astimezone(self.tz)
        probe = local.replace(tzinfo=None) if self.all_day else local
        return any(self.to_utc(value) == start
                   for value in self.expander().between(probe - timedelta(seconds=1),
                                                        probe + timedelta(seconds=1), inc=True))

    def last_end(self) -> datetime | None:
        """When the last occurrence ends, or None for a rule that never ends."""
        if self.rule is None:
            return self.ends_at
        parts = parts_of(self.rule)
        if "UNTIL" not in parts and "COUNT" not in parts:
            return None
        last = None
        for last in self.expander():  # noqa: B007 (finite: UNTIL or COUNT)
            pass
        return self.to_utc(last) + self.duration if last is not None else self.ends_at

    def check(self) -> None:
        """Refuse a rule that produces no occurrence, or more than MAX_A_YEAR in its first
        year."""
        if self.rule is None:
            return
        expander = self.expander()
        first = next(iter(expander), None)
        if first is None:
            raise RecurrenceError("no occurrence")
        first_year = self.to_utc(first) + timedelta(days=365)
        in_a_year = itertools.takewhile(lambda value: self.to_utc(value) < first_year,
                                        itertools.islice(expander, MAX_A_YEAR + 1))
        if sum(1 for _ in in_a_year) > MAX_A_YEAR:
            raise RecurrenceError("too many")
