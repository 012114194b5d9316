"""The chunked night with one worker against two (issue 12, "Beyond one machine"). Not part of the test suite.

    python -m bench all --only workers                    # the harness's row (bench/workers.py calls measure_workers)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/bench_workers.py [--repeats 1] [--chunk 1000] [--full]

The database must hold the generated program brought up to the day before AS_OF (bench/data.py does). For each
repetition and each number of workers (1, then 2: interleaved), the database is copied (CREATE DATABASE ... TEMPLATE,
so every run starts from the same state), that many real `celery worker` processes (prefork, concurrency 1 each)
start on the copy, `manage.py run_daily --as-of AS_OF --wait` sends the chunks through Redis, and the time is the
run's own record: DailyRun.finished_at - started_at (chunks and the final step). The CPU seconds of the workers and
of the database backends serving the copy are reported too (for sizing). The workers leave notices in the outbox
(delivery is the notice worker's business), as the harness's other measures do. No other session may be connected
to the source database while it is copied.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 8, 1)  # bench/data.py's day: its data was brought up to the day before
TICKS = os.sysconf("SC_CLK_TCK")


def measure_workers(partners: int, repeats: int = 1, chunk: int | None = None, full: bool = False) -> dict:
    """Seconds of the chunked night with one worker ("one") and two ("two"): the median of `repeats` interleaved
    runs each, every run on a fresh copy of the current database. `full`: the night after a policy change (every
    verdict recomputed). Closes this process's database connection."""
    from django.conf import settings  # noqa: I001  (the caller has set Django up)
    from django.db import connection

    db = settings.DATABASES["default"]
    chunk = chunk or settings.DAILY_CHUNK_PARTNERS
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        broker = "redis://127.0.0.1:6379/7"
    connection.close()  # CREATE DATABASE ... TEMPLATE needs the source without sessions
    runs: dict[int, list[dict]] = {1: [], 2: []}
    for _ in range(repeats):
        for workers in runs:
            with database_copy(db) as url:
                runs[workers].append(night(url, broker, workers, chunk, full))
            print(f"  {workers} worker(s): {runs[workers][-1]}", flush=True)
    one, two = (statistics.median(r["seconds"] for r in runs[n]) for n in (1, 2))
    return {"one": one, "two": two, "partners": partners, "chunk": chunk, "runs": runs}


def server(db: dict):
    conn = psycopg2.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
    )
    conn.autocommit = True
    return conn


@contextmanager
def database_copy(db: dict):
    """A copy of the database for one run (dropped after it)."""
    name = f"{db['NAME']}_night"
    conn = server(db)
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{db["NAME"]}" STRATEGY FILE_COPY')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    try:
        yield f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    finally:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


