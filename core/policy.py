"""Program figures as data: effective-dated key/value rows (core.models.Policy) read into a PolicyBook.
Pure: rows in, values out; no ORM, no clock."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar


class Dated(Protocol):
    @property
    def effective_from(self) -> date: ...


Row = TypeVar("Row", bound=Dated)


def row_in_force(rows: Iterable[Row], day: date) -> Row | None:
    """The row in force on `day`: the latest that started on or before it and (where rows have an end,
    `effective_to`) has not ended before it. The pure form of `EffectiveDatedQuerySet.in_force`, for rows
    already read (batch work); every policy table is looked up by one of the two."""
    found: Row | None = None
    found_start = date.min
    for row in rows:
        start, end = row.effective_from, getattr(row, "effective_to", None)
        if start <= day and (end is None or day <= end) and (found is None or start > found_start):
            found, found_start = row, start
    return found


@dataclass(frozen=True)
class PolicyRow:
    key: str
    effective_from: date
    value: int


class PolicyBook:
    """Effective-dated policy rows; `value(key, on)` is the row in force on a date."""

    def __init__(self, rows: Iterable[PolicyRow]) -> None:
        self._rows: dict[str, list[PolicyRow]] = {}
        self._memo: dict[tuple[str, date], PolicyRow] = {}
        self._cited: dict[tuple[tuple[str, ...], date, Callable[..., str]], str] = {}
        for row in sorted(rows, key=lambda r: (r.key, r.effective_from)):
            self._rows.setdefault(row.key, []).append(row)

    def row(self, key: str, on: date) -> PolicyRow:
        found = self._memo.get((key, on))
        if found is None:
            current = row_in_force(self._rows.get(key, ()), on)
            if current is None:
                raise LookupError(f"No policy row {key!r} is in force on {on}.")
            found = self._memo[(key, on)] = current
        return found

    def value(self, key: str, on: date) -> int:
        return self.row(key, on).value

    def get(self, key: str, on: date) -> int | None:
        """The value in force on a date, or None before the key's first row (that part of the program has no
        requirement yet)."""
        try:
            return self.value(key, on)
        except LookupError:
            return None

    def days(self) -> set[date]:
        """The days on which a row comes into force (a figure may change)."""
        return {row.effective_from for rows in self._rows.values() for row in rows}

    def cite(self, keys: list[str], on: date, words: Callable[[dict[str, int], date], str]) -> str:
        """The figures of `keys` in force on a date, in words: `words(values by key, the day the latest of them
        came into force)`, so a person reads the policy and never its keys."""
        memo = (tuple(keys), on, words)  # the recompute cites the same keys on the same day for every credential
        if memo not in self._cited:
            rows = [self.row(k, on) for k in keys]
            self._cited[memo] = words({r.key: r.value for r in rows}, max(r.effective_from for r in rows))
        return self._cited[memo]
