"""Sentences a person reads: counts with the right plural, "a" or "an", lists joined the way people write them.
Pure functions; every app's summaries, messages and reasons use these instead of writing `f"{n} rows"`."""

from __future__ import annotations

import re

# Words that start with a vowel letter but a consonant sound, and the other way round.
_CONSONANT_SOUND = re.compile(r"^(uni(?!nt|mp|nd)|use|usu|eu|one\b|once\b)", re.IGNORECASE)
_VOWEL_SOUND = re.compile(r"^(hour|honest|honou?r|heir|[AEFHILMNORSX]\b|[AEFHILMNORSX][A-Z0-9])")


def plural(n: int, word: str, words: str | None = None) -> str:
    """`plural(1, "row")` -> "1 row"; `plural(2, "row")` -> "2 rows"; an irregular plural as `words`."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def signed(n: int) -> str:
    """A ledger amount with a real minus sign: -12 -> "−12"; 12 -> "12"."""
    return f"\u2212{-n}" if n < 0 else str(n)


def article(word: str) -> str:
    """ "a" or "an" for the word that follows, by its sound: an architecture, a user, an hour, an SLA."""
    word = word.strip()
    if not word:
        return "a"
    if _VOWEL_SOUND.match(word):
        return "an"
    if word[0].lower() in "aeiou" and not _CONSONANT_SOUND.match(word):
        return "an"
    return "a"


def with_article(word: str) -> str:
    return f"{article(word)} {word}"


def join_words(items: list[str], last: str = "and") -> str:
    """["a", "b", "c"] -> "a, b and c" (empty items dropped)."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def sentences(items: list[str]) -> str:
    """Sentences one after the other, each ending with one full stop: ["Met.", "2 missing"] -> "Met. 2 missing."."""
    parts = [s.strip() for s in items if s and s.strip()]
    return " ".join(p if p[-1] in ".!?" else p + "." for p in parts)


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]
