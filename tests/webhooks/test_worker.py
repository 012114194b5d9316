"""A real Celery worker process killed in the middle of a delivery: the claim expires, the delivery goes again with
the same webhook-id (at least once), and it is delivered."""

import os
import signal
from pathlib import Path

import pytest

from core.events import event_record
from tests.worker import celery_worker, require_real_broker, wait_for
from webhooks import tasks
from webhooks.models import Attempt, Delivery

from .factories import Receiver, endpoint_for


def _pool_children(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_leaves_a_claim_that_expires_and_the_delivery_goes_again(partner_a, settings):
    require_real_broker()
    settings.WEBHOOKS_CLAIM_TIMEOUT = 3
    env = {"WEBHOOKS_CLAIM_TIMEOUT": "3", "WEBHOOKS_ALLOW_LOOPBACK": "true"}
    with Receiver(hang_first=True) as hook, celery_worker(extra_env=env) as worker:
        endpoint, secret = endpoint_for(partner_a, url=hook.url, kinds=["partner.updated"])
        hook.secrets = [secret]
        event_record(kind="partner.updated", summary="changed", partner=partner_a)
        tasks.sweep()  # fan-out here; the task goes through Redis to the worker
        assert wait_for(lambda: len(hook.requests) == 1, timeout=60), "the worker never called the receiver"
        row = Delivery.objects.get(endpoint=endpoint)
        assert row.status == Delivery.SENDING
        for child in _pool_children(worker.pid):  # the pool process in the middle of the request
            os.kill(child, signal.SIGKILL)
        hook.release.set()
        tasks.sweep()  # the claim is fresh: nobody sends it yet
        assert wait_for(lambda: [tasks.sweep(), len(hook.requests) >= 2][1], timeout=60, interval=1), (
            Delivery.objects.filter(pk=row.pk).values()[0]
        )
        assert wait_for(lambda: Delivery.objects.get(pk=row.pk).status == Delivery.DELIVERED, timeout=30)
    row.refresh_from_db()
    assert hook.ids == [row.message_id, row.message_id] and hook.verified == [[secret], [secret]]
    assert row.attempts == 2
    assert [a.status_code for a in Attempt.objects.filter(delivery=row)] == [200]  # the killed one recorded nothing
