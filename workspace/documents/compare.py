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
    blocks: tuple[Block, ...]

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


def compare(old: str, new: str) -> Comparison:
    """What changed from `old` to `new`, word by word, with long unchanged runs shortened."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    blocks: list[Block] = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            blocks.append(unchanged(old_lines[i1:i2]))
        else:
            blocks.append(Block(True, tuple(word_diff("".join(old_lines[i1:i2]),
                                                      "".join(new_lines[j1:j2])))))
    return Comparison(tuple(blocks))


def unchanged(lines: list[str]) -> Block:
    if len(lines) <= 2 * CONTEXT + 1:
        return Block(False, (Segment("equal", "".join(lines)),))
    head, tail = "".join(lines[:CONTEXT]), "".join(lines[-CONTEXT:])
    return Block(False, (Segment("equal", head), Segment("equal", tail)),
                 skipped=len(lines) - 2 * CONTEXT)


def word_diff(old: str, new: str) -> list[Segment]:
    old_words, new_words = WORDS.findall(old), WORDS.findall(new)
    segments: list[Segment] = []
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
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
