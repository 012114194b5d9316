"""The feed's cursor under concurrent writers (PostgreSQL): transactions that commit out of id order are neither
skipped nor repeated. Real threads, each with its own connection, commit while a reader pages."""

import random
import threading
import time

import pytest
from django.db import connection, connections, transaction

from core.events import event_record
from integrations.selectors import event_feed
from partners import access

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite has one writer at a time: ids are commit order"
    ),
]
WAIT = 120  # seconds: a long transaction anywhere in the cluster holds the feed back (it never loses an event)


def _thread(target):
    def run():
        try:
            target()
        finally:
            connections.close_all()  # this thread's own connection

    t = threading.Thread(target=run)
    t.start()
    return t


def _read_until(cursor, want, seen):
    """Page from `cursor` until `want` events have been served; returns the last cursor."""
    deadline = time.monotonic() + WAIT
    while len(seen) < want and time.monotonic() < deadline:
        events, cursor, more = event_feed(user=access.SYSTEM, after=cursor, limit=7)
        seen += [e.pk for e in events]
        if not more:
            time.sleep(0.05)
    return cursor


def test_an_earlier_id_committed_later_is_served_after_not_skipped(partner_a):
    inserted, t2_done, release = threading.Event(), threading.Event(), threading.Event()
    ids = {}

    def slow():
        with transaction.atomic():
            ids["t1"] = event_record(kind="partner.updated", summary="slow", partner=partner_a)[0].pk
            inserted.set()
            release.wait(30)  # commits after T2, with the smaller id

    def fast():
        inserted.wait(30)
        with transaction.atomic():
            ids["t2"] = event_record(kind="partner.updated", summary="fast", partner=partner_a)[0].pk
        t2_done.set()

    threads = [_thread(slow), _thread(fast)]
    t2_done.wait(30)
    assert ids["t1"] < ids["t2"]
    served, cursor, _ = event_feed(user=access.SYSTEM)
    assert [e.pk for e in served] == []  # T2 committed, but T1 (an older transaction) is still open
    release.set()
    for t in threads:
        t.join(30)
    seen = []
    _read_until(cursor, 2, seen)
    assert seen == [ids["t1"], ids["t2"]]  # in commit-safe order, neither skipped


def test_many_writers_committing_out_of_order_while_a_reader_pages(partner_a):
    written, lock, stop = [], threading.Lock(), threading.Event()

    def writer(seed):
        rnd = random.Random(seed)
        for _ in range(8):
            with transaction.atomic():
                batch = [
                    event_record(kind="partner.updated", summary=f"w{seed}", partner=partner_a)[0].pk
                    for _ in range(rnd.randint(1, 3))
                ]
                time.sleep(rnd.uniform(0, 0.03))  # hold the transaction open: others commit past it
            with lock:
                written.extend(batch)

    seen = []

    def reader():
        cursor = None
        while not stop.is_set():
            events, cursor, more = event_feed(user=access.SYSTEM, after=cursor, limit=5)
            seen.extend(e.pk for e in events)
            if not more:
                time.sleep(0.01)
        with lock:
            want = len(written)
        _read_until(cursor, want, seen)

    writers = [_thread(lambda s=s: writer(s)) for s in range(4)]
    read = _thread(reader)
    for t in writers:
        t.join(60)
    stop.set()
    read.join(WAIT + 10)
    assert len(seen) == len(set(seen)), "an event was served twice"
    assert sorted(seen) == sorted(written), "an event was skipped"
