"""Production settings refuse to start without their essentials and pass `check --deploy` cleanly."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PROD = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7#kq2!vZ9pLw4rT8yB1nM6cF3hJ0dS5gA-eU_iO+pQ=zXcV-r8Lm2Kq",
    "ALLOWED_HOSTS": "portal.example.com",
    "DATABASE_URL": "sqlite:////tmp/portal-deploy-check.sqlite3",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PROD and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_prints_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PROD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PROD.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr and "ImproperlyConfigured" in result.stderr


def test_program_clock_uses_program_time_zone(settings):
    """23:30 UTC on 31 Jan is already 1 Feb in Sydney and still 31 Jan in Los Angeles."""
    import time_machine

    from core import clock

    with time_machine.travel("2026-01-31 23:30:00+00:00", tick=False):
        settings.PROGRAM_TIME_ZONE = "Australia/Sydney"
        assert str(clock.today()) == "2026-02-01"
        settings.PROGRAM_TIME_ZONE = "America/Los_Angeles"
        assert str(clock.today()) == "2026-01-31"


def test_production_database_connections_are_kept_and_health_checked():
    """A connection PostgreSQL dropped (restart, failover) is replaced before the request uses it."""
    script = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = manage("shell", "-c", script, env=PROD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["60", "True"]
