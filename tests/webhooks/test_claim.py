"""Two workers claiming the same delivery at the same moment: exactly one sends it (PostgreSQL, real connections)."""

import threading

import pytest
from django.db import connection, connections

from core.events import event_record
from webhooks import delivery
from webhooks.models import Attempt, Delivery

from .factories import Receiver, endpoint_for


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_send_a_delivery_once(partner_a):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    with Receiver() as hook:
        endpoint_for(partner_a, url=hook.url, kinds=["partner.updated"])
        for _ in range(5):
            event_record(kind="partner.updated", summary="changed", partner=partner_a)
        delivery.fanout()
        ids = list(Delivery.objects.values_list("pk", flat=True))
        start = threading.Barrier(6)

        def worker():
            try:
                start.wait()
                for pk in ids:
                    delivery.delivery_attempt(delivery_id=pk)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert len(hook.requests) == 5 and len(set(hook.ids)) == 5
    assert Attempt.objects.count() == 5 and set(Delivery.objects.values_list("attempts", flat=True)) == {1}
