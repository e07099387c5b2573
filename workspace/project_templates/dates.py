"""Where a template's days fall in a new project.

A template counts days from its first (day 0, the earliest date it kept) in calendar days.
From a start date, day N is N days after it; from an end date, the template's last day is the
end date and the others count backwards. With weekends skipped, a date that lands on a
Saturday or Sunday moves to the Monday after when counting from a start, and to the Friday
before when counting back from an end, so that nothing falls after the end date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

SATURDAY = 5


@dataclass(frozen=True)
class Calendar:
    """How to place a template's days: from `anchor` ("start" or "end"), the template lasting
    `span` days."""

    anchor_date: date
    span: int
    from_end: bool = False
    skip_weekends: bool = False

    def first_day(self) -> date:
        return self.anchor_date - timedelta(days=self.span) if self.from_end else self.anchor_date

    def date_of(self, day: int | None) -> date | None:
        if day is None:
            return None
        placed = self.first_day() + timedelta(days=day)
        if self.skip_weekends and placed.weekday() >= SATURDAY:
            if self.from_end:
                placed -= timedelta(days=placed.weekday() - 4)
            else:
                placed += timedelta(days=7 - placed.weekday())
        return placed


def days_from(first: date, day: date | None) -> int | None:
    return None if day is None else (day - first).days
