"""Deliveries to a real receiver on 127.0.0.1, verified with the `standardwebhooks` package unchanged."""

import json
from datetime import timedelta

import pytest
from django.core import mail

from core import clock
from core.events import event_record
from partners import access
from webhooks import delivery, rules, services, tasks
from webhooks.models import Attempt, Delivery, Endpoint

from .factories import Receiver, endpoint_for

pytestmark = pytest.mark.django_db


def record(partner, kind="partner.updated", summary="Details changed"):
    return event_record(kind=kind, summary=summary, partner=partner, payload={"field": "legal_name"})[0]


def bodies(receiver):
    return [json.loads(body) for _, body, _ in receiver.requests]


def test_signed_delivery_retried_after_two_500s_keeps_its_webhook_id(partner_a, partner_b, time_machine):
    time_machine.move_to(clock.now(), tick=False)
    with Receiver(statuses=[500, 500, 200], body=b"busy" * 600) as receiver:
        endpoint, secret = endpoint_for(partner_a, url=receiver.url)
        other = endpoint_for(partner_b)[1]
        receiver.secrets = [secret, other]
        event = record(partner_a)
        assert tasks.sweep() == 1
        row = Delivery.objects.get(endpoint=endpoint, event=event)
        assert row.status == Delivery.PENDING and row.attempts == 1
        wait = row.next_attempt_at - clock.now()
        assert timedelta(seconds=4) <= wait <= timedelta(seconds=6)  # 5 s with jitter
        assert tasks.sweep() == 0  # not due yet
        time_machine.shift(wait + timedelta(seconds=1))
        tasks.sweep()
        row.refresh_from_db()
        assert row.status == Delivery.PENDING and row.attempts == 2
        time_machine.shift(timedelta(minutes=7))
        tasks.sweep()
    row.refresh_from_db()
    assert row.status == Delivery.DELIVERED and row.attempts == 3
    assert len(receiver.requests) == 3 and len(set(receiver.ids)) == 1 and receiver.ids[0] == row.message_id
    assert receiver.verified == [[secret]] * 3  # standardwebhooks verifies each with its secret, not another's
    body = bodies(receiver)[0]
    assert body["type"] == "partner.updated" and body["data"]["id"] == event.pk
    assert body["data"]["payload"] == {"field": "legal_name"} and body["data"]["partner"] == partner_a.pk
    attempts = list(Attempt.objects.filter(delivery=row).order_by("attempted_at"))
    assert [a.status_code for a in attempts] == [500, 500, 200]
    assert len(attempts[0].response) == rules.RESPONSE_KEPT_BYTES  # the answer kept to 1 KB


def test_same_event_goes_once_to_each_endpoint_and_never_to_a_disabled_one(partner_a):
    with Receiver() as one, Receiver() as two, Receiver() as off:
        endpoint_for(partner_a, url=one.url)
        endpoint_for(partner_a, url=two.url)
        disabled, _ = endpoint_for(partner_a, url=off.url)
        services.endpoint_update(endpoint=disabled, enabled=False, actor=access.SYSTEM)
        event = record(partner_a)
        tasks.sweep()
        tasks.sweep()
        delivery.fanout()  # running again writes nothing more
        tasks.sweep()
    mine = lambda r: [json.loads(b)["data"]["id"] for _, b, _ in r.requests]  # noqa: E731
    assert mine(one).count(event.pk) == 1 and mine(two).count(event.pk) == 1
    assert off.requests == []
    assert Delivery.objects.filter(event=event).count() == 2


def test_an_endpoint_receives_only_its_partners_events_and_the_kinds_it_wants(partner_a, partner_b, admin_a):
    with Receiver() as a_hook, Receiver() as b_hook, Receiver() as program:
        endpoint_for(partner_a, url=a_hook.url, actor=admin_a)
        endpoint_for(partner_b, url=b_hook.url, kinds=["renewal.opened"])
        endpoint_for(None, url=program.url)
        for_a, for_b = record(partner_a), record(partner_b)
        opened = record(partner_b, kind="renewal.opened")
        tasks.sweep()
    got = {
        name: [json.loads(b)["data"]["id"] for _, b, _ in r.requests]
        for name, r in (("a", a_hook), ("b", b_hook), ("program", program))
    }
    assert got["a"] == [for_a.pk]
    assert got["b"] == [opened.pk]
    assert sorted(got["program"]) == sorted([for_a.pk, for_b.pk, opened.pk])


