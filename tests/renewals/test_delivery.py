"""Notice delivery without a worker: the claim, the sweeper's claim timeout, the coalesced recompute."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from core import clock as core_clock
from core import notices
from core import tasks as core_tasks
from core.events import event_record
from core.models import Notice, PendingRecompute
from learning.services import learning_records_import
from partners.access import SYSTEM
from renewals import tasks as renewals_tasks
from tests.factories import AssociationFactory
from tests.learning.factories import KnowledgeSessionFactory

NOON = "2026-06-01 19:00:00+00:00"


def _notice(partner):
    event, _ = event_record(kind="partner.updated", summary="A test notice", dedupe_key="test:1", partner=partner)
    return notices.notices_queue_many(
        [(event, ["a@example.com"], "renewal_reminder", {"credential": "Security (DE)", "days": 7}, ["m@example.com"])]
    )[0]


def test_two_deliveries_of_one_notice_send_it_once(partner_a):
    notice = _notice(partner_a)
    assert notices.notice_deliver(notice_id=notice.pk) is True
    assert notices.notice_deliver(notice_id=notice.pk) is False
    assert len(mail.outbox) == 1 and mail.outbox[0].cc == ["m@example.com"]
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (Notice.SENT, 1)


def test_sweeper_returns_a_dead_workers_claim_after_the_claim_timeout(partner_a, settings):
    settings.NOTICE_CLAIM_TIMEOUT = 120
    notice = _notice(partner_a)
    with time_machine.travel(NOON, tick=False) as clock:
        Notice.objects.filter(pk=notice.pk).update(status=Notice.SENDING, claimed_at=core_clock.now())  # died
        clock.shift(timedelta(seconds=119))
        assert notices.notices_sweep() == []
        clock.shift(timedelta(seconds=2))
        assert notices.notices_sweep() == [notice.pk]
        core_tasks.sweep_notices()  # eager: queues and delivers
    notice.refresh_from_db()
    assert notice.status == Notice.SENT and len(mail.outbox) == 1


def test_cancelled_notices_are_not_sent(partner_a):
    notice = _notice(partner_a)
    from django.db.models import Q

    assert notices.notices_cancel(events_q=Q(dedupe_key="test:1")) == 1
    assert notices.notice_deliver(notice_id=notice.pk) is False
    assert notices.notices_sweep() == [] and mail.outbox == []


def test_ten_thousand_learning_records_in_one_transaction_queue_one_recompute(
    partner_a, monkeypatch, django_capture_on_commit_callbacks
):
    person = AssociationFactory(partner=partner_a, start=date(2015, 1, 1)).individual
    session = KnowledgeSessionFactory()
    queued = []
    monkeypatch.setattr(renewals_tasks.recompute_partner, "delay", lambda pid: queued.append(pid))
    with time_machine.travel(NOON, tick=False), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for batch in range(10):
            records = [
                {
                    "client_record_id": f"r-{batch}-{n}",
                    "testing_number": person.testing_number,
                    "session_code": session.code,
                    "occurred_on": "2026-05-01",
                    "how": "viewed",
                }
                for n in range(1000)
            ]
            assert learning_records_import(partner=partner_a, records=records, actor=SYSTEM).saved
    assert queued == [partner_a.pk]
    assert PendingRecompute.objects.filter(partner=partner_a).count() == 1


def test_a_slow_send_returned_to_pending_is_still_marked_sent_by_its_worker(partner_a, settings, monkeypatch):
    settings.NOTICE_CLAIM_TIMEOUT = 60
    notice = _notice(partner_a)
    with time_machine.travel(NOON, tick=False) as clock:
        from django.core.mail import EmailMultiAlternatives

        real_send = EmailMultiAlternatives.send

        def slow_send(message, *args, **kwargs):
            clock.shift(timedelta(seconds=90))  # longer than the claim timeout
            assert notices.notices_sweep() == [notice.pk]  # the sweeper takes it for a dead worker's
            return real_send(message, *args, **kwargs)

        monkeypatch.setattr(EmailMultiAlternatives, "send", slow_send)
        assert notices.notice_deliver(notice_id=notice.pk) is True
    notice.refresh_from_db()
    assert notice.status == Notice.SENT  # so the re-queued task finds nothing to send
    assert notices.notice_deliver(notice_id=notice.pk) is False and len(mail.outbox) == 1


def test_delivery_refuses_to_run_inside_a_callers_transaction(partner_a):
    """Claim and "sent" are each committed on their own (durable transactions): inside an outer transaction a
    crash after the send would roll "sent" back with it and widen the window for a duplicate."""
    notice = _notice(partner_a)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        notices.notice_deliver(notice_id=notice.pk)
    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.status == Notice.PENDING
