"""The nightly recompute evaluates only what can have changed, and stores what the full recompute stores.

The proof: varied data walked day by day over a leap day, a measurement date, anniversaries, records coming into
and out of force, policy rows starting and individual certifications nearing expiry, with facts changed on some
days; each day the incremental run goes first and a full run after it must find nothing left to write.
"""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import CredentialVerdict, PartnerCertification, VerdictChange
from compliance.services.recompute import verdicts_refresh
from core import clock
from core.models import Event, Policy
from core.recompute import recompute_queue
from csat.services import response_create
from learning.services import learning_record_create
from partners import access
from specializations.models import PartnerSpecialization
from tests.certifications.factories import CertificationFactory
from tests.compliance.factories import (
    HybridITServiceFactory,
    SupportAgreementFactory,
    SupportCapabilityFactory,
    certify,
    support_complete,
)
from tests.csat.factories import responses
from tests.factories import AssociationFactory, IndividualFactory, PartnerFactory, TerritoryFactory
from tests.learning.factories import KnowledgeSessionFactory, LearningRecordFactory
from tests.specializations.factories import PartnerSpecializationFactory, RoleAllocationFactory

pytestmark = pytest.mark.django_db

START, END = date(2028, 1, 1), date(2028, 3, 6)
COLUMNS = [f.attname for f in CredentialVerdict._meta.concrete_fields if f.attname not in ("id", "computed_at")]


@pytest.fixture
def today(monkeypatch):
    """The walked day is today (the services refuse records dated after it; the queue is taken on today's run)."""
    day = {"value": START}
    monkeypatch.setattr(clock, "today", lambda: day["value"])
    return day


def _stored():
    return {
        (row["credential_type"], row["credential_id"]): row
        for row in CredentialVerdict.objects.values(*COLUMNS).order_by("credential_type", "credential_id")
    }


def _program():
    """Partners with certifications of several tiers, specializations with points, CSAT responses and records."""
    territory = TerritoryFactory(name="Germany")
    partners = [PartnerFactory() for _ in range(6)]
    for p in partners:
        p.territories.add(territory)
    a, b, c, d, e, f = partners
    # Silver renewing on the leap day, records running out during the walk, responses ageing out.
    certify(a, territory, name="Silver", on=date(2020, 1, 1), anniversary=date(2028, 2, 29))
    responses(a, territory, 10, date(2027, 2, 15))
    responses(a, territory, 3, date(2027, 9, 1), score=3)
    HybridITServiceFactory(partner=a, territory=territory, withdrawn_on=date(2028, 1, 20))
    SupportAgreementFactory(partner=a, territory=territory, ends_on=date(2028, 2, 10))
    SupportCapabilityFactory(partner=a, territory=territory, code="pre_sales", until=date(2028, 2, 5))
    SupportCapabilityFactory(partner=a, territory=territory, code="post_sales", since=date(2028, 1, 10))
    # Gold moved from Premier, a service verified later, an agreement starting later.
    gold = certify(
        b,
        territory,
        name="Gold",
        on=date(2019, 3, 1),
        anniversary=date(2028, 3, 5),
        history=[(None, "Premier", date(2019, 3, 1)), ("Premier", "Gold", date(2027, 3, 1))],
    )
    PartnerCertification.objects.filter(pk=gold.pk).update(tier_since=date(2027, 3, 1))
    responses(b, territory, 12, date(2027, 10, 1))
    HybridITServiceFactory(partner=b, territory=territory, verified_on=date(2028, 1, 25))
    support_complete(b, territory)
    SupportAgreementFactory(partner=b, territory=territory, starts_on=date(2028, 2, 1), verified_on=date(2028, 2, 3))
    # A new Premier (CSAT first measured after its first full months), renewing after the walk.
    certify(c, territory, name="Premier", on=date(2027, 6, 1), anniversary=date(2028, 6, 1))
    responses(c, territory, 2, date(2027, 12, 1))
    # Specializations: points short before an anniversary, renewed ones, one lapsed, roles held by an expiring person.
    session = KnowledgeSessionFactory(points=20)
    due = PartnerSpecializationFactory(
        partner=d, territory=territory, certified_on=date(2022, 2, 15), anniversary=date(2028, 2, 15)
    )
    session.specializations.add(due.specialization)
    for day in (date(2027, 5, 1), date(2027, 11, 1)):
        LearningRecordFactory(partner=d, session=session, occurred_on=day)
    PartnerSpecializationFactory(
        partner=d,
        territory=territory,
        certified_on=date(2021, 1, 10),
        anniversary=date(2029, 1, 10),
        last_renewed_on=date(2028, 1, 10),
    )
    PartnerSpecializationFactory(
        partner=e, territory=territory, certified_on=date(2020, 1, 1), anniversary=date(2027, 12, 1), status="lapsed"
    )
    held = PartnerSpecializationFactory(
        partner=e, territory=territory, certified_on=date(2020, 4, 1), anniversary=date(2028, 4, 1)
    )
    person = AssociationFactory(partner=e, individual=IndividualFactory()).individual
    RoleAllocationFactory(partner_specialization=held, individual=person)
    CertificationFactory(individual=person, certified_on=date(2025, 4, 20), expires_on=date(2028, 4, 20))
    certify(e, territory, name="Premier", on=date(2020, 4, 1), anniversary=date(2028, 4, 1))
    certify(f, territory, name="Silver", on=date(2018, 5, 1), anniversary=date(2028, 5, 1))
    responses(f, territory, 9, date(2027, 8, 15))
    # Figures changing during the walk.
    Policy.objects.create(key="compliance.at_risk_days", effective_from=date(2028, 2, 1), value=60)
    Policy.objects.create(key="csat.recert_responses", effective_from=date(2028, 1, 15), value=8)
    return territory, partners, session, due


