"""The one daily job: one beat entry, one command, the jobs in their stated order, in chunks of partners."""

import json
import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, models, transaction

from compliance.models import CredentialVerdict, PartnerCertification, VerdictChange
from config import daily, tasks
from config.celery import app
from core.models import DailyRun, Event, Notice
from renewals.models import NonComplianceIncident
from specializations.models import PartnerSpecialization
from tests.compliance.factories import certify, support_complete
from tests.factories import PartnerFactory, TerritoryFactory, make_user
from tests.renewals.factories import ensure_shipped_data
from tests.specializations.factories import PartnerSpecializationFactory
from tests.worker import celery_worker, require_real_broker, wait_for

pytestmark = pytest.mark.django_db
DAY = date(2026, 5, 3)
# Where each partner's specialization stands on DAY (days to its anniversary): the window opens, a reminder, lapsed,
# nothing yet, ...
OFFSETS = [89, 20, -40, 200, 5, 60, -10]


def test_beat_runs_one_daily_job_and_the_sweepers():
    tasks_ = sorted(entry["task"] for entry in app.conf.beat_schedule.values())
    assert tasks_ == ["compliance.sweep_notices", "compliance.sweep_recomputes", "portal.daily_run", "webhooks.sweep"]
    assert all(name in app.tasks for name in [*tasks_, "portal.daily_chunk", "portal.daily_finish"])


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
    assert list(DailyRun.objects.values_list("state", flat=True)) == ["done", "done"]  # a replay is a run too


def test_run_daily_refuses_a_malformed_date():
    with pytest.raises(CommandError, match="--as-of must be a date"):
        call_command("run_daily", as_of="2026-13-01")


def test_run_daily_runs_for_a_day_before_the_ce_program_began():
    out = StringIO()
    call_command("run_daily", as_of="2015-06-01", stdout=out)
    assert "ce_reminders=0" in out.getvalue()


# The chunked run: partners in id ranges, one task per range, a final step.


def build_world():
    """Seven partners, each with an admin, a certification (some with their support records) and a specialization
    at a different point of its renewal cycle on DAY."""
    territory = TerritoryFactory(code="DE", name="Germany")
    for n, offset in enumerate(OFFSETS):
        partner = PartnerFactory()
        partner.territories.add(territory)
        make_user("partner_admin", partner=partner, username=f"daily-admin-{n}")
        certify(partner, territory, on=date(2024, 1, 1), anniversary=DAY + timedelta(days=offset + 3))
        if n % 2:
            support_complete(partner, territory)
        anniversary = DAY + timedelta(days=offset)
        recert = {"status": "recert", "status_changed_on": anniversary - timedelta(days=90)} if offset < 30 else {}
        PartnerSpecializationFactory(
            partner=partner, territory=territory, certified_on=date(2024, 8, 1), anniversary=anniversary, **recert
        )


@pytest.fixture
def world():
    build_world()


def outcome() -> dict:
    """What a night leaves in the database, without the ids and times that differ from one run to the next, and
    without a notice's delivery (after commit: never in a rolled-back run)."""

    def kept(model, field):
        if field.primary_key or isinstance(field, models.DateTimeField):
            return False
        if model is Notice and field.name in ("status", "attempts", "last_error"):
            return False
        return not (field.is_relation and field.related_model in (Event, Notice))

    incidents = {
        str(pk): f"{ct}:{obj}"
        for pk, ct, obj in NonComplianceIncident.objects.values_list("pk", "content_type", "object_id")
    }  # an incident is named by its id in its events and notices: name it by its credential

    def rows(model, fields):
        found = (json.dumps(r, sort_keys=True, default=str) for r in model._default_manager.values(*fields))
        return sorted(INCIDENT_ID.sub(lambda m: m[1] + incidents.get(m[2], m[2]), row) for row in found)

    tables = {}
    for model in (CredentialVerdict, VerdictChange, Event, Notice, NonComplianceIncident):
        tables[model.__name__] = rows(model, [f.attname for f in model._meta.concrete_fields if kept(model, f)])
    for model in (PartnerCertification, PartnerSpecialization):
        tables[model.__name__] = rows(model, ["id", "status", "status_changed_on", "anniversary"])
    return tables


INCIDENT_ID = re.compile(r'(incident-[a-z]+:|"incident": |/incidents/)(\d+)')


def single_process(as_of=DAY):
    """The day in one process as before the chunks (config.daily.daily_run), rolled back: its summary and what it
    stored."""
    with transaction.atomic():
        summary = daily.daily_run(as_of=as_of)
        stored = outcome()
        transaction.set_rollback(True)
    return summary, stored


def test_the_chunked_run_stores_what_the_single_process_run_stores(world, settings, django_capture_on_commit_callbacks):
    settings.DAILY_CHUNK_PARTNERS = 2
    summary, stored = single_process()
    assert summary["verdicts"] == 14 and summary["recert"] and summary["lapsed"] and summary["reminders"]
    with django_capture_on_commit_callbacks(execute=True):
        run = tasks.daily_start(as_of=DAY)
    assert (run.state, run.chunks_total, run.chunks_done) == ("done", 4, 4)
    assert run.totals == summary
    assert outcome() == stored
    assert Notice.objects.exists()


