"""CSV exports that are safe to open in a spreadsheet (OWASP "CSV Injection").

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read by Excel,
LibreOffice or Google Sheets as a formula (`=HYPERLINK(...)`, `@SUM(...)`, DDE). Such a cell gets a leading
single quote, which the spreadsheet shows as text. Numbers and booleans are written as they are (a negative
number is data, not a formula), dates and times in ISO 8601. Every CSV export writes its rows through `csv_lines`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """The value to write in a cell: text that a spreadsheet would run as a formula is prefixed with `'`; a date
    or a time in ISO 8601 (`2026-01-31`, `2026-01-31T09:30:00+00:00`)."""
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line, so rows can be streamed."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one CSV line (for StreamingHttpResponse), every cell through csv_cell."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])