def test_a_partner_admin_who_left_her_partner_receives_its_events_no_more(partner_a, partner_b, admin_a):
    with Receiver() as hook:
        endpoint_for(partner_a, url=hook.url, actor=admin_a)
        admin_a.profile.partner = partner_b
        admin_a.profile.save()
        record(partner_a)
        record(partner_b)
        tasks.sweep()
    assert hook.requests == []


def test_events_recorded_before_an_endpoint_was_added_are_not_sent_to_it(partner_a):
    earlier = record(partner_a)
    with Receiver() as hook:
        endpoint_for(partner_a, url=hook.url)
        later = record(partner_a)
        tasks.sweep()
    assert [json.loads(b)["data"]["id"] for _, b, _ in hook.requests] == [later.pk]
    assert earlier.pk < later.pk


def test_a_claim_left_by_a_dead_worker_expires_and_the_delivery_goes_again_with_the_same_id(partner_a, settings):
    with Receiver() as hook:
        endpoint, secret = endpoint_for(partner_a, url=hook.url)
        hook.secrets = [secret]
        record(partner_a)
        delivery.fanout()
        row = Delivery.objects.get(endpoint=endpoint)
        # A worker claimed it (attempt 1) and was killed before it could record anything.
        Delivery.objects.filter(pk=row.pk).update(
            status=Delivery.SENDING, claimed_at=clock.now() - timedelta(seconds=30), attempts=1
        )
        tasks.sweep()
        assert hook.requests == []  # the claim is fresh: nobody else sends it
        Delivery.objects.filter(pk=row.pk).update(
            claimed_at=clock.now() - timedelta(seconds=settings.WEBHOOKS_CLAIM_TIMEOUT + 1)
        )
        tasks.sweep()
        tasks.sweep()
    row.refresh_from_db()
    assert row.status == Delivery.DELIVERED and row.attempts == 2
    assert hook.ids == [row.message_id] and hook.verified == [[secret]]


def test_redis_down_when_the_event_is_written_it_goes_out_when_the_sweep_runs_again(partner_a, settings):
    from config.celery import app  # noqa: I001 - the test flips the app to a dead broker

    from tests.worker import _reset_connections

    with Receiver() as hook:
        endpoint_for(partner_a, url=hook.url)
        # broker_write_url: the CELERY_BROKER_URL environment variable (CI) wins over conf.broker_url
        eager, url = app.conf.task_always_eager, app.conf.get("broker_write_url")  # the setting, not the property
        app.conf.task_always_eager, app.conf.broker_write_url = False, "redis://127.0.0.1:1/0"
        _reset_connections()
        try:
            event = record(partner_a)
            tasks.sweep()  # the delivery row is written; queueing its task fails
        finally:
            app.conf.task_always_eager, app.conf.broker_write_url = eager, url  # unset again: broker_url rules
            _reset_connections()
        row = Delivery.objects.get(event=event)
        assert row.status == Delivery.PENDING and row.queued_at is None and hook.requests == []
        tasks.sweep()  # Redis is back
    row.refresh_from_db()
    assert row.status == Delivery.DELIVERED and hook.ids == [row.message_id]


def test_a_rotated_secret_signs_with_both_for_24_hours(partner_a, time_machine):
    time_machine.move_to(clock.now(), tick=False)
    with Receiver() as hook:
        endpoint, old = endpoint_for(partner_a, url=hook.url, kinds=["partner.updated"])
        new = services.endpoint_rotate_secret(endpoint=endpoint, actor=access.SYSTEM)
        hook.secrets = [old, new]
        record(partner_a)
        tasks.sweep()
        time_machine.shift(timedelta(hours=25))
        record(partner_a)
        tasks.sweep()
    assert len(hook.requests[0][0]["webhook-signature"].split(" ")) == 2
    assert hook.verified == [[old, new], [new]]


