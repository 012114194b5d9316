"""The server the read-API load runs against (bench/bench_read_api.py measures it): gunicorn on 127.0.0.1 with
production settings and the Dockerfile's command and worker count."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gunicorn_options() -> list[str]:
    """The options of the Dockerfile's gunicorn command but its --bind, so the bench measures what is shipped."""
    line = next(x for x in (ROOT / "Dockerfile").read_text().splitlines() if x.startswith("CMD ["))
    cmd = json.loads(line[len("CMD ") :])
    options = cmd[cmd.index("config.wsgi:application") + 1 :]
    pairs = [i for i, option in enumerate(options) if option in ("--bind", "-b")]
    return [option for i, option in enumerate(options) if i not in pairs and i - 1 not in pairs]


def dockerfile_env() -> dict[str, str]:
    """The Dockerfile's `ENV NAME=value` lines (WEB_CONCURRENCY: gunicorn's number of workers)."""
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    return dict(x[len("ENV ") :].split("=", 1) for x in lines if x.startswith("ENV ") and "=" in x and " " not in x[4:])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except Exception:  # not up yet (refused, reset, 5xx while starting)
        return 0


@contextmanager
def gunicorn(database_url: str, redis_url: str):
    """Serve the portal on a free port of 127.0.0.1 until the block ends; yields the base URL."""
    port = _free_port()
    env = {
        **dockerfile_env(),
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "SECURE_SSL_REDIRECT": "false",
        "API_USER_RATE": "100000000/min",  # measure the endpoints, not the throttle
        "LOG_LEVEL": "WARNING",
    }
    # bench.wsgi: config.wsgi's application on the bench's day (data.AS_OF), not the wall clock's
    cmd = [sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    log = Path(tempfile.gettempdir()) / f"bench-gunicorn-{port}.log"
    with log.open("w") as out:
        server = subprocess.Popen([*cmd, *gunicorn_options()], cwd=ROOT, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while _get(base + "/healthz") != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start, see {log}")
            time.sleep(0.5)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
