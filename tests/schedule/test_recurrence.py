"""Recurrence rules built from choices and expanded in the event's timezone: hand-checked
dates across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from workspace.schedule.recurrence import RecurrenceError, Repeat, Timing, repeat_of, rule_text

PARIS, NEW_YORK = ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")


def timed(zone: ZoneInfo, start: datetime, repeat: Repeat, hours: int = 1) -> Timing:
    local = start.replace(tzinfo=zone)
    rule = rule_text(repeat, local, all_day=False)
    begins = local.astimezone(UTC)
    return Timing(begins, begins + timedelta(hours=hours), zone, False, rule)


def local_starts(timing: Timing, after: datetime, before: datetime) -> list[datetime]:
    return [start.astimezone(timing.tz).replace(tzinfo=None)
            for start in timing.starts(after.replace(tzinfo=UTC), before.replace(tzinfo=UTC))]


@pytest.mark.parametrize(("zone", "change_day"), [(PARIS, date(2026, 3, 29)),
                                                  (NEW_YORK, date(2026, 3, 8))])
def test_a_weekly_meeting_stays_at_nine_across_the_spring_change(zone, change_day):
    timing = timed(zone, datetime(2026, 2, 23, 9), Repeat("weekly"))
    assert timing.rule == "FREQ=WEEKLY;BYDAY=MO"
    starts = timing.starts(datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 4, 30, tzinfo=UTC))
    assert all(start.astimezone(zone).hour == 9 for start in starts)
    before = [s for s in starts if s.date() < change_day]
    after = [s for s in starts if s.date() > change_day]
    # The offset changes, so the UTC hour moves by one.
    assert {s.hour for s in before} != {s.hour for s in after}
    assert len({s.hour for s in before}) == len({s.hour for s in after}) == 1


def test_paris_autumn_change_hand_checked():
    timing = timed(PARIS, datetime(2026, 10, 19, 9), Repeat("weekly", count=3))
    starts = timing.starts(datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    assert starts == [datetime(2026, 10, 19, 7, tzinfo=UTC), datetime(2026, 10, 26, 8, tzinfo=UTC),
                      datetime(2026, 11, 2, 8, tzinfo=UTC)]
    assert timing.last_end() == datetime(2026, 11, 2, 9, tzinfo=UTC)


def test_a_monthly_31st_skips_the_shorter_months():
    timing = timed(NEW_YORK, datetime(2026, 1, 31, 18), Repeat("monthly", until=date(2026, 8, 31)))
    assert timing.rule == "FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20260901T035959Z"
    days = [s.date() for s in local_starts(timing, datetime(2026, 1, 1), datetime(2027, 1, 1))]
    assert days == [date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31), date(2026, 7, 31),
                    date(2026, 8, 31)]


def test_monthly_on_the_second_tuesday_and_the_last_friday():
    second = timed(PARIS, datetime(2026, 12, 8, 14), Repeat("monthly", monthly_by="weekday",
                                                             count=3))
    assert second.rule == "FREQ=MONTHLY;BYDAY=2TU;COUNT=3"
    assert [s.date() for s in local_starts(second, datetime(2026, 12, 1), datetime(2027, 6, 1))] \
        == [date(2026, 12, 8), date(2027, 1, 12), date(2027, 2, 9)]
    last = timed(PARIS, datetime(2026, 1, 30, 14), Repeat("monthly", monthly_by="weekday"))
    assert last.rule == "FREQ=MONTHLY;BYDAY=-1FR"


def test_weekly_on_chosen_days_every_other_week_and_yearly():
    timing = timed(PARIS, datetime(2026, 6, 1, 8), Repeat("weekly", interval=2,
                                                            weekdays=(0, 3)))
    assert timing.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"
    days = [s.date() for s in local_starts(timing, datetime(2026, 6, 1), datetime(2026, 6, 30))]
    assert days == [date(2026, 6, 1), date(2026, 6, 4), date(2026, 6, 15), date(2026, 6, 18),
                    date(2026, 6, 29)]
    yearly = timed(PARIS, datetime(2024, 2, 29, 8), Repeat("yearly", count=2))
    assert [s.year for s in local_starts(yearly, datetime(2024, 1, 1), datetime(2040, 1, 1))] \
        == [2024, 2028]


def test_an_all_day_rule_uses_dates():
    start = datetime(2026, 3, 28, tzinfo=PARIS)
    rule = rule_text(Repeat("daily", until=date(2026, 3, 30)), start, all_day=True)
    assert rule == "FREQ=DAILY;UNTIL=20260330"
    timing = Timing(start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC), PARIS,
                    True, rule)
    assert [s.astimezone(PARIS).date() for s in timing.starts(
        datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))] == [
        date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)]


def test_choices_read_back_from_the_rule():
    for repeat in (Repeat("weekly", 2, (0, 2)), Repeat("monthly", monthly_by="weekday",
                                                       count=5),
                   Repeat("daily", until=date(2027, 1, 31)), Repeat("yearly")):
        timing = timed(PARIS, datetime(2026, 12, 8, 9), repeat)
        assert repeat_of(timing.rule, PARIS) == repeat


def test_a_flood_or_an_empty_rule_is_refused_and_forever_is_allowed():
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    for rule in ("FREQ=HOURLY", "FREQ=MINUTELY;COUNT=5000", "FREQ=DAILY;UNTIL=20200101T000000Z",
                 "FREQ=NONSENSE"):
        with pytest.raises(RecurrenceError):
            Timing(start, start + timedelta(hours=1), PARIS, False, rule).check()
    forever = Timing(start, start + timedelta(hours=1), PARIS, False, "FREQ=DAILY")
    forever.check()
    assert forever.last_end() is None
    assert forever.has_occurrence(datetime(2030, 1, 1, 9, tzinfo=UTC))
    assert not forever.has_occurrence(datetime(2030, 1, 1, 10, tzinfo=UTC))
