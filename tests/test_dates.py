"""Dates and times shown in the reader's timezone and language: the kept wall-clock formats
give exactly what Babel gives, across timezones, daylight-saving changes and languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import g
from flask_babel import format_datetime, format_time, refresh

from workspace.i18n import DATETIME_PATTERNS, date_pattern, datetime_filter, time_filter

MOMENTS = [datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC) + timedelta(minutes=37 * n)
           for n in range(60)] + [datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
                                  datetime(2026, 12, 31, 23, 59, 1, tzinfo=UTC)]


@pytest.mark.parametrize("timezone", ["UTC", "Europe/Paris", "America/St_Johns",
                                      "Asia/Kathmandu", "Pacific/Kiritimati"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_kept_formats_are_babels(app, make, timezone, language):
    reader = make.user("Reader")
    reader.timezone, reader.locale = timezone, language
    with app.test_request_context():
        g.acting_user = reader
        refresh()
        for moment in MOMENTS:
            for format in ("short", "long"):
                assert datetime_filter(moment, format) == format_datetime(
                    moment, date_pattern(format, DATETIME_PATTERNS))
            for format in ("short", "medium"):
                assert time_filter(moment, format) == format_time(moment, format)
        assert datetime_filter(None) == ""


def test_the_same_moment_reads_differently_for_each_reader(app, make):
    moment = datetime(2026, 7, 1, 21, 5, tzinfo=UTC)
    shown = []
    for timezone, language in [("UTC", "en"), ("Europe/Paris", "fr"), ("Asia/Tokyo", "en")]:
        reader = make.user(f"Reader {timezone}")
        reader.timezone, reader.locale = timezone, language
        with app.test_request_context():
            g.acting_user = reader
            refresh()
            shown.append((datetime_filter(moment, "short"), time_filter(moment)))
    assert shown[0][1] == "9:05\u202fPM" and shown[1][1] == "23:05"
    assert "Jul 2, 2026" in shown[2][0]  # already the next day in Tokyo
