"""Generate a large Continuous Learning program for benchmarks (not part of the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_h3 .venv/bin/python bench/gen_learning.py \
        --partners 10000 --records 2000000

Creates bench partners (vendor id BENCH…), their individuals, three partner specializations each,
knowledge sessions connected to the architectures and specializations, and the learning records, with
PostgreSQL COPY (bulk_create elsewhere). `--reset` first removes earlier bench rows. Use a database of
its own: the rows are real.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from core import clock  # noqa: E402
from learning.models import KnowledgeSession, LearningRecord  # noqa: E402
from partners.models import Association, Individual, Partner, Territory  # noqa: E402
from specializations.models import (  # noqa: E402
    Architecture,
    FocusArea,
    PartnerSpecialization,
    Specialization,
    SpecializationKind,
)

PREFIX = "BENCH"
PEOPLE_PER_PARTNER = 5
HOLDINGS_PER_PARTNER = 3
SESSIONS = 200
HOW = ["viewed"] * 8 + ["downloaded", "assessment_passed"]


def copy_rows(model, columns, rows, chunk=200_000):
    """COPY rows into the model's table on PostgreSQL; bulk INSERT elsewhere."""
    table = model._meta.db_table
    if connection.vendor != "postgresql":
        fields = [model._meta.get_field(c) for c in columns]
        objs = [model(**{f.attname: v for f, v in zip(fields, row, strict=True)}) for row in rows]
        model.objects.bulk_create(objs, batch_size=2000)
        return
    buf, n = io.StringIO(), 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for row in rows:
            buf.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
            n += 1
            if n % chunk == 0:
                buf.seek(0)
                raw.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buf)
                buf = io.StringIO()
        buf.seek(0)
        raw.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buf)


def reset():
    partners = Partner.objects.filter(vendor_partner_id__startswith=PREFIX)
    LearningRecord.objects.filter(partner__in=partners).delete()
    PartnerSpecialization.objects.filter(partner__in=partners).delete()
    Association.objects.filter(partner__in=partners).delete()
    Individual.objects.filter(testing_number__startswith=PREFIX).delete()
    partners.delete()
    KnowledgeSession.objects.filter(code__startswith=PREFIX).delete()


def catalogue(rng):
    specs, sessions = [], []
    architectures = list(Architecture.objects.all())
    for arch in architectures:
        area, _ = FocusArea.objects.get_or_create(architecture=arch, name=f"{PREFIX} {arch.name}")
        for kind in SpecializationKind.values:
            spec, _ = Specialization.objects.get_or_create(
                name=f"{PREFIX} {arch.name} {kind}", defaults={"kind": kind, "architecture": arch}
            )
            specs.append(spec)
        for n in range(SESSIONS // len(architectures)):
            points = rng.choice([1, 5, 10, 20])
            session, _ = KnowledgeSession.objects.get_or_create(
                code=f"{PREFIX}-{arch.pk}-{n}",
                defaults={
                    "title": f"Bench session {arch.name} {n}",
                    "focus_area": area,
                    "points": points,
                    "duration_hours": points,
                    "via_assessment": n % 10 == 0,
                },
            )
            session.architectures.add(arch)
            if n % 7 == 0:
                session.specializations.add(rng.choice(specs))
            sessions.append(session)
    return specs, sessions


def generate(partners: int, records: int, seed: int = 7):
    rng = random.Random(seed)
    today, now = clock.today(), clock.now()
    started = time.monotonic()
    territory, _ = Territory.objects.get_or_create(code="BX", defaults={"name": "Bench country"})
    specs, sessions = catalogue(rng)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The rows are consistent by construction: skip the per-row foreign-key triggers, which would
            # otherwise re-check millions of references at COMMIT (needs a superuser, as on the bench box).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        copy_rows(
            Partner,
            ["legal_name", "vendor_partner_id", "is_registered", "registered_on", "created_at"],
            ((f"Bench partner {i}", f"{PREFIX}{i:06d}", True, "2014-01-01", now) for i in range(partners)),
        )
        partner_ids = list(
            Partner.objects.filter(vendor_partner_id__startswith=PREFIX)
            .order_by("vendor_partner_id")
            .values_list("pk", flat=True)
        )
        copy_rows(
            Individual,
            ["first_name", "last_name", "email", "testing_number", "created_at"],
            (
                ("Bench", f"Person {i}", f"p{i}@bench.example.com", f"{PREFIX}{i:07d}", now)
                for i in range(partners * PEOPLE_PER_PARTNER)
            ),
        )
        people = list(
            Individual.objects.filter(testing_number__startswith=PREFIX)
            .order_by("testing_number")
            .values_list("pk", flat=True)
        )
        copy_rows(
            Association,
            ["individual_id", "partner_id", "start"],
            ((person, partner_ids[i // PEOPLE_PER_PARTNER], "2014-01-01") for i, person in enumerate(people)),
        )
        holdings = []
        for pid in partner_ids:
            for spec in rng.sample(specs, HOLDINGS_PER_PARTNER):
                anniversary = today + timedelta(days=rng.randint(-20, 345))
                holdings.append(
                    (
                        pid,
                        territory.pk,
                        spec.pk,
                        "approved",
                        anniversary - timedelta(days=730),
                        anniversary,
                        anniversary - timedelta(days=365),
                        today,
                    )
                )
        copy_rows(
            PartnerSpecialization,
            [
                "partner_id",
                "territory_id",
                "specialization_id",
                "status",
                "certified_on",
                "anniversary",
                "last_renewed_on",
                "status_changed_on",
            ],
            holdings,
        )
        session_ids = [s.pk for s in sessions]
        start = today - timedelta(days=540)

        def record_rows():
            for n in range(records):
                p = rng.randrange(partners)
                yield (
                    partner_ids[p],
                    people[p * PEOPLE_PER_PARTNER + rng.randrange(PEOPLE_PER_PARTNER)],
                    rng.choice(session_ids),
                    start + timedelta(days=rng.randrange(540)),
                    rng.choice(HOW),
                    f"b{n}",
                    "",
                    "bench",
                    now,
                )

        print(f"  catalogue, partners, people and holdings after {time.monotonic() - started:.1f}s", flush=True)
        copy_rows(
            LearningRecord,
            [
                "partner_id",
                "individual_id",
                "session_id",
                "occurred_on",
                "how",
                "client_record_id",
                "reason",
                "source",
                "recorded_at",
            ],
            record_rows(),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {LearningRecord._meta.db_table}")
            cursor.execute(f"ANALYZE {PartnerSpecialization._meta.db_table}")
    print(
        f"Generated {partners:,} partners, {len(holdings):,} partner specializations, {len(people):,} individuals, "
        f"{records:,} learning records in {time.monotonic() - started:.1f}s ({connection.vendor})."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partners", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=2_000_000)
    parser.add_argument("--reset", action="store_true", help="remove earlier bench rows first")
    args = parser.parse_args()
    if args.reset:
        reset()
    generate(args.partners, args.records)
