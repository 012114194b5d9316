"""Delivery with a real Celery worker process and Redis: once per notice, nothing lost.

The worker runs in its own process against the test database (DATABASE_URL points it there), so these
tests need PostgreSQL and commit for real (transactional_db). The machine's Redis (CELERY_BROKER_URL)
carries the scan tests; the killed-worker and stopped-Redis tests start their own redis-server.
"""

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from config.celery import app
from core import clock
from core.events import event_record
from core.models import Notice
from core.notices import notice_queue
from renewals import tasks
from tests.factories import PartnerFactory, make_user
from tests.renewals.factories import ensure_shipped_data
from tests.specializations.factories import PartnerSpecializationFactory
from tests.worker import _reset_connections as reset_connections
from tests.worker import database_url, require_real_broker
from tests.worker import wait_for as shared_wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"),
        reason="needs Redis: set CELERY_BROKER_URL=redis://...",
    ),
]
REDIS_SERVER = "/usr/bin/redis-server"
ROOT = Path(__file__).resolve().parents[2]
ANN = date(2026, 8, 1)


def wait_for(check, timeout=60.0, what="the worker"):
    if not shared_wait_for(check, timeout=timeout):
        pytest.fail(f"Timed out waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    """Our own redis-server on a free port (never the machine's shared one)."""

    def __init__(self, tmp: Path):
        self.port, self.dir, self.proc = free_port(), tmp, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._up, 10, "redis-server")

    def _up(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


class Workers:
    """Start Celery worker processes (solo pool: one process, so SIGKILL really stops the send) on the test
    database; stop (or kill) each by its own pid. tests/worker.py starts one prefork worker; these tests
    need several, named, and killable mid-task."""

    def __init__(self, mail_dir: Path, broker: str):
        self.mail_dir, self.broker, self.procs = mail_dir, broker, []
        self.database_url = database_url()

    def start(self, name, *, mail_delay=0.0, claim_timeout=600):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker,
            "EMAIL_BACKEND": "tests.renewals.mail_backend.SlowFileBackend",
            "TEST_MAIL_DIR": str(self.mail_dir),
            "TEST_MAIL_DELAY": str(mail_delay),
            "NOTICE_CLAIM_TIMEOUT": str(claim_timeout),
            "AUTO_REVOKE": "false",
        }
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.mail_dir.parent / f"{name}.log", "w"),  # noqa: SIM115 (the worker process owns it)
        )
        self.procs.append(proc)
        return proc

    def kill(self, proc):
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    self.kill(proc)

    def mails(self) -> list[str]:
        return sorted(p.read_text() for p in self.mail_dir.glob("*.log"))


@pytest.fixture
def broker(monkeypatch):
    """Point this process's Celery app at a broker, really queueing (not eager); restore afterwards."""
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}

    def use(url):
        monkeypatch.setenv("CELERY_BROKER_URL", url)  # Celery reads the environment before its settings
        app.conf.broker_url, app.conf.task_always_eager = url, False
        reset_connections()

    yield use
    monkeypatch.undo()
    app.conf.update(saved)
    reset_connections()


@pytest.fixture
def workers(transactional_db, tmp_path):
    require_real_broker()
    ensure_shipped_data()  # an earlier transactional test's flush dropped the policy rows
    (tmp_path / "mail").mkdir()
    pool = Workers(tmp_path / "mail", settings.CELERY_BROKER_URL)
    yield pool
    pool.stop_all()


@pytest.fixture
def own_redis(tmp_path):
    if not Path(REDIS_SERVER).exists():
        pytest.skip(f"{REDIS_SERVER} is not installed")
    redis = Redis(tmp_path)
    yield redis
    redis.stop()


def _credentials_due():
    creds = []
    for n in range(4):
        partner = PartnerFactory()
        make_user("partner_admin", partner=partner, username=f"worker-admin-{n}")
        creds += [PartnerSpecializationFactory(partner=partner, anniversary=ANN + timedelta(days=d)) for d in (0, 1)]
    return creds


