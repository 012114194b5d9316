"""Every measure of issue 12, each with its floor or ceiling in the same run, interleaved per repetition; the
median of the repetitions. Measures call the public entry points in a transaction rolled back afterwards, so
every repetition starts from the same state (the data brought up to the day before AS_OF)."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import shutil

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from knox.models import AuthToken

from compliance.models import CredentialVerdict, PartnerCertification, VerdictChange
from compliance.services import recompute as recompute_module
from config.celery import app
from core.bulk import copy_upsert
from core.models import Event
from learning import selectors as learning_selectors
from partners.models import Partner
from renewals.services.scan import daily_scan
from specializations import selectors as specialization_selectors
from specializations.models import PartnerSpecialization

from . import bench_read_api, data, load
from .table import Row, median, rolled_back, timed

# The incremental recompute where it exists (issue 12), else the full recompute of today's code.
REFRESH = getattr(recompute_module, "verdicts_refresh", None)


def _seconds(s: float) -> str:
    return f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def _ratio(ours: float, floor: float) -> str:
    return f"{ours / floor:.2f}×"


def recompute(*, as_of, full: bool) -> None:
    if REFRESH is not None:
        REFRESH(as_of=as_of, full=full)
    else:
        recompute_module.verdicts_recompute(partner_ids=None, as_of=as_of)


def points(repeats: int) -> list[Row]:
    """points_progress_all against the one SQL aggregate it runs (windows computed beforehand)."""
    ours, floor, queries = [], [], 0
    holdings = specialization_selectors.partner_specializations(partner_ids=None)
    for _ in range(repeats):
        seconds, queries = timed(lambda: learning_selectors.points_progress_all(as_of=data.AS_OF))
        ours.append(seconds)
        policies = learning_selectors.policy_rows()
        windows = {
            h.id: learning_selectors.rules.window_for(h, policies, data.AS_OF)
            for h in learning_selectors._holdings(holdings)
        }
        floor.append(timed(lambda windows=windows: learning_selectors._collected(windows))[0])
    o, f = median(ours), median(floor)
    return [
        Row(
            f"points for every holding (`points_progress_all`), {len(windows):,} holdings",
            f"{_seconds(o)}, {queries} queries",
            f"the one SQL aggregate {_seconds(f)}",
            _ratio(o, f),
            "≤ 1.6×",
            o <= 1.6 * f,
        )
    ]


def scan(repeats: int) -> list[Row]:
    """The scan of the next day, after that day's recompute (the night's order); where it takes a partner range, also (once) of a quarter and of half the partners:
    twice the credentials must not mean (about) more queries."""
    times, queries, ranged = [], 0, ""
    for _ in range(repeats):
        with rolled_back():
            recompute(as_of=data.AS_OF, full=False)  # step 1 of the night, as config/daily.py runs it (not timed)
            seconds, queries = timed(lambda: daily_scan(as_of=data.AS_OF))
        times.append(seconds)
    constant = True
    if "partner_range" in inspect.signature(daily_scan).parameters:
        pids = list(Partner.objects.order_by("pk").values_list("pk", flat=True))
        counts = []
        for part in (4, 2):
            with rolled_back():
                recompute(as_of=data.AS_OF, full=False)
                counts.append(
                    timed(lambda n=part: daily_scan(as_of=data.AS_OF, partner_range=(0, pids[len(pids) // n])))[1]
                )
        constant = counts[1] <= 1.1 * counts[0]  # twice the partners: not 10 % more queries (kinds of change vary)
        ranged = f" (by partner range, a quarter: {counts[0]}, half: {counts[1]})"
    active = sum(
        m.objects.filter(status__in=("approved", "recert")).count()
        for m in (PartnerCertification, PartnerSpecialization)
    )
    s = median(times)
    return [
        Row(
            f"daily renewal scan, {active:,} credentials",
            f"{_seconds(s)}, {queries} queries{ranged}",
            target="≤ 1.5 s, constant queries",
            ok=s <= 1.5 and constant,
        )
    ]


def written_by_recompute() -> list[tuple[type, list[str], QuerySet]]:
    """What a first run writes, each with its conflict key: the verdicts, the status changes and their events."""
    return [
        (CredentialVerdict, ["credential_type", "credential_id"], CredentialVerdict.objects.all()),
        (VerdictChange, ["credential_type", "credential_id", "as_of"], VerdictChange.objects.all()),
        (Event, ["dedupe_key"], Event.objects.filter(kind="compliance.verdict_changed")),
    ]


def _clear_verdicts() -> None:
    for _, _, qs in written_by_recompute():
        qs.delete()


def _rows_written() -> list[tuple[type, list[str], list[str], list[dict]]]:
    saved = []
    for model, conflict, qs in written_by_recompute():
        columns = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        saved.append((model, conflict, columns, list(qs.values(*columns))))
    return saved


def _copy_upsert(saved) -> None:
    """The floor of the first run: the same rows, each table by COPY into a staging table and one INSERT … ON
    CONFLICT (core.bulk.copy_upsert)."""
    for model, conflict, columns, rows in saved:
        copy_upsert(model, rows, conflict=conflict, update=[c for c in columns if c not in conflict] or None)


def compliance(repeats: int) -> list[Row]:
    first, floor, again, saved = [], [], [], []
    q_first = q_again = 0
    for _ in range(repeats):
        with rolled_back():
            _clear_verdicts()
            seconds, q_first = timed(lambda: recompute(as_of=data.AS_OF, full=True))
            first.append(seconds)
            saved = saved or _rows_written()
        with rolled_back():
            _clear_verdicts()
            floor.append(timed(lambda saved=saved: _copy_upsert(saved))[0])
        with rolled_back():
            seconds, q_again = timed(lambda: recompute(as_of=data.AS_OF, full=False))
            again.append(seconds)
    o, f, a = median(first), median(floor), median(again)
    counts = ", ".join(f"{len(rows):,}" for *_, rows in saved)
    return [
        Row(
            f"compliance recompute, first run (verdicts, changes, events: {counts})",
            f"{_seconds(o)}, {q_first} queries",
            f"COPY + upsert of the same rows {_seconds(f)}",
            _ratio(o, f),
            "≤ 3×",
            o <= 3 * f,
        ),
        Row(
            "compliance recompute, the next night, no fact changed",
            f"{_seconds(a)}, {q_again} queries",
            target="≤ 2 s",
            ok=a <= 2,
        ),
    ]


def staff_token() -> str:
    staff = get_user_model().objects.get(username=data.STAFF)
    return AuthToken.objects.create(staff)[1]


def ingest(repeats: int, size: int = 10_000) -> list[Row]:
    """bench_ingest.main: POST learning-records/bulk/ with `size` new records (in process) against COPY of the same
    rows, interleaved, its rows deleted after each run. The recompute each import asks for goes to the broker, as in
    production (a worker runs it), not inline as the test settings' eager mode would; the queue is then emptied."""
    app.conf.task_always_eager = False
    try:
        result = importlib.import_module("bench.bench_ingest").main(size, repeats, None)
    finally:
        app.conf.task_always_eager = True
        app.control.purge()
    api, copy, ratio = result["api_per_s"], result["copy_per_s"], result["ratio"]
    return [
        Row(
            f"bulk ingest, API, {size:,} records a request",
            f"{api:,.0f} records/s, answer {result['answer_bytes']:,} bytes",
            f"COPY of the same rows {copy:,.0f}/s",
            f"{ratio:.2f}×",
            "≥ 10,000/s, ≤ 1.5×",
            api >= 10_000 and ratio <= 1.5,
        )
    ]


