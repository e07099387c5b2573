"""What a hit shows of its text: a short passage around the first word found, with every
word found marked. The text is escaped first; stored HTML is never trusted."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from markupsafe import Markup, escape

from workspace.search import text

EXCERPT_CHARS = 240
CONTEXT_BEFORE = 70


def highlight(passage: str, matches: Callable[[str], bool]) -> Markup:
    """`passage`, escaped, with the words that `matches` wrapped in <mark>."""
    out: list[str] = []
    position = 0
    for word in text.WORD.finditer(passage):
        if matches(word.group()):
            out.append(escape(passage[position:word.start()]))
            out.append(Markup("<mark>%s</mark>") % word.group())
            position = word.end()
    out.append(escape(passage[position:]))
    return Markup("").join(out)


def excerpt(body: str, matches: Callable[[str], bool]) -> Markup:
    """About EXCERPT_CHARS of `body` around the first word found (or its start)."""
    body = " ".join(unicodedata.normalize("NFC", body).split())
    first = next((w.start() for w in text.WORD.finditer(body) if matches(w.group())), 0)
    start = body.rfind(" ", 0, max(first - CONTEXT_BEFORE, 0)) + 1 if first > CONTEXT_BEFORE else 0
    end = body.find(" ", start + EXCERPT_CHARS)
    passage = body[start:] if end == -1 else body[start:end]
    before = "… " if start > 0 else ""
    after = " …" if end != -1 else ""
    return Markup("").join([before, highlight(passage, matches), after])
