"""Repeating to-dos: a to-do with a rule (an RFC 5545 RRULE value, "every week") is one of a
series; checking it off makes the next one, due on the rule's next date after its own, in the
same transaction. Two people checking it off at once make one next to-do: only the one whose
conditional UPDATE completes it goes on, and the series cannot hold two to-dos due the same day
(a unique constraint on (series_id, due_on))."""

from __future__ import annotations

from datetime import date, datetime

from dateutil.rrule import rrulestr


def next_due(rule: str, due_on: date) -> date | None:
    """The rule's next date after `due_on`, counting from `due_on`; None when it is over."""
    start = datetime.combine(due_on, datetime.min.time())
    following = rrulestr(rule, dtstart=start).after(start)
    return following.date() if following is not None else None
