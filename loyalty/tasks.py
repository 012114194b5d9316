"""Periodic loyalty jobs. They run daily; each decides from today's date whether there is work, and is idempotent."""
from celery import shared_task

from config import clock
from config.celery import add_periodic, crontab

from . import services


@shared_task(name="loyalty.place_tiers")
def place_tiers() -> int:
    return services.tiers_place(as_of=clock.today())


@shared_task(name="loyalty.expire_lots")
def expire_lots() -> int:
    return services.lots_expire(as_of=clock.today())


@shared_task(name="loyalty.issue_awards")
def issue_awards() -> int:
    return services.awards_issue(as_of=clock.today())


@shared_task(name="loyalty.warn_expiring")
def warn_expiring() -> int:
    return services.expiry_warnings_send(as_of=clock.today())


add_periodic("loyalty-place-tiers", "loyalty.place_tiers", crontab(hour=1, minute=0))
add_periodic("loyalty-expire-lots", "loyalty.expire_lots", crontab(hour=1, minute=10))
add_periodic("loyalty-issue-awards", "loyalty.issue_awards", crontab(hour=1, minute=20))
add_periodic("loyalty-warn-expiring", "loyalty.warn_expiring", crontab(hour=1, minute=30))
