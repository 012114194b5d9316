"""The one daily job: one beat entry, one command, the jobs in their stated order."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from config import daily
from config.celery import app

pytestmark = pytest.mark.django_db


def test_beat_runs_one_daily_job_and_the_sweepers():
    tasks = sorted(entry["task"] for entry in app.conf.beat_schedule.values())
    assert tasks == ["compliance.sweep_notices", "compliance.sweep_recomputes", "portal.daily_run", "webhooks.sweep"]
    assert all(name in app.tasks for name in tasks)


def test_the_daily_run_calls_each_job_once_in_order(monkeypatch):
    calls = []

    def step(name, result):
        def run(**kwargs):
            calls.append((name, kwargs.get("as_of")))
            return result

        return run

    monkeypatch.setattr(daily, "verdicts_refresh", step("recompute", {"verdicts": 3}))
    monkeypatch.setattr(daily, "daily_scan", step("scan", {"recert": 1}))
    monkeypatch.setattr(daily, "ce_reminders_send", step("ce", 2))
    monkeypatch.setattr(daily, "loyalty_jobs_run", step("loyalty", {"placed": 0}))
    day = date(2026, 8, 1)
    summary = daily.daily_run(as_of=day)
    assert calls == [("recompute", day), ("scan", day), ("ce", day), ("loyalty", day)]
    assert summary == {"verdicts": 3, "recert": 1, "ce_reminders": 2, "placed": 0}


def test_run_daily_runs_every_job_for_a_date_and_replays_without_change():
    out = StringIO()
    call_command("run_daily", as_of="2026-10-01", stdout=out)
    call_command("run_daily", as_of="2026-10-01", stdout=out)
    first, second = out.getvalue().splitlines()
    for key in ("verdicts=", "ce_reminders=", "placed=", "awarded="):
        assert key in first
    assert "ce_reminders=0" in second and "awarded=0" in second


def test_run_daily_refuses_a_malformed_date():
    with pytest.raises(CommandError, match="--as-of must be a date"):
        call_command("run_daily", as_of="2026-13-01")


def test_run_daily_runs_for_a_day_before_the_ce_program_began():
    out = StringIO()
    call_command("run_daily", as_of="2015-06-01", stdout=out)
    assert "ce_reminders=0" in out.getvalue()
