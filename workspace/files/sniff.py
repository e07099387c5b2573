"""A file's type from its bytes, never from the name or the browser's claim."""

from __future__ import annotations

import filetype

INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}
THUMBNAIL_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}

KINDS = {
    "image": lambda t: t.startswith("image/"),
    "pdf": lambda t: t == "application/pdf",
    "text": lambda t: t.startswith("text/"),
}


def sniff(head: bytes) -> str:
    """The content type of a file from its first bytes."""
    if not head:
        return "application/x-empty"
    found = filetype.guess_mime(head)
    if found:
        return found
    return text_type(head)


def text_type(head: bytes) -> str:
    if b"\x00" in head:
        return "application/octet-stream"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not just a character cut at the end of the head
            return "application/octet-stream"
        text = head[: error.start].decode("utf-8")
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if "<svg" in lowered[:1024]:
        return "image/svg+xml"
    if lowered.startswith(("<!doctype html", "<html")) or "<script" in lowered:
        return "text/html"
    return "text/plain"


def kind_of(content_type: str) -> str:
    """The filter group a type belongs to: image, pdf, text or other."""
    return next((kind for kind, test in KINDS.items() if test(content_type)), "other")