def test_incremental_and_full_recompute_store_identical_verdicts(today):
    territory, (a, b, c, d, e, f), session, due = _program()
    system = access.SYSTEM

    def respond(partner, n, score=9):
        for i in range(n):
            response_create(
                partner=partner,
                territory=territory,
                customer=f"Late {i}",
                received_on=today["value"],
                score=score,
                actor=system,
            )

    def renew_silently(partner):  # e.g. a renewal approved: the credential row itself changes, nothing is queued
        PartnerSpecialization.objects.filter(partner=partner, status="approved").update(
            anniversary=date(2029, 2, 15), last_renewed_on=date(2028, 2, 15)
        )

    changes = {
        date(2028, 1, 5): lambda: respond(a, 2),
        date(2028, 1, 18): lambda: respond(c, 3, score=2),
        date(2028, 2, 2): lambda: learning_record_create(
            partner=d,
            individual=AssociationFactory(partner=d, individual=IndividualFactory()).individual,
            session=session,
            occurred_on=date(2028, 2, 2),
            how="viewed",
            client_record_id="late",
            actor=system,
        ),
        date(2028, 2, 20): lambda: renew_silently(d),
        date(2028, 2, 28): lambda: PartnerSpecialization.objects.filter(pk=due.pk).update(status="lapsed"),
        date(2028, 3, 1): lambda: recompute_queue(partner_id=f.pk),
    }
    evaluated, day = [], START
    while day <= END:
        today["value"] = day
        if day in changes:
            changes[day]()
        summary = verdicts_refresh(as_of=day)
        evaluated.append(summary["verdicts"])
        incremental = _stored()
        full = verdicts_refresh(as_of=day, full=True)
        assert full["verdicts_written"] == 0, f"{day}: the full recompute still had something to write"
        assert _stored() == incremental, day
        day += timedelta(days=1)
    stored = _stored()
    assert len(stored) == 9 and all(row["next_change_on"] for row in stored.values())
    assert min(evaluated[1:]) == 0 and max(evaluated[1:]) == 9  # quiet days, and the measurement date's
    assert sum(evaluated[1:]) < len(evaluated[1:]) * 9 / 3  # most days touch few credentials
    assert VerdictChange.objects.filter(as_of__gt=START).exists()
    assert Event.objects.filter(kind="compliance.verdict_changed").count() == VerdictChange.objects.count()


def test_an_unchanged_day_touches_only_the_credentials_due(today):
    _program()
    begin = date(2027, 12, 20)
    today["value"] = begin
    verdicts_refresh(as_of=begin)
    quiet = begin + timedelta(days=1)
    assert CredentialVerdict.objects.filter(next_change_on__lte=quiet).count() == 0
    today["value"] = quiet
    with CaptureQueriesContext(connection) as queries:
        summary = verdicts_refresh(as_of=quiet)
    assert summary == {"verdicts": 0, "verdicts_written": 0, "partners_changed": 0}
    assert len(queries) <= 6  # the queue, the credentials, the stored verdicts, the names: nothing evaluated
    first = CredentialVerdict.objects.order_by("next_change_on").first()
    assert first is not None and first.next_change_on is not None
    today["value"] = first.next_change_on
    due = CredentialVerdict.objects.filter(next_change_on=first.next_change_on).count()
    assert verdicts_refresh(as_of=first.next_change_on)["verdicts"] == due


def test_a_replayed_earlier_day_leaves_the_queue_for_today(today):
    territory, partners, *_ = _program()
    today["value"] = START + timedelta(days=3)
    verdicts_refresh(as_of=START + timedelta(days=3))
    recompute_queue(partner_id=partners[0].pk)
    assert verdicts_refresh(as_of=START)["partners_changed"] == 1  # a replay: evaluated, left queued
    assert verdicts_refresh(as_of=START + timedelta(days=3))["partners_changed"] == 1
    assert verdicts_refresh(as_of=START + timedelta(days=3))["partners_changed"] == 0


def test_a_partner_range_covers_its_partners_only(today):
    _, partners, *_ = _program()
    d = partners[3]  # two specializations
    assert verdicts_refresh(as_of=START, partner_range=(d.pk, d.pk + 1))["verdicts"] == 2
    assert set(CredentialVerdict.objects.values_list("partner_id", flat=True)) == {d.pk}


def test_the_full_recompute_command_after_a_policy_change(today):
    _program()
    out = StringIO()
    call_command("recompute_verdicts", as_of="2028-01-01", stdout=out)
    assert "verdicts=9" in out.getvalue() and "verdicts_written=9" in out.getvalue()
    Policy.objects.create(key="compliance.at_risk_days", effective_from=date(2027, 6, 1), value=400)  # in force
    call_command("recompute_verdicts", as_of="2028-01-01", stdout=out)
    assert "verdicts=0" in out.getvalue().splitlines()[-1]  # the nightly path does not see program data
    call_command("recompute_verdicts", "--full", as_of="2028-01-01", stdout=out)
    assert "verdicts=9" in out.getvalue().splitlines()[-1]
    assert CredentialVerdict.objects.filter(status="approved", at_risk=False).count() == 0
    with pytest.raises(CommandError, match="--as-of must be a date"):
        call_command("recompute_verdicts", as_of="2028-02-30")
