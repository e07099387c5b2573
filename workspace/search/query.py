"""A small search syntax, parsed here rather than by the database so that no input can be an
error there and both backends understand the same thing.

- words: every word must appear, in any inflection (stemmed, accents folded);
- "quoted phrases": these words, next to each other, in this order (accents folded);
- prefix*: any word that starts so (at least two letters).

Everything else (operators such as NEAR, AND, OR, NOT, `-`, parentheses, colons) is taken as
punctuation between words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from workspace.search import text

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 16
MIN_PREFIX_CHARS = 2
OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
CHUNK = re.compile(r'"([^"]*)"?|([^\s"]+)')


class ClauseKind(StrEnum):
    WORD = "word"      # matched against the stems
    PREFIX = "prefix"  # matched against the folded words
    PHRASE = "phrase"  # matched against the folded words, in order


@dataclass(frozen=True)
class Clause:
    kind: ClauseKind
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class SearchQuery:
    clauses: tuple[Clause, ...]

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def to_fts5(self) -> str:
        """An FTS5 MATCH expression; every token is quoted, so none is an operator."""
        parts = []
        for clause in self.clauses:
            quoted = '"' + " ".join(clause.tokens) + '"'
            if clause.kind is ClauseKind.WORD:
                parts.append(f"terms : {quoted}")
            elif clause.kind is ClauseKind.PREFIX:
                parts.append(f"words : {quoted} *")
            else:
                parts.append(f"words : {quoted}")
        return " AND ".join(parts)

    def to_tsqueries(self) -> tuple[str, str]:
        """Two `to_tsquery('simple', …)` inputs: one over the stems, one over the words."""
        on_terms = [f"'{c.tokens[0]}'" for c in self.clauses if c.kind is ClauseKind.WORD]
        on_words = []
        for clause in self.clauses:
            if clause.kind is ClauseKind.PREFIX:
                on_words.append(f"'{clause.tokens[0]}':*")
            elif clause.kind is ClauseKind.PHRASE:
                on_words.append("(" + " <-> ".join(f"'{t}'" for t in clause.tokens) + ")")
        return " & ".join(on_terms), " & ".join(on_words)


def parse(query: str) -> SearchQuery:
    """Read what a person typed; never fails, at worst gives an empty query."""
    clauses: list[Clause] = []
    for match in CHUNK.finditer(query[:MAX_QUERY_CHARS]):
        phrase, bare = match.groups()
        clauses.extend(phrase_clauses(phrase) if phrase is not None else bare_clauses(bare))
    unique = list(dict.fromkeys(clauses))
    return SearchQuery(tuple(unique[:MAX_CLAUSES]))


def phrase_clauses(phrase: str) -> list[Clause]:
    words = text.surfaces(phrase)
    if len(words) == 1:
        return [Clause(ClauseKind.WORD, (text.stem(text.raw_words(phrase)[0]),))]
    return [Clause(ClauseKind.PHRASE, tuple(words))] if words else []


def bare_clauses(chunk: str) -> list[Clause]:
    words = text.raw_words(" ".join(w for w in text.WORD.findall(chunk) if w not in OPERATORS))
    clauses = [Clause(ClauseKind.WORD, (text.stem(w),)) for w in words]
    if words and chunk.endswith("*"):
        prefix = text.fold(words[-1])
        clauses[-1] = (Clause(ClauseKind.PREFIX, (prefix,)) if len(prefix) >= MIN_PREFIX_CHARS
                       else clauses[-1])
    return clauses


def matcher(query: SearchQuery) -> Callable[[str], bool]:
    """A test for one raw word of a text: does the query find it? (for highlighting)"""
    stems = {c.tokens[0] for c in query.clauses if c.kind is ClauseKind.WORD}
    prefixes = tuple(c.tokens[0] for c in query.clauses if c.kind is ClauseKind.PREFIX)
    phrase_words = {t for c in query.clauses if c.kind is ClauseKind.PHRASE for t in c.tokens}

    def matches(raw_word: str) -> bool:
        folded = text.fold(raw_word)
        return (folded in phrase_words or (bool(prefixes) and folded.startswith(prefixes))
                or text.stem(raw_word.casefold()) in stems)

    return matches
