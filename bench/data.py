"""The benchmark's program, written with PostgreSQL COPY: N partners, each with a country, a partner admin, five
individuals, a certification, one or two specializations, a Hybrid IT service, a support agreement and three
support capabilities, 4 to 19 CSAT responses (follow-ups for most low scores) and 200 learning records.

At 10,000 partners: 25,000 credentials (a fifth of them lapsed, so about 20,000 in the renewal scan),
~115,000 CSAT responses, 50,000 individuals, 2,000,000 learning records. The rows are consistent by construction.
"""

from __future__ import annotations

import io
import json
import random
import time
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from compliance.models import (
    CertificationChange,
    CertificationTier,
    HybridITService,
    PartnerCertification,
    SupportAgreement,
    SupportCapability,
)
from csat.models import FollowUp, SurveyResponse
from learning.models import KnowledgeSession, LearningRecord
from partners.models import Association, Individual, Partner, Profile, Territory
from specializations.models import Architecture, FocusArea, PartnerSpecialization, Specialization, SpecializationKind

AS_OF = date(2026, 8, 1)  # the day every measure judges; the data was brought up to the day before
PREFIX = "BENCH"
COUNTRIES = 20
PEOPLE = 5  # individuals per partner
RECORDS = 200  # learning records per partner
SESSIONS = 200
HOW = ["viewed"] * 8 + ["downloaded", "assessment_passed"]
CAPABILITIES = ("customer_service_8x5", "pre_sales", "post_sales")
STAFF = "bench-staff"


def _text(value) -> str:
    """One value in COPY's text format (the generated strings hold no tab, newline or backslash)."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def copy_rows(model, columns: list[str], rows, chunk: int = 200_000) -> None:
    """COPY rows (tuples in the order of `columns`) into the model's table; every other column gets the model
    field's default (auto_now fields: now), as Django would have given it."""
    now = timezone.now()
    rest = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in columns:
            continue
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        rest.append((f.column, now if auto else f.get_default()))
    names = ", ".join(connection.ops.quote_name(c) for c in [*columns, *(c for c, _ in rest)])
    suffix = "".join("\t" + _text(v) for _, v in rest) + "\n"
    sql = f"COPY {model._meta.db_table} ({names}) FROM STDIN"
    buf, n = io.StringIO(), 0
    with connection.cursor() as cursor:
        for row in rows:
            buf.write("\t".join(_text(v) for v in row) + suffix)
            n += 1
            if n % chunk == 0:
                buf.seek(0)
                cursor.cursor.copy_expert(sql, buf)
                buf = io.StringIO()
        buf.seek(0)
        cursor.cursor.copy_expert(sql, buf)


def _ids(model, field: str, prefix: str) -> list[int]:
    return list(model.objects.filter(**{f"{field}__startswith": prefix}).order_by(field).values_list("pk", flat=True))


def catalogue(rng: random.Random) -> tuple[list[Specialization], list[int]]:
    """Bench specializations (one per architecture and kind) and knowledge sessions connected to them."""
    specs, sessions = [], []
    architectures = list(Architecture.objects.order_by("pk"))
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
            sessions.append(session.pk)
    return specs, sessions


