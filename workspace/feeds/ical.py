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


def parameter(value: str) -> str:
    """A parameter value (RFC 5545 3.2) as a quoted string: no double quote, no control
    character but HTAB."""
    kept = "".join(char for char in value if char == "\t" or (
        char >= " " and char not in '"\x7f'))
    return f'"{kept}"'


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


def component(kind: str, lines: Iterable[str]) -> list[str]:
    """The folded lines of a component from its content lines ("NAME;PARAM=…:value", the
    value already formatted)."""
    return [f"BEGIN:{kind}", *map(fold, lines), f"END:{kind}"]


def document(lines: Iterable[str], components: Iterable[list[str]]) -> bytes:
    """A VCALENDAR with its own content `lines` and `components`, as the UTF-8 bytes to send."""
    out = ["BEGIN:VCALENDAR", *map(fold, lines)]
    for lines_of_one in components:
        out.extend(lines_of_one)
    out.append("END:VCALENDAR")
    return (CRLF.join(out) + CRLF).encode()
