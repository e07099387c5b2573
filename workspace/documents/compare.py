"""Comparing two texts word by word, and merging two edits of one text.

The diff is Python's `difflib`: lines first (so that the cost follows what changed, not the
length of the text), then words inside the lines that changed. The three-way merge is the
`merge3` package (Bazaar's and Breezy's merge): a merge is proposed only when the two edits
touch lines apart from each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from merge3 import Merge3

WORDS = re.compile(r"\s+|\w+|[^\w\s]")
# An unchanged run longer than this shows its first and last CONTEXT lines only.
CONTEXT = 3
# Beyond this many words on each side, a changed run is not compared word by word (the cost
# grows with their product): it shows as removed, then added.
WORD_DIFF_LIMIT = 4_000
# A comparison shows at most this many characters: a page stays light whatever the texts.
SHOWN_LIMIT = 100_000


@dataclass(frozen=True)
class Segment:
    """A piece of text: `op` is "equal", "delete" (only in the old text) or "insert"."""

    op: str
    text: str


@dataclass(frozen=True)
class Block:
    """A run of lines, unchanged (`segments` of one "equal" text; `skipped` lines left out
    of its middle) or changed (its words' segments, old and new interleaved)."""

    changed: bool
    segments: tuple[Segment, ...]
    skipped: int = 0

    @property
    def old(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.op != "insert")

    @property
    def new(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.op != "delete")


@dataclass(frozen=True)
class Comparison:
    """The blocks of a comparison; `truncated` when the changes went on beyond what is
    shown."""

    blocks: tuple[Block, ...]
    truncated: bool = False

    @property
    def identical(self) -> bool:
        return not any(block.changed for block in self.blocks)

    @property
    def counts(self) -> tuple[int, int]:
        """Words added and removed."""
        added = removed = 0
        for block in self.blocks:
            for segment in block.segments:
                words = len(re.findall(r"\w+", segment.text))
                if segment.op == "insert":
                    added += words
                elif segment.op == "delete":
                    removed += words
        return added, removed


def compare(old: str, new: str, limit: int = SHOWN_LIMIT) -> Comparison:
    """What changed from `old` to `new`, word by word, with long unchanged runs shortened,
    up to about `limit` characters shown."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    blocks: list[Block] = []
    shown = 0
    # Blank lines are junk, as spaces are between words (see word_diff).
    matcher = SequenceMatcher(is_blank, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if shown > limit:
            return Comparison(tuple(blocks), truncated=True)
        if op == "equal":
            block = unchanged(old_lines[i1:i2])
        else:
            segments = changed_lines(old_lines[i1:i2], new_lines[j1:j2])
            kept = within(segments, limit - shown)
            block = Block(True, tuple(kept))
            if len(kept) < len(segments):
                blocks.append(block)
                return Comparison(tuple(blocks), truncated=True)
        shown += sum(len(segment.text) for segment in block.segments)
        blocks.append(block)
    return Comparison(tuple(blocks))


def within(segments: list[Segment], budget: int) -> list[Segment]:
    """The first segments, up to about `budget` characters (at least one)."""
    kept: list[Segment] = []
    for segment in segments:
        if kept and budget < 0:
            break
        kept.append(segment)
        budget -= len(segment.text)
    return kept


def is_blank(line: str) -> bool:
    return not line.strip()


def changed_lines(old: list[str], new: list[str]) -> list[Segment]:
    """A run of changed lines, word by word: line by line when there are as many on each
    side (paragraphs edited in place: the cost follows each line, not the run)."""
    if len(old) == len(new) and len(old) > 1:
        return [segment for pair in zip(old, new, strict=True) for segment in word_diff(*pair)]
    return word_diff("".join(old), "".join(new))


def unchanged(lines: list[str]) -> Block:
    if len(lines) <= 2 * CONTEXT + 1:
        return Block(False, (Segment("equal", "".join(lines)),))
    head, tail = "".join(lines[:CONTEXT]), "".join(lines[-CONTEXT:])
    return Block(False, (Segment("equal", head), Segment("equal", tail)),
                 skipped=len(lines) - 2 * CONTEXT)


def word_diff(old: str, new: str) -> list[Segment]:
    old_words, new_words = WORDS.findall(old), WORDS.findall(new)
    if len(old_words) > WORD_DIFF_LIMIT and len(new_words) > WORD_DIFF_LIMIT:
        return [Segment("delete", old), Segment("insert", new)]
    segments: list[Segment] = []
    # Spaces are "junk" to the matcher: no match starts on one, though matches take in those
    # around them. Otherwise the hundreds of identical spaces of a paragraph make it try a
    # match from each (quadratic: a second for two versions of 20 KB).
    matcher = SequenceMatcher(str.isspace, old_words, new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("delete", "".join(old_words[i1:i2])))
        if j2 > j1:
            segments.append(Segment("insert", "".join(new_words[j1:j2])))
    return segments


def merge(base: str, mine: str, theirs: str) -> str | None:
    """`mine` and `theirs`, both edited from `base`, merged; None when they change the same
    lines (or lines next to each other), which a person must settle."""
    merger = Merge3(base.splitlines(keepends=True), mine.splitlines(keepends=True),
                    theirs.splitlines(keepends=True))
    merged: list[str] = []
    for group in merger.merge_groups():
        if group[0] == "conflict":
            return None
        merged.extend(group[1])
    return "".join(merged)
