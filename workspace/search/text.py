"""Words as the index and the queries see them: accents folded, English and French stemmed.

Both sides (what is indexed, what is searched) go through the same functions, so SQLite and
PostgreSQL only ever compare ready-made tokens and behave the same.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Letters and digits; punctuation, underscores and spaces separate words.
WORD = re.compile(r"[^\W_]+")
# Longer "words" (hashes, base64) are noise, and PostgreSQL refuses lexemes over 2 KB.
MAX_WORD_CHARS = 60
# What is indexed of one item's text: enough for any message, bounded for pasted logs.
MAX_INDEXED_CHARS = 100_000

_ENGLISH = Stemmer.Stemmer("english")
_FRENCH = Stemmer.Stemmer("french")


def fold(text: str) -> str:
    """Lower case without accents: "Échéance" -> "echeance"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def raw_words(text: str) -> list[str]:
    """The words of `text`, lower-cased but with their accents (stemmers need them)."""
    text = unicodedata.normalize("NFC", text[:MAX_INDEXED_CHARS]).casefold()
    return [w for w in WORD.findall(text) if len(w) <= MAX_WORD_CHARS]


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """One stem per word, the same whatever the language of the text: the shorter of the
    English and the French stems (the more thorough one), folded. "launched" -> "launch",
    "échéances" -> "echeanc"."""
    english = fold(_ENGLISH.stemWord(word))
    french = fold(_FRENCH.stemWord(word))
    return french if len(french) < len(english) else english


def surfaces(text: str) -> list[str]:
    """The folded words of `text`, unstemmed: for prefixes and quoted phrases."""
    return [fold_word(w) for w in raw_words(text)]


fold_word = lru_cache(maxsize=50_000)(fold)


def terms(text: str) -> list[str]:
    """The stems of the words of `text`: for plain words."""
    return [stem(w) for w in raw_words(text)]