def read_api(*, database_url: str, redis_url: str, connections: int, duration: int, repeats: int) -> list[Row]:
    """bench_read_api.measure_read_api on the harness's gunicorn (the Dockerfile's options)."""
    label = f"{{}}, {connections} connections"
    if shutil.which("wrk") is None:
        return [Row(label.format("read API"), "wrk is needed for the read-API load: apt-get install -y wrk")]
    token = staff_token()
    with load.gunicorn(database_url, redis_url) as base:
        return _read_api_rows(bench_read_api.measure_read_api(base, token, connections, duration, repeats), label)


def _read_api_rows(results: list[dict], label: str) -> list[Row]:
    """Rows from bench_read_api.measure_read_api: one dict per endpoint (with its ceiling's figures) and one for
    the ceiling itself, the last."""
    ceiling = results[-1]["name"]
    rows = []
    for r in results[:-1]:
        errors = f", {r['errors']} errors" if r["errors"] else ""
        rows.append(
            Row(
                label.format(f"`{r['name']}`"),
                f"{r['rps']:,.1f} req/s, p95 {r['p95_ms'] / 1000:.2f} s{errors}",
                f"{ceiling} {r['ceiling_rps']:,.0f} req/s, p95 {r['ceiling_p95_ms'] / 1000:.2f} s",
                f"{r['rps'] / r['ceiling_rps']:.0%} of req/s, p95 {r['p95_ms'] / r['ceiling_p95_ms']:.1f}×",
                "≥ 60 % of req/s, p95 ≤ 2×",
                r["target_met"],
            )
        )
    return rows