def night(url: str, broker: str, workers: int, chunk: int, full: bool = False) -> dict:
    """One night on the copy at `url` with that many worker processes; its seconds, chunks and CPU seconds."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",  # not eager (the test settings are)
        "DEBUG": "false",
        "AXES_ENABLED": "false",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": broker,
        "DAILY_CHUNK_PARTNERS": str(chunk),
    }
    _purge(broker)
    logs = tempfile.TemporaryDirectory(prefix="bench-workers-")
    procs = []
    for n in range(workers):
        log = open(Path(logs.name) / f"w{n}.log", "w")  # noqa: SIM115 (the worker process writes it)
        procs.append(
            subprocess.Popen(
                [sys.executable, __file__, "worker", f"night{n}"], env=env, cwd=ROOT, stdout=log, stderr=log
            )
        )
    try:
        _wait(lambda: all("ready." in p.read_text() for p in Path(logs.name).glob("*.log")), 60, "the workers")
        usage = Usage()
        usage.sample(url, procs)
        started = usage.workers, usage.database  # starting up is not the night's work
        command = ["manage.py", "run_daily", "--as-of", AS_OF.isoformat(), "--wait", *(["--full"] if full else [])]
        dispatch = subprocess.Popen(
            [sys.executable, *command],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        while dispatch.poll() is None:
            usage.sample(url, procs)
            time.sleep(0.5)
        output = dispatch.stdout.read() if dispatch.stdout else ""
        if dispatch.returncode:
            raise RuntimeError(f"run_daily failed: {output}")
        run = _run_record(url)
    finally:
        for proc in procs:
            _stop(proc)
        logs.cleanup()
    return {
        "seconds": round(run["seconds"], 1),
        "chunks": run["chunks"],
        "worker CPU s": round(usage.workers - started[0], 1),
        "worker peak MB": usage.peak_mb,
        "database CPU s": round(usage.database - started[1], 1),
        "summary": output.strip().splitlines()[-1],
    }


def _purge(broker: str) -> None:
    import redis  # noqa: I001  (only the benchmark needs a Redis client of its own)

    redis.Redis.from_url(broker).delete("celery", "unacked", "unacked_index")


def _wait(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _cpu(pid: int) -> float:
    """CPU seconds of a process (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


@dataclass
class Usage:
    """CPU seconds of the database backends serving the copy and of the worker processes (their pools' included),
    the last value seen of each process; the peak memory of a pool process."""

    backends: dict[int, float] = field(default_factory=dict)
    pool: dict[int, float] = field(default_factory=dict)
    peak_mb: int = 0

    @property
    def workers(self) -> float:
        return sum(self.pool.values())

    @property
    def database(self) -> float:
        return sum(self.backends.values())

    def sample(self, url: str, workers: list[subprocess.Popen]) -> None:
        name = url.rsplit("/", 1)[1]
        with psycopg2.connect(url.replace(f"/{name}", "/postgres")) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name])
            _note(self.backends, [pid for (pid,) in cursor.fetchall()])
        conn.close()
        for worker in workers:
            with suppress(FileNotFoundError):
                children = [
                    int(pid) for pid in Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
                ]
                _note(self.pool, [worker.pid, *children])
                for pid in children:  # the pool process that runs the tasks
                    status = Path(f"/proc/{pid}/status").read_text()
                    self.peak_mb = max(self.peak_mb, int(status.split("VmHWM:")[1].split()[0]) // 1024)


def _note(seen: dict[int, float], pids: list[int]) -> None:
    for pid in pids:
        with suppress(FileNotFoundError, ProcessLookupError):
            seen[pid] = _cpu(pid)


def _run_record(url: str) -> dict:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT EXTRACT(EPOCH FROM finished_at - started_at), chunks_total, state FROM core_dailyrun "
            "WHERE as_of = %s ORDER BY id DESC LIMIT 1",
            [AS_OF],
        )
        seconds, chunks, state = cursor.fetchone()
    conn.close()
    if state != "done":
        raise RuntimeError(f"the run ended {state}")
    return {"seconds": float(seconds), "chunks": chunks}


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def worker(name: str) -> None:
    """A worker process for the benchmark: the app's own worker, with notice delivery left to the outbox."""
    sys.path.insert(0, str(ROOT))
    import django  # noqa: I001  (set up here, in the worker process, with its environment)

    django.setup()
    from config.celery import app
    from core import notices

    notices._enqueue = lambda ids: None
    app.worker_main(
        ["worker", "--pool", "prefork", "--concurrency", "1", "-n", f"{name}@%h", "--without-gossip"]
        + ["--without-mingle", "--without-heartbeat", "--loglevel", "INFO"]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="measure", choices=["measure", "worker"])
    parser.add_argument("name", nargs="?", default="night")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--chunk", type=int, help="partners a chunk (default: the DAILY_CHUNK_PARTNERS setting)")
    parser.add_argument("--full", action="store_true", help="the night after a policy change: every verdict")
    args = parser.parse_args()
    if args.command == "worker":
        worker(args.name)
        return
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django  # noqa: I001  (after the settings module is chosen)

    django.setup()
    from django.db import connection

    from partners.models import Partner

    partners = Partner.objects.count()
    print(f"{partners:,} partners in {connection.settings_dict['NAME']}; the night of {AS_OF}", flush=True)
    result = measure_workers(partners, repeats=args.repeats, chunk=args.chunk, full=args.full)
    print(
        f"chunks of {result['chunk']:,} partners: one worker {result['one']:.1f} s, two workers {result['two']:.1f} s "
        f"({result['one'] / result['two']:.2f}x)"
    )


if __name__ == "__main__":
    main()
