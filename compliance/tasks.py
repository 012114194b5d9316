from celery import shared_task
from django.db import IntegrityError

from config.celery import add_periodic, crontab

from . import services


@shared_task(name="compliance.deliver_notice", acks_late=True, reject_on_worker_lost=True,
             autoretry_for=(Exception,), retry_backoff=30, retry_backoff_max=3600, max_retries=8)
def deliver_notice(notice_id: int) -> bool:
    """Idempotent: the claim in notice_deliver makes a second run a no-op."""
    return services.notice_deliver(notice_id=notice_id)


@shared_task(name="compliance.sweep_notices")
def sweep_notices() -> int:
    ids = services.notices_sweep()
    for pk in ids:
        deliver_notice.delay(pk)
    return len(ids)


@shared_task(name="compliance.recompute_partner", acks_late=True, autoretry_for=(IntegrityError,), max_retries=3,
             retry_backoff=5)
def recompute_partner(partner_id: int) -> int:
    """Idempotent: recomputing twice stores the same verdicts (a race with another recompute of the same
    partner on the same change is retried)."""
    from config import clock
    from renewals.services import incidents_sync

    services.recompute_claim(partner_id=partner_id)
    day = clock.today()
    stored = services.verdicts_recompute(partner_ids=[partner_id], as_of=day)
    incidents_sync(as_of=day, partner_ids=[partner_id])  # a verdict turned non-compliant opens an incident
    return stored


@shared_task(name="compliance.sweep_recomputes")
def sweep_recomputes() -> int:
    """Queue again the recomputes whose task never ran (broker down when they were asked for)."""
    ids = services.recomputes_stale()
    for partner_id in ids:
        recompute_partner.delay(partner_id)
    return len(ids)


@shared_task(name="compliance.recompute_all", autoretry_for=(IntegrityError,), max_retries=3, retry_backoff=30)
def recompute_all() -> int:
    """Nightly: recompute every stored verdict as of today (measurement dates and anniversaries pass by),
    then open and close non-compliance incidents from them."""
    from config import clock
    from renewals.services import incidents_sync

    day = clock.today()
    stored = services.verdicts_recompute(partner_ids=None, as_of=day)
    incidents_sync(as_of=day)
    return stored


add_periodic("compliance-sweep-recomputes", "compliance.sweep_recomputes", crontab(minute="*/5"))
add_periodic("compliance-recompute-all", "compliance.recompute_all", crontab(hour=2, minute=30))
