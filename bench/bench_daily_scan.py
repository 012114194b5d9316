"""Time the daily renewal scan over 20,000 credentials (not part of the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_h5 [REPEAT=3] .venv/bin/python bench/bench_daily_scan.py [--live]

Builds (once, idempotently) 2,000 partners holding 10 specializations each, anniversaries spread over a
year, and their stored verdicts (one recompute as of the day before the first scan, as the night runs it
before the scan), then runs the scan for three days and prints seconds and queries per run:
  0. the first scan ever (a quarter of the credentials are inside their 90-day window);
  1. the next, typical day (about 1/365 of the credentials enter Re-Cert, reminders, lapses, incidents);
  2. the same day replayed (nothing changes, nothing is sent);
  3. a worst day: every credential enters Re-Cert at once (20,000 status changes and notices).
The scan runs in a transaction that is rolled back, so the figures can be measured again.

The scan trusts a stored verdict until its `next_change_on`; until the recompute fills it (NULL otherwise), the
bench sets it a year ahead (said in the output). `--live` clears it instead: every verdict computed live, as
the scan did before it read the stored ones (and as it does for a day no recompute has stored).
"""

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from compliance.models import CredentialVerdict  # noqa: E402
from compliance.services.recompute import verdicts_recompute  # noqa: E402
from core.models import PendingRecompute  # noqa: E402
from partners.models import Partner, Profile, Territory  # noqa: E402
from renewals.services import scan  # noqa: E402
from specializations.models import (  # noqa: E402
    PartnerSpecialization,
    Specialization,
    SpecializationKind,
)

PARTNERS, PER_PARTNER = 2_000, 10
DAY = date(2026, 8, 1)


def build():
    if (
        PartnerSpecialization.objects.filter(partner__vendor_partner_id__startswith="BENCH").count()
        >= PARTNERS * PER_PARTNER
    ):
        return
    territory, _ = Territory.objects.get_or_create(code="BX", defaults={"name": "Bench country"})
    specs = [
        Specialization.objects.get_or_create(
            name=f"Bench specialization {n}", defaults={"kind": SpecializationKind.EXPRESS}
        )[0]
        for n in range(PER_PARTNER)
    ]
    partners = Partner.objects.bulk_create(
        [
            Partner(legal_name=f"Bench partner {n}", vendor_partner_id=f"BENCH{n:05d}", is_registered=True)
            for n in range(PARTNERS)
        ],
        ignore_conflicts=True,
    )
    partners = list(Partner.objects.filter(vendor_partner_id__startswith="BENCH"))
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"bench-admin-{p.pk}", email=f"admin{p.pk}@bench.example") for p in partners],
        ignore_conflicts=True,
    )
    users = {u.username: u for u in User.objects.filter(username__startswith="bench-admin-")}
    Profile.objects.bulk_create(
        [Profile(user=users[f"bench-admin-{p.pk}"], role="partner_admin", partner=p) for p in partners],
        ignore_conflicts=True,
    )
    rows = []
    for i, p in enumerate(partners):
        for j, s in enumerate(specs):
            ann = DAY + timedelta(days=(i * PER_PARTNER + j) % 365)
            rows.append(
                PartnerSpecialization(
                    partner=p,
                    territory=territory,
                    specialization=s,
                    certified_on=ann - timedelta(days=730),
                    anniversary=ann,
                )
            )
    PartnerSpecialization.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def bench_verdicts():
    return CredentialVerdict.objects.filter(partner__vendor_partner_id__startswith="BENCH")


def build_verdicts():
    """The verdicts a recompute stores the night before the first scan (once)."""
    if bench_verdicts().count() < PARTNERS * PER_PARTNER:
        start = time.perf_counter()
        verdicts_recompute(partner_ids=None, as_of=DAY - timedelta(days=1))
        print(f"recompute as of {DAY - timedelta(days=1)}: {time.perf_counter() - start:.1f} s")


def trust(live):
    """No recompute pending. `live`: every stored verdict's `next_change_on` cleared (inside the rolled-back
    transaction), so none is trusted. Where a recompute left it unknown (before it computed it), the bench sets it
    to the anniversary still to come (a specialization's points are judged from it), else a year ahead."""
    PendingRecompute.objects.filter(partner__vendor_partner_id__startswith="BENCH").delete()
    if live:
        bench_verdicts().update(next_change_on=None)
        return "every verdict computed live (--live)"
    unknown = bench_verdicts().filter(next_change_on__isnull=True)
    n = unknown.filter(anniversary__gt=F("as_of")).update(next_change_on=F("anniversary"))
    n += unknown.update(next_change_on=DAY + timedelta(days=365))
    return f"stored verdicts trusted until their next_change_on ({n} unknown ones set by the bench)"


def vacuum():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (CredentialVerdict, PartnerSpecialization):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def timed(label, as_of):
    """Wall-clock seconds; of them, the seconds of CPU this process spent (the Python side, whatever the load) and
    the seconds spent waiting on the database's answers."""
    with CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        summary = scan.daily_scan(as_of=as_of)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    db = sum(float(q["time"]) for q in queries.captured_queries)
    print(f"{label:<38} {elapsed:6.2f} s (cpu {cpu:5.2f}, db {db:5.2f}) {len(queries):3d} queries  {summary}")


def main():
    call_command("migrate", verbosity=0)
    build()
    build_verdicts()
    vacuum()  # the rolled-back runs leave dead rows behind, which the night's autovacuum would clear
    for _ in range(int(os.environ.get("REPEAT", "1"))):
        run()


def run():
    live = "--live" in sys.argv
    with transaction.atomic():
        print(f"{PartnerSpecialization.objects.count()} credentials on {connection.vendor}; {trust(live)}")
        timed("catch-up (first scan ever, 2026-07-31)", DAY - timedelta(days=1))
        timed("typical day (as of 2026-08-01)", DAY)
        timed("the same day replayed", DAY)
        transaction.set_rollback(True)
    with transaction.atomic():
        trust(live)
        PartnerSpecialization.objects.update(anniversary=DAY + timedelta(days=90))
        CredentialVerdict.objects.update(anniversary=DAY + timedelta(days=90))  # as the recompute would
        timed("worst day: all 20,000 enter Re-Cert", DAY)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
