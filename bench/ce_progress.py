"""Bench: the partner admin's people view and the daily reminder scan over many certifications.

Run: .venv/bin/python bench/ce_progress.py [people]   (a throw-away test database; DATABASE_URL applies)
Prints the time and the number of queries of partner_people and ce_reminders_send.
"""

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def main(people: int) -> None:
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        # Measure the scan, not the mail delivery (tasks run eagerly under the test settings).
        from certifications import selectors as ce_selectors
        from certifications import services as ce_services
        from certifications.models import (
            CeClaim,
            CertificationPeriod,
            ExamPass,
            IndividualCertification,
        )
        from core import notices
        from core.dates import add_years
        from partners.models import Association, Individual, Partner
        from tests.factories import make_user

        notices._enqueue = lambda ids: None

        partner = Partner.objects.create(legal_name="Bench Ltd", vendor_partner_id="BENCH")
        admin = make_user("partner_admin", partner=partner, username="bench-admin")
        persons = Individual.objects.bulk_create(
            Individual(first_name="P", last_name=f"{i:05d}", email=f"p{i}@x.test", testing_number=f"B{i:06d}")
            for i in range(people)
        )
        Association.objects.bulk_create(
            Association(individual=p, partner=partner, start=date(2015, 1, 1)) for p in persons
        )
        today = date(2026, 5, 20)
        certs = IndividualCertification.objects.bulk_create(
            IndividualCertification(
                individual=p,
                track="CCNP",
                level="professional",
                certified_on=(start := today - timedelta(days=900 + i % 300)),
                period_starts_on=start,
                expires_on=add_years(start, 3),
            )
            for i, p in enumerate(persons)
        )
        CertificationPeriod.objects.bulk_create(
            CertificationPeriod(certification=c, starts_on=c.period_starts_on, expires_on=c.expires_on) for c in certs
        )
        CeClaim.objects.bulk_create(
            CeClaim(
                individual=p,
                course_name="Bench",
                started_on=date(2025, 1, k + 1),
                ended_on=date(2025, 1, k + 1),
                validation_code=f"BC{p.pk}-{k}",
                certificate="x.pdf",
                credits=10,
                status="earned",
                earned_on=date(2025, 1, k + 1),
                submitted_at=django.utils.timezone.now(),
            )
            for p in persons
            for k in range(5)
        )
        ExamPass.objects.bulk_create(
            ExamPass(individual=p, kind="professional", passed_on=date(2025, 3, 1)) for p in persons[::3]
        )
        for label, call in [
            (
                "people_page_50",
                lambda: ce_selectors.with_certifications(
                    user=admin,
                    people=ce_selectors.partner_people(user=admin, partner=partner, as_of=today)[:50],
                    as_of=today,
                ),
            ),
            (
                "all_people",
                lambda: ce_selectors.with_certifications(
                    user=admin,
                    people=ce_selectors.partner_people(user=admin, partner=partner, as_of=today),
                    as_of=today,
                ),
            ),
            ("ce_reminders_send", lambda: ce_services.ce_reminders_send(as_of=today)),
        ]:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                if os.environ.get("PROFILE") == label:
                    import cProfile

                    profiler = cProfile.Profile()
                    result = profiler.runcall(call)
                    profiler.print_stats("cumtime")
                else:
                    result = call()
                elapsed = time.perf_counter() - started
            print(
                f"{label:18} {people} people: {elapsed * 1000:8.1f} ms, {len(queries)} queries, "
                f"result size {len(result) if hasattr(result, '__len__') else result}"
            )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
