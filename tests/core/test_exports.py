"""CSV exports are safe to open in a spreadsheet (OWASP CSV injection): formula-like text cells get a `'`."""

import csv
import io
from datetime import UTC, date, datetime

import pytest

from core.exports import csv_cell, csv_lines


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Acme = Networks", "Acme = Networks"),
        ("", ""),
        (-5, -5),
        (2.5, 2.5),
        (True, True),
        (None, None),
        (date(2026, 1, 1), "2026-01-01"),
        (datetime(2026, 1, 31, 9, 30, tzinfo=UTC), "2026-01-31T09:30:00+00:00"),
    ],
)
def test_csv_cell_neutralises_formulas_only(value, written):
    assert csv_cell(value) == written


def test_csv_lines_quote_and_neutralise_every_cell():
    text = "".join(csv_lines([["name", "days"], ['=cmd|" /C calc"!A0', -3], ["Acme, Inc.", 4]]))
    assert list(csv.reader(io.StringIO(text))) == [
        ["name", "days"],
        ['\'=cmd|" /C calc"!A0', "-3"],
        ["Acme, Inc.", "4"],
    ]