def generate(partners: int, seed: int = 7) -> dict[str, int]:
    """Write the program for `partners` partners into an empty (migrated) database; returns the row counts."""
    rng = random.Random(seed)
    now, day0 = timezone.now(), AS_OF - timedelta(days=1)
    started = time.monotonic()
    counts: dict[str, int] = {}
    countries = [
        Territory.objects.get_or_create(code=f"B{i:02d}", defaults={"name": f"Bench country {i}"})[0].pk
        for i in range(COUNTRIES)
    ]
    specs, sessions = catalogue(rng)
    tiers = {t.name: t.pk for t in CertificationTier.objects.all()}
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Skip the per-row foreign-key triggers, which would re-check millions of references at COMMIT
            # (needs a superuser, as on the bench box).
            cursor.execute("SET LOCAL session_replication_role = replica")
        copy_rows(
            Partner,
            ["legal_name", "vendor_partner_id", "is_registered", "registered_on"],
            ((f"Bench partner {i:05d}", f"{PREFIX}{i:06d}", True, "2014-01-01") for i in range(partners)),
        )
        pids = _ids(Partner, "vendor_partner_id", PREFIX)
        country = {pid: countries[i % COUNTRIES] for i, pid in enumerate(pids)}
        copy_rows(Partner.territories.through, ["partner_id", "territory_id"], country.items())
        User = get_user_model()
        copy_rows(
            User,
            ["username", "email", "password", "is_staff"],
            [(STAFF, "staff@bench.example.com", "!", True)]
            + [(f"bench-admin-{i:05d}", f"admin{i}@bench.example.com", "!", False) for i in range(partners)],
        )
        users = _ids(User, "username", "bench-")
        copy_rows(
            Profile,
            ["user_id", "role", "partner_id"],
            [(users[-1], "staff", None)] + [(u, "partner_admin", pid) for u, pid in zip(users, pids, strict=False)],
        )
        copy_rows(
            Individual,
            ["first_name", "last_name", "email", "testing_number"],
            (("Bench", f"Person {i}", f"p{i}@bench.example.com", f"{PREFIX}{i:07d}") for i in range(partners * PEOPLE)),
        )
        people = _ids(Individual, "testing_number", PREFIX)
        copy_rows(
            Association,
            ["individual_id", "partner_id", "start"],
            ((person, pids[i // PEOPLE], "2014-01-01") for i, person in enumerate(people)),
        )
        certs, held, n = [], [], 0
        for i, pid in enumerate(pids):
            start = date(2018, 1, 1) + timedelta(days=rng.randrange(2900))
            for k in range(2 + i % 2):  # the certification, then one or two specializations
                anniversary = AS_OF + timedelta(days=rng.randint(-20, 345))
                lapsed = n % 5 == 4
                n += 1
                row = (
                    pid,
                    country[pid],
                    "lapsed" if lapsed else "approved",
                    start,
                    anniversary - timedelta(days=365 if lapsed else 0),
                    anniversary - timedelta(days=365),
                    start,
                )
                if k == 0:
                    tier = tiers["Gold" if i % 10 == 0 else "Premier"]
                    certs.append((*row, tier, start))
                else:
                    held.append((*row, specs[(i + k * 7) % len(specs)].pk))
        base = ["partner_id", "territory_id", "status", "certified_on", "anniversary", "last_renewed_on"]
        copy_rows(PartnerCertification, [*base, "status_changed_on", "tier_id", "tier_since"], certs)
        copy_rows(PartnerSpecialization, [*base, "status_changed_on", "specialization_id"], held)
        cert_rows = PartnerCertification.objects.filter(partner_id__in=pids).values_list(
            "pk", "tier_id", "certified_on"
        )
        copy_rows(CertificationChange, ["certification_id", "to_tier_id", "changed_on"], cert_rows)
        common = ["partner_id", "territory_id", "verified_on"]
        copy_rows(
            HybridITService,
            [*common, "name", "kind", "provider_contract", "customer_sla", "description", "lifecycle_process"],
            ((p, country[p], "2015-01-01", f"Service {p}", "cloud", "C", "S" if p % 7 else "", "D", "L") for p in pids),
        )
        copy_rows(
            SupportAgreement,
            [*common, "kind", "reference", "starts_on", "ends_on"],
            ((p, country[p], "2015-01-01", "icpa", f"A{p}", "2015-01-01", "2030-01-01") for p in pids),
        )
        copy_rows(
            SupportCapability,
            [*common, "code", "since"],
            ((p, country[p], "2015-01-01", c, "2015-01-01") for p in pids for c in CAPABILITIES),
        )
        responses = []
        for p in pids:
            for _ in range(rng.randrange(4, 20)):
                score = None if rng.random() < 0.05 else rng.randrange(1, 11)
                received = day0 - timedelta(days=rng.randrange(540))
                responses.append((p, country[p], "Customer", rng.random() > 0.05, received, score))
        copy_rows(
            SurveyResponse, ["partner_id", "territory_id", "customer", "valid", "received_on", "score"], responses
        )
        lows = SurveyResponse.objects.filter(partner_id__in=pids, score__lte=6).values_list("pk", "received_on")
        copy_rows(
            FollowUp,
            ["response_id", "recorded_on", "note"],
            ((pk, received + timedelta(days=5), "ok") for pk, received in lows if rng.random() < 0.8),
        )
        print(f"  program rows written after {time.monotonic() - started:.0f} s; learning records…", flush=True)
        first = AS_OF - timedelta(days=541)

        assessed = set(
            KnowledgeSession.objects.filter(pk__in=sessions, via_assessment=True).values_list("pk", flat=True)
        )

        def records():
            for n in range(partners * RECORDS):
                p, session, how = rng.randrange(partners), rng.choice(sessions), rng.choice(HOW)
                yield (
                    pids[p],
                    people[p * PEOPLE + rng.randrange(PEOPLE)],
                    session,
                    first + timedelta(days=rng.randrange(540)),
                    how if how != "assessment_passed" or session in assessed else "viewed",  # as the API accepts
                    f"b{n}",
                    "bench",
                    now,
                )

        copy_rows(
            LearningRecord,
            [
                "partner_id",
                "individual_id",
                "session_id",
                "occurred_on",
                "how",
                "client_record_id",
                "source",
                "recorded_at",
            ],
            records(),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = {
        "partners": len(pids),
        "credentials": len(certs) + len(held),
        "active credentials": sum(1 for c in [*certs, *held] if c[2] == "approved"),
        "CSAT responses": len(responses),
        "individuals": len(people),
        "learning records": partners * RECORDS,
    }
    print(f"  generated in {time.monotonic() - started:.0f} s: {counts}", flush=True)
    return counts
