"""iCalendar text (RFC 5545) written directly: the few properties our calendars use, escaped
and folded as the RFC asks. The icalendar library wrote the same documents several times
slower (parameter objects and folding per property dominated a calendar's cost); the tests
parse every document written here with that library."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded
CRLF = "\r\n"

# TEXT (RFC 5545 3.3.11): backslash, semicolon and comma escaped, a newline written `\n`, and
# no control character but HTAB. One `str.translate` pass does all of it.
TEXT_ESCAPES = str.maketrans(
    {"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n",
     **{chr(code): None for code in (*range(0x09), *range(0x0A + 1, 0x20), 0x7F)}}
)


def text(value: str) -> str:
    """A TEXT value, escaped; CRLF and CR count as one newline."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.translate(TEXT_ESCAPES)


def day(value: date) -> str:
    """A DATE value."""
    return value.isoformat().replace("-", "")


def instant(value: datetime) -> str:
    """A DATE-TIME value in UTC (the `Z` form)."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return "%04d%02d%02dT%02d%02d%02dZ" % (  # noqa: UP031 (twice as fast as the alternatives)
        value.year, value.month, value.day, value.hour, value.minute, value.second)


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, each continuation starting with
    a space, never inside a UTF-8 character."""
    if len(line) <= LINE_OCTETS and line.isascii():
        return line
    encoded = line.encode()
    if len(encoded) <= LINE_OCTETS:
        return line
    parts, start, limit = [], 0, LINE_OCTETS
    while len(encoded) - start > limit:
        end = start + limit
        while encoded[end] & 0xC0 == 0x80:  # a continuation byte: back to the start of its char
            end -= 1
        parts.append(encoded[start:end].decode())
        start, limit = end, LINE_OCTETS - 1  # the leading space takes one octet
    parts.append(encoded[start:].decode())
    return (CRLF + " ").join(parts)


def component(kind: str, properties: Iterable[tuple[str, str]]) -> list[str]:
    """The lines of a component from (name with parameters, already formatted value) pairs."""
    return [f"BEGIN:{kind}", *(fold(f"{name}:{value}") for name, value in properties),
            f"END:{kind}"]


def document(properties: Iterable[tuple[str, str]], components: Iterable[list[str]]) -> bytes:
    """A VCALENDAR holding `components`, as the UTF-8 bytes to send."""
    lines = ["BEGIN:VCALENDAR", *(fold(f"{name}:{value}") for name, value in properties)]
    for lines_of_one in components:
        lines.extend(lines_of_one)
    lines.append("END:VCALENDAR")
    return (CRLF.join(lines) + CRLF).encode()
