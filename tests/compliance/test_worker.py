"""A real Celery worker process against Redis (as in CI) runs a task end to end."""

import pytest
from django.core import mail  # noqa: F401

from core.models import Event, Notice
from core.tasks import deliver_notice
from tests.worker import celery_worker, require_real_broker, wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_delivers_a_notice_end_to_end():
    require_real_broker()
    event = Event.objects.create(
        kind="test", summary="worker test", dedupe_key="worker-test", occurred_at="2026-01-01T00:00:00Z"
    )
    notice = Notice.objects.create(event=event, recipient="someone@example.com", subject="Hi", body_text="Hello")
    with celery_worker():
        deliver_notice.delay(notice.pk)
        assert wait_for(lambda: Notice.objects.get(pk=notice.pk).status == Notice.SENT, timeout=60), (
            "the worker did not deliver the notice"
        )
    notice.refresh_from_db()
    assert notice.attempts == 1 and notice.sent_at is not None


@pytest.mark.django_db
def test_a_recompute_asked_for_while_the_broker_was_down_is_swept_later(partner_a):
    """The recompute request row outlives a lost task; the sweeper queues it again and it runs."""
    import time_machine
    from django.db import transaction

    from core.models import PendingRecompute
    from core.recompute import recompute_queue
    from core.tasks import sweep_recomputes

    with time_machine.travel("2026-03-01 10:00:00+00:00", tick=False):
        with transaction.atomic():
            recompute_queue(partner_id=partner_a.pk)  # on_commit never fires inside the test transaction
        assert sweep_recomputes() == 0  # too fresh: its own task may still be on the way
    with time_machine.travel("2026-03-01 10:03:00+00:00", tick=False):
        assert sweep_recomputes() == 1  # eager: the recompute runs and claims the row
    assert not PendingRecompute.objects.exists()