def test_an_endpoint_failing_for_5_days_is_disabled_and_its_owner_told(
    partner_a, admin_a, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(clock.now(), tick=False)
    with Receiver(statuses=[503]) as hook, django_capture_on_commit_callbacks(execute=True):
        endpoint, _ = endpoint_for(partner_a, url=hook.url, actor=admin_a)
        for _step in range(12):  # 11 hours apart: each step is one more attempt of the first delivery
            record(partner_a)
            tasks.sweep()
            time_machine.shift(timedelta(hours=11))
        tasks.sweep()
    endpoint.refresh_from_db()
    assert not endpoint.enabled and "failed since" in endpoint.disabled_reason
    assert [m.to for m in mail.outbox] == [[admin_a.email]] and endpoint.url in mail.outbox[0].subject
    gave_up = Delivery.objects.filter(endpoint=endpoint, event__isnull=False).order_by("created_at").first()
    assert gave_up.status == Delivery.FAILED and gave_up.attempts == len(rules.BACKOFF_SECONDS) + 1


def test_no_redirect_is_followed_and_a_refused_connection_is_a_recorded_failure(partner_a):
    with Receiver(statuses=[302], location="/elsewhere") as hook:  # followed, it would come back here
        moved, _ = endpoint_for(partner_a, url=hook.url, kinds=["partner.updated"])
        closed, _ = endpoint_for(partner_a, url="http://127.0.0.1:9/nobody")
        record(partner_a)
        tasks.sweep()
    assert len(hook.requests) == 1
    redirect = Attempt.objects.get(delivery__endpoint=moved)
    refused = Attempt.objects.get(delivery__endpoint=closed)
    assert redirect.status_code == 302 and not redirect.succeeded
    assert refused.status_code is None and "Connection" in refused.error and not refused.succeeded


def test_send_a_test_event_and_send_again(partner_a, django_capture_on_commit_callbacks):
    with Receiver() as hook:
        endpoint, secret = endpoint_for(partner_a, url=hook.url)
        hook.secrets = [secret]
        with django_capture_on_commit_callbacks(execute=True):
            sent = services.endpoint_send_test(endpoint=endpoint, actor=access.SYSTEM)
        with django_capture_on_commit_callbacks(execute=True):
            services.delivery_resend(delivery=sent, actor=access.SYSTEM)
    assert hook.ids == [sent.message_id, sent.message_id]
    assert bodies(hook)[0]["type"] == "webhook.test" and hook.verified[0] == [secret]
    assert Endpoint.objects.get(pk=endpoint.pk).failing_since is None


def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt(partner_a, monkeypatch):
    monkeypatch.setattr(rules, "TIMEOUT_SECONDS", 0.5)  # 10 s in production
    with Receiver(hang_first=True) as hook:
        endpoint, _ = endpoint_for(partner_a, url=hook.url, kinds=["partner.updated"])
        record(partner_a)
        tasks.sweep()
    attempt = Attempt.objects.get(delivery__endpoint=endpoint)
    assert attempt.status_code is None and "timed out" in attempt.error and 400 <= attempt.duration_ms < 5000
    assert Delivery.objects.get(endpoint=endpoint).status == Delivery.PENDING


def test_an_event_committed_after_a_later_one_is_still_delivered(partner_a, time_machine):
    """Ids are given at insert and rows appear at commit: an event whose transaction commits after a later id's was
    skipped by the sweep that saw the later one; it is looked for again (an hour) and goes out once it appears."""
    from core.models import Event

    time_machine.move_to(clock.now(), tick=False)
    with Receiver() as hook:
        endpoint_for(partner_a, url=hook.url, kinds=["partner.updated"])
        first = record(partner_a)
        at = clock.now()
        fields = {"kind": "partner.updated", "summary": "late", "partner": partner_a, "occurred_at": at}
        Event.objects.create(pk=first.pk + 2, **fields)  # committed while first.pk + 1 is still in flight
        tasks.sweep()
        late = Event.objects.create(pk=first.pk + 1, **fields)  # its transaction commits now
        tasks.sweep()
        Event.objects.create(pk=first.pk + 4, **fields)  # first.pk + 3 never commits (rolled back)
        tasks.sweep()
        time_machine.shift(rules.HOLE_TIMEOUT + timedelta(seconds=1))
        tasks.sweep()
        Event.objects.create(pk=first.pk + 3, **fields)  # too late: no longer looked for
        tasks.sweep()
    got = [json.loads(b)["data"]["id"] for _, b, _ in hook.requests]
    assert got == [first.pk, first.pk + 2, late.pk, first.pk + 4]
