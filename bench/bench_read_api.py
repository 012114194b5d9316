"""The read API under load: wrk against gunicorn on 127.0.0.1 (not part of the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_h4 .venv/bin/python bench/bench_read_api.py \
        [--connections 50] [--duration 15] [--repeat 2] [--worker-class gthread --workers 3 --threads 4]

Needs `wrk` (apt-get install -y wrk) and data (bench/bench_compliance.py --partners 10000 on the same database).
Starts gunicorn with production settings on a free port, makes a knox token for a staff user, then for each
endpoint runs wrk with N connections for a bounded time, each run paired with one of the ceiling endpoint (the
cheapest authenticated call) in the same run, the server drained between runs. Prints req/s and latency
percentiles (p95 from wrk's histogram, through a Lua `done` hook) and whether the target holds: at least 60 % of
the ceiling's req/s and a p95 at most twice the ceiling's.

`measure_read_api(base_url, token, connections, duration)` does the measuring against a server already running,
for `python -m bench all`.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CEILING = ("ceiling: territories", "/api/v1/territories/?kind=country")
TARGET_RPS_SHARE, TARGET_P95_FACTOR = 0.60, 2.0

# wrk calls `request` for each request (a path drawn from PATHS when set) and `done` once at the end.
LUA = """
PATHS = {%(paths)s}
wrk.headers["Authorization"] = "Token %(token)s"
request = function()
  if #PATHS == 0 then return wrk.format(nil) end
  return wrk.format(nil, PATHS[math.random(#PATHS)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%f, "p50": %%d, "p95": %%d, "p99": %%d, "max": %%d, '
    .. '"non2xx": %%d, "timeouts": %%d, "socket_errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status, e.timeout, e.connect + e.read + e.write))
end
"""


def _get(base_url: str, path: str, token: str | None = None, timeout: float = 30) -> tuple[int, bytes]:
    req = urllib.request.Request(base_url + path, headers={"Authorization": f"Token {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, res.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def drain(base_url: str, *, quiet_ms: float = 50, limit_s: float = 60) -> None:
    """Wait until the server answers /healthz quickly three times in a row (the queue of the last run is gone)."""
    time.sleep(1)
    deadline, calm = time.monotonic() + limit_s, 0
    while calm < 3 and time.monotonic() < deadline:
        start = time.perf_counter()
        _get(base_url, "/healthz")
        calm = calm + 1 if (time.perf_counter() - start) * 1000 < quiet_ms else 0
        time.sleep(0.2)


def wrk(base_url: str, token: str, paths: list[str], connections: int, duration: int) -> dict:
    """One wrk run over these paths (drawn at random per request); its figures, latencies in ms."""
    lua_paths = ", ".join(json.dumps(p) for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % {"paths": lua_paths, "token": token})
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{min(2, connections)}",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "30s",
                "-s",
                script.name,
                base_url + paths[0],
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=duration + 60,
        ).stdout
    finally:
        os.unlink(script.name)
    found = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
    return {
        "rps": found["requests"] / found["seconds"],
        "p50_ms": found["p50"] / 1000,
        "p95_ms": found["p95"] / 1000,
        "p99_ms": found["p99"] / 1000,
        "max_ms": found["max"] / 1000,
        "requests": found["requests"],
        "errors": found["non2xx"] + found["timeouts"] + found["socket_errors"],
    }


def endpoints(base_url: str, token: str) -> list[tuple[str, list[str]]]:
    """The measured endpoints, with the paths each run draws from (partners and pages picked from the data)."""
    status, body = _get(base_url, "/api/v1/portfolio/", token)
    if status != 200:
        raise SystemExit(f"GET /api/v1/portfolio/ answered {status}: {body[:200]!r}")
    pages = max(1, -(-json.loads(body)["count"] // 50))
    rnd = random.Random(12)
    partner_ids: set[int] = set()
    partner_names: set[str] = set()
    for page in rnd.sample(range(1, pages + 1), min(pages, 8)):
        rows = json.loads(_get(base_url, f"/api/v1/portfolio/?page={page}", token)[1])["results"]
        partner_ids.update(r["partner"] for r in rows)
        partner_names.update(r["partner_name"] for r in rows)
    partners = sorted(partner_ids)[:200]
    # A cursor at the first row of a partner met on those pages (compliance.pagination's encoding; an empty country
    # and credential sort before every row of that partner): keyset pages from anywhere in the portfolio.
    deep = [
        base64.urlsafe_b64encode(json.dumps([0, name, "", "", 0]).encode()).decode() for name in sorted(partner_names)
    ]
    return [
        ("verdicts ?partner= (today)", [f"/api/v1/verdicts/?partner={p}" for p in partners]),
        ("portfolio page 1", ["/api/v1/portfolio/"]),
        ("portfolio random page", [f"/api/v1/portfolio/?page={rnd.randint(1, pages)}" for _ in range(200)]),
        ("portfolio random cursor", [f"/api/v1/portfolio/?cursor={urllib.parse.quote(c)}" for c in deep]),
    ]


def measure_read_api(base_url: str, token: str, connections: int = 50, duration: int = 15, repeat: int = 1) -> list:
    """Each endpoint against the ceiling, interleaved (ceiling, endpoint, ...), drained between runs.

    Returns one dict per endpoint and one for the ceiling: name, rps, p50_ms, p95_ms, p99_ms, errors, and for
    the endpoints ceiling_rps, ceiling_p95_ms (the median of the ceiling runs paired with it) and target_met.
    """
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    measured = endpoints(base_url, token)
    for _, paths in [*measured, (CEILING[0], [CEILING[1]])]:  # warm every worker's caches and connections
        wrk(base_url, token, paths, min(connections, 8), 2)
    drain(base_url)
    ceiling_runs: list[dict] = []
    rows = []
    for name, paths in measured:
        ours, paired = [], []
        for _ in range(repeat):
            paired.append(wrk(base_url, token, [CEILING[1]], connections, duration))
            drain(base_url)
            ours.append(wrk(base_url, token, paths, connections, duration))
            drain(base_url)
        ceiling_runs += paired
        row = _median_row(name, ours)
        row["ceiling_rps"] = statistics.median(r["rps"] for r in paired)
        row["ceiling_p95_ms"] = statistics.median(r["p95_ms"] for r in paired)
        row["target_met"] = (
            row["rps"] >= TARGET_RPS_SHARE * row["ceiling_rps"]
            and row["p95_ms"] <= TARGET_P95_FACTOR * row["ceiling_p95_ms"]
            and row["errors"] == 0
        )
        rows.append(row)
    return [*rows, _median_row(CEILING[0], ceiling_runs)]


def _median_row(name: str, runs: list[dict]) -> dict:
    keys = ["rps", "p50_ms", "p95_ms", "p99_ms", "max_ms"]
    return {
        "name": name,
        **{k: statistics.median(r[k] for r in runs) for k in keys},
        "errors": sum(r["errors"] for r in runs),
    }


def print_rows(rows: list[dict]) -> None:
    print(f"{'endpoint':<30} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}  vs ceiling")
    for r in rows:
        vs = ""
        if "ceiling_rps" in r:
            vs = (
                f"{r['rps'] / r['ceiling_rps']:.0%} of {r['ceiling_rps']:.0f} req/s, p95 "
                f"{r['p95_ms'] / max(r['ceiling_p95_ms'], 0.001):.1f}x of {r['ceiling_p95_ms']:.0f} ms: "
                f"{'pass' if r['target_met'] else 'FAIL'}"
            )
        print(
            f"{r['name']:<30} {r['rps']:7.1f} {r['p50_ms']:7.0f} {r['p95_ms']:7.0f} {r['p99_ms']:7.0f} "
            f"{r['errors']:6d}  {vs}"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def staff_token(username: str = "bench-api") -> str:
    """A knox token for a staff user of the database in DATABASE_URL (made if missing)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django  # here, not at the top: measure_read_api needs no Django

    django.setup()
    from django.contrib.auth.models import User  # after django.setup()
    from knox.models import AuthToken  # after django.setup()

    from tests.factories import make_user  # after django.setup()

    user = User.objects.filter(username=username).first() or make_user("staff", username=username)
    return AuthToken.objects.create(user)[1]


def start_gunicorn(*, worker_class: str, workers: int, threads: int, root: Path = ROOT) -> tuple[subprocess.Popen, str]:
    """gunicorn with production settings on a free local port (DATABASE_URL from the environment), serving the
    code at `root` (another checkout, for a before-and-after)."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "API_USER_RATE": "100000000/min",  # the throttle would answer 429s: measure the endpoints, not it
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    cmd = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    cmd += ["--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads)]
    log = open(tempfile.gettempdir() + f"/bench_read_api_{port}.log", "w")  # noqa: SIM115 (kept by the server)
    server = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log.name}")
        try:
            if _get(base_url, "/healthz", timeout=2)[0] == 200:
                return server, base_url
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.terminate()
            raise SystemExit(f"gunicorn did not answer within 60 s; see {log.name}")
        time.sleep(0.3)


def compare_servers(configs: list[str], token: str, connections: int, duration: int, rounds: int) -> None:
    """gunicorn set-ups side by side ("sync:5:1", "gthread:3:4": class, workers, threads), all started at once and
    measured in turn, round after round, so that a busy moment of the machine falls on every set-up alike."""
    servers = {c: start_gunicorn(**_config(c)) for c in configs}
    try:
        some_url = next(iter(servers.values()))[1]
        measured = [(CEILING[0], [CEILING[1]]), *endpoints(some_url, token)]
        runs: dict[tuple[str, str], list[dict]] = {}
        for _, base_url in servers.values():
            for _, paths in measured:
                wrk(base_url, token, paths, min(connections, 8), 2)
        for _ in range(rounds):
            for config, (_, base_url) in servers.items():
                for name, paths in measured:
                    drain(base_url)
                    runs.setdefault((config, name), []).append(wrk(base_url, token, paths, connections, duration))
        print(f"{'set-up':<16}" + "".join(f"{name[:26]:>28}" for name, _ in measured))
        for config in configs:
            cells = [_median_row(name, runs[(config, name)]) for name, _ in measured]
            print(f"{config:<16}" + "".join(f"{c['rps']:>11.1f} req/s {c['p95_ms']:>6.0f} ms p95" for c in cells))
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait(timeout=30)


def _config(text: str) -> dict:
    """ "sync:3:1" (class:workers:threads), optionally "@/path/to/another/checkout"."""
    setup, _, root = text.partition("@")
    worker_class, workers, threads = setup.split(":")
    return {"worker_class": worker_class, "workers": int(workers), "threads": int(threads), "root": Path(root or ROOT)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--repeat", type=int, default=1, help="runs per endpoint (each with its ceiling run)")
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--compare",
        help="set-ups measured side by side instead, e.g. sync:3:1,sync:5:1,gthread:3:4 (class:workers:threads), "
        "sync:3:1@/path/to/main for the code of another checkout",
    )
    parser.add_argument("--rounds", type=int, default=2, help="with --compare: rounds over every set-up")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL (PostgreSQL with bench data)")
    token = staff_token()
    if args.compare:
        compare_servers(args.compare.split(","), token, args.connections, args.duration, args.rounds)
        return
    server, base_url = start_gunicorn(worker_class=args.worker_class, workers=args.workers, threads=args.threads)
    try:
        print(
            f"gunicorn {args.worker_class} workers={args.workers} threads={args.threads}; "
            f"wrk {args.connections} connections, {args.duration} s a run, {args.repeat} run(s)"
        )
        print_rows(measure_read_api(base_url, token, args.connections, args.duration, args.repeat))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
