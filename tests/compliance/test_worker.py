"""A real Celery worker process against Redis (as in CI) runs a task end to end."""
import pytest
from django.core import mail  # noqa: F401

from compliance.models import Event, Notice
from compliance.tasks import deliver_notice
from tests.worker import celery_worker, require_real_broker, wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_delivers_a_notice_end_to_end():
    require_real_broker()
    event = Event.objects.create(kind="test", summary="worker test", dedupe_key="worker-test",
                                 occurred_at="2026-01-01T00:00:00Z")
    notice = Notice.objects.create(event=event, recipient="someone@example.com", subject="Hi", body_text="Hello")
    with celery_worker():
        deliver_notice.delay(notice.pk)
        assert wait_for(lambda: Notice.objects.get(pk=notice.pk).status == Notice.SENT, timeout=60), \
            "the worker did not deliver the notice"
    notice.refresh_from_db()
    assert notice.attempts == 1 and notice.sent_at is not None
