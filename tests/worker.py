"""Start a real Celery worker process against the configured broker and the test database."""

import contextlib
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from kombu import pools

from config.celery import app


def require_real_broker():
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL pointing at Redis (as in CI)")
    if connection.vendor == "sqlite":
        pytest.skip("the worker process needs a database server it can share with the test (PostgreSQL)")


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextlib.contextmanager
def celery_worker(
    broker_url: str | None = None, extra_env: dict | None = None, concurrency: int = 1, name: str = "celery"
):
    """A worker subprocess on the test database; sending from the test goes through the real broker. Give each of
    several workers its own `name`."""
    broker_url = broker_url or settings.CELERY_BROKER_URL
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        **(extra_env or {}),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "WARNING",
            "--pool",
            "prefork",
            "--concurrency",
            str(concurrency),
            "-n",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    eager, url = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = broker_url
    _reset_connections()
    try:
        yield proc
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, url
        _reset_connections()
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _reset_connections():
    """Drop pooled broker connections so the next send uses the current broker_url.

    kombu caches producer pools globally, keyed by connection: closing only the app's pool would leave a
    closed pool there ("Acquire on closed pool" after any earlier eager task), so reset kombu's pools too.
    """
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