@pytest.fixture
def retrying(monkeypatch):
    """Eager tasks retry as workers do (propagating the first error, as the test settings ask, would stop that)."""
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def test_a_chunk_that_fails_is_retried_alone_and_the_run_completes(world, settings, monkeypatch, retrying):
    settings.DAILY_CHUNK_PARTNERS = 3
    scan, calls = daily.daily_scan, []

    def flaky(*, as_of, partner_range):
        calls.append(partner_range)
        if calls.count(partner_range) == 1 and len(calls) == 2:
            raise OperationalError("the database went away")
        return scan(as_of=as_of, partner_range=partner_range)

    monkeypatch.setattr(daily, "daily_scan", flaky)
    run = tasks.daily_start(as_of=DAY)
    first, second, third = daily.partner_ranges(3)
    assert calls == [first, second, second, third]  # the second chunk twice, the others once
    assert (run.state, run.chunks_done, run.error) == ("done", 3, "")
    assert run.totals["verdicts"] == 14 and run.totals["ce_reminders"] == 0


def test_a_chunk_out_of_retries_fails_the_run_and_the_next_start_runs_the_day(world, settings, monkeypatch, retrying):
    settings.DAILY_CHUNK_PARTNERS = 4
    scan = daily.daily_scan

    def broken(*, as_of, partner_range):
        if partner_range[0] != daily.partner_ranges(4)[0][0]:
            raise OperationalError("the database went away")
        return scan(as_of=as_of, partner_range=partner_range)

    monkeypatch.setattr(daily, "daily_scan", broken)
    failed = tasks.daily_start(as_of=DAY)
    assert (failed.state, failed.chunks_done, failed.chunks_total) == ("failed", 1, 2)
    assert "OperationalError: the database went away" in failed.error
    assert failed.summary == []  # no final step for a run that failed
    monkeypatch.setattr(daily, "daily_scan", scan)
    out = StringIO()
    call_command("run_daily", as_of=DAY.isoformat(), stdout=out)
    assert "ce_reminders=0" in out.getvalue()
    assert DailyRun.objects.filter(state="done").count() == 1
    assert CredentialVerdict.objects.count() == 14


def test_a_second_start_while_the_run_is_running_starts_nothing_and_resume_sends_what_is_left(world, settings):
    settings.DAILY_CHUNK_PARTNERS = 2
    first, *rest = [f"{lo}-{hi}" for lo, hi in daily.partner_ranges(2)]
    running = DailyRun.objects.create(
        as_of=DAY,
        started_at="2026-05-03T09:30:00Z",
        chunks_total=4,
        chunks_done=1,
        chunks={first: [["verdicts", 4], ["as_of", "2026-05-03"]], **dict.fromkeys(rest)},
    )  # its other chunks' tasks are still queued, or were lost
    out = StringIO()
    call_command("run_daily", as_of=DAY.isoformat(), stdout=out)
    assert out.getvalue().startswith("Daily run 2026-05-03 (running, 1/4 chunks)")
    assert DailyRun.objects.get() == running
    assert not CredentialVerdict.objects.exists() and not Event.objects.exists()

    call_command("run_daily", as_of=DAY.isoformat(), resume=True, stdout=out)
    assert DailyRun.objects.get().state == "done"
    assert CredentialVerdict.objects.count() == 10  # the first chunk's 4 were counted done: not run again
    assert "verdicts=14" in out.getvalue().splitlines()[-1]


def test_a_full_run_evaluates_every_verdict_in_chunks(world, settings):
    settings.DAILY_CHUNK_PARTNERS = 3
    tasks.daily_start(as_of=DAY)
    out = StringIO()
    call_command("run_daily", as_of=DAY.isoformat(), full=True, stdout=out)
    assert out.getvalue().startswith("verdicts=14,")  # the night after a policy change: every credential
    assert DailyRun.objects.latest("id").recompute == "full"


def test_a_chunk_delivered_again_runs_nothing_again(world, settings, monkeypatch):
    settings.DAILY_CHUNK_PARTNERS = 4
    run = tasks.daily_start(as_of=DAY)
    lo, hi = daily.partner_ranges(4)[0]
    monkeypatch.setattr(daily, "daily_chunk", pytest.fail)
    DailyRun.objects.filter(pk=run.pk).update(state="running")  # as if the final step were still to come
    tasks.daily_chunk.delay(run.pk, lo, hi)
    assert DailyRun.objects.get(pk=run.pk).state == "done"  # the final step was sent again and recorded the run


def test_the_runs_are_shown_read_only_in_the_admin(client, world):
    run = tasks.daily_start(as_of=DAY)
    client.force_login(make_user("staff", username="daily-staff", is_superuser=True))
    assert "2026-05-03" in client.get("/admin/core/dailyrun/").content.decode()
    assert client.get(f"/admin/core/dailyrun/{run.pk}/change/").status_code == 200
    assert client.get("/admin/core/dailyrun/add/").status_code == 403


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_real_workers_store_what_one_process_stores(settings):
    """The chunks go through Redis to two worker processes; verdicts, events, notices, statuses and incidents end
    as the single-process run leaves them on the same data."""
    require_real_broker()
    ensure_shipped_data()  # an earlier transactional test's flush dropped the policy rows
    build_world()
    settings.DAILY_CHUNK_PARTNERS = 1
    summary, stored = single_process()
    assert not CredentialVerdict.objects.exists()  # rolled back: the workers start from the same data
    with celery_worker(name="chunks-a"), celery_worker(name="chunks-b"):
        app.control.purge()
        run = tasks.daily_start(as_of=DAY)
        assert run.chunks_total == len(OFFSETS)
        assert wait_for(lambda: DailyRun.objects.get(pk=run.pk).state != "running", timeout=120)
    run.refresh_from_db()
    assert (run.state, run.chunks_done) == ("done", len(OFFSETS))
    assert run.totals == summary
    assert outcome() == stored
