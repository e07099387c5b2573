"""The comparison and the merge on their own: words, long texts, and what is left out."""

from __future__ import annotations

import time

from workspace.documents.compare import SHOWN_LIMIT, compare, merge


def test_words_change_inside_a_line_and_unchanged_runs_are_shortened():
    old = "".join(f"line {n}\n" for n in range(20)) + "the quick brown fox\n"
    new = "".join(f"line {n}\n" for n in range(20)) + "the quick red fox\n"
    comparison = compare(old, new)
    [same, changed] = comparison.blocks
    assert same.skipped == 14 and not same.changed
    assert [(s.op, s.text) for s in changed.segments if s.op != "equal"] == [
        ("delete", "brown"), ("insert", "red")]
    assert comparison.counts == (1, 1) and not comparison.identical
    assert compare(old, old).identical


def test_two_long_texts_compare_quickly_and_the_shown_part_is_bounded():
    old = "".join(f"paragraph {n} " + "word " * 60 + "\n\n" for n in range(400))
    new = "".join(f"changed {n} " + "other " * 60 + "\n\n" for n in range(400))
    started = time.perf_counter()
    comparison = compare(old, new)
    assert time.perf_counter() - started < 2
    assert comparison.truncated
    shown = sum(len(s.text) for block in comparison.blocks for s in block.segments)
    assert SHOWN_LIMIT < shown < SHOWN_LIMIT + 2_000


def test_a_merge_takes_both_edits_apart_and_none_that_overlap():
    base = "a\nb\nc\nd\ne\n"
    assert merge(base, "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n") == "A\nb\nc\nd\nE\n"
    assert merge(base, "a\nB\nc\nd\ne\n", "a\nX\nc\nd\ne\n") is None
    assert merge(base, "a\nB\nc\nd\ne\n", "a\nB\nc\nd\ne\n") == "a\nB\nc\nd\ne\n"
