"""The benchmark harness's plumbing (its figures are measured by `python -m bench`, never asserted here)."""

import pytest

from bench.__main__ import parse
from bench.load import dockerfile_env, gunicorn_options
from bench.table import Row, render


def test_the_load_runs_gunicorn_as_the_dockerfile_does_but_on_its_own_address():
    options = gunicorn_options()
    assert "--workers" in options or "WEB_CONCURRENCY" in dockerfile_env()
    assert "--bind" not in options and "-b" not in options


def test_quick_is_a_thousand_partners_in_a_database_of_its_own():
    args = parse(["all", "--quick"])
    assert (args.partners, args.repeats, args.database_url) == (
        1_000,
        2,
        "postgres://postgres@127.0.0.1:5432/portal_bench_quick",
    )
    assert parse(["all"]).database_url.endswith("/portal_bench") and parse(["all"]).partners == 10_000


def test_an_unknown_measure_is_refused():
    with pytest.raises(SystemExit):
        parse(["all", "--only", "points,speed"])


def test_the_table_says_pass_fail_or_nothing():
    rows = [Row("a", "1 s", target="≤ 2 s", ok=True), Row("b", "3 s", ok=False), Row("c", "not measured")]
    lines = render(rows).splitlines()
    assert lines[0].startswith("| measure | ours |")
    assert [line.rsplit("|", 2)[1].strip() for line in lines[2:]] == ["pass", "FAIL", "—"]