def test_scan_run_twice_and_twice_at_once_sends_each_notice_once(workers, broker):
    broker(settings.CELERY_BROKER_URL)
    app.control.purge()
    creds = _credentials_due()
    workers.start("scan-a")
    workers.start("scan-b")
    day = (ANN - timedelta(days=89)).isoformat()
    tasks.daily_scan.delay(day)
    tasks.daily_scan.delay(day)  # at the same time, on the other worker
    wait_for(
        lambda: (
            Notice.objects.filter(event__kind="renewal.opened").count() == len(creds)
            and not Notice.objects.exclude(status=Notice.SENT).exists()
        ),
        what="the recert notices",
    )
    tasks.daily_scan.delay(day)  # and once more, after
    tasks.daily_scan.delay((ANN - timedelta(days=88)).isoformat())  # and the next day
    wait_for(lambda: len(workers.mails()) >= Notice.objects.count() and _queue_empty(), what="the replays")
    time.sleep(1)
    notices = Notice.objects.all()
    assert notices.filter(status=Notice.SENT).count() == notices.count() >= len(creds)
    assert len(workers.mails()) == notices.count()  # one e-mail per notice, never two
    assert {c.title for c in creds} <= {
        n.subject.split(": ", 1)[1].rsplit(" by ", 1)[0] for n in notices.filter(event__kind="renewal.opened")
    }


def _queue_empty():
    with app.connection_for_read() as conn:
        return conn.default_channel.client.llen("celery") == 0


def _queue_notice(recipient="someone@example.com"):
    partner = PartnerFactory()
    event, _ = event_record(
        kind="partner.updated", summary="Worker test", dedupe_key=f"worker-test:{partner.pk}", partner=partner
    )
    return notice_queue(
        event=event,
        recipients=[recipient],
        template="renewal_reminder",
        context={"credential": "Security · Germany", "days": 7},
    )[0]


def test_worker_killed_in_the_middle_of_a_send_loses_no_notice(workers, broker, own_redis):
    own_redis.start()
    workers.broker = own_redis.url
    broker(own_redis.url)
    slow = workers.start("slow", mail_delay=30)
    notice = _queue_notice()
    wait_for(lambda: Notice.objects.get(pk=notice.pk).status == Notice.SENDING, what="the claim")
    workers.kill(slow)  # SIGKILL in the middle of the send
    assert workers.mails() == []
    workers.start("rescuer", claim_timeout=2)
    time.sleep(2.5)  # the claim is now older than NOTICE_CLAIM_TIMEOUT
    from core.tasks import sweep_notices

    sweep_notices.delay()
    wait_for(lambda: Notice.objects.get(pk=notice.pk).status == Notice.SENT, what="the re-sent notice")
    notice.refresh_from_db()
    assert notice.attempts == 2
    assert len(workers.mails()) == 1 and "someone@example.com" in workers.mails()[0]


def test_request_while_redis_is_stopped_succeeds_and_its_notice_goes_out_later(
    workers, broker, own_redis, api, verdicts
):
    own_redis.start()
    workers.broker = own_redis.url
    broker(own_redis.url)
    partner = PartnerFactory()
    admin = make_user("partner_admin", partner=partner, username="redis-admin")
    manager = make_user("account_manager", username="redis-manager")
    partner.account_managers.add(manager)
    held = PartnerSpecializationFactory(partner=partner, anniversary=clock.today() + timedelta(days=30))
    own_redis.stop()

    response = api(admin).post(
        "/api/v1/renewal-applications/", {"kind": "partnerspecialization", "credential": held.pk}
    )
    assert response.status_code == 201, response.json()
    notice = Notice.objects.get(event__kind="renewal.submitted")
    assert (notice.recipient, notice.status) == ("redis-manager@example.com", Notice.PENDING)

    own_redis.start()
    reset_connections()  # drop the connections that failed while Redis was down
    workers.start("after-outage")
    from core.tasks import sweep_notices

    sweep_notices.delay()  # what beat does every minute
    wait_for(lambda: Notice.objects.get(pk=notice.pk).status == Notice.SENT, what="the notice after the outage")
    assert len(workers.mails()) == 1  # its subject names the credential ("Premier · Germany"): RFC 2047-encoded
    subject = email.message_from_string(workers.mails()[0], policy=email.policy.default)["Subject"]
    assert subject.strip().startswith("Renewal submitted: ")
