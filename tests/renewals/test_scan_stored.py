"""The scan trusts a stored verdict only while it holds on the scan's day, and decides what the live one would."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import CredentialVerdict
from compliance.services.recompute import verdicts_recompute
from core import clock
from core.models import PendingRecompute
from renewals import credentials as registry
from renewals.models import NonComplianceIncident
from renewals.services.scan import daily_scan
from tests.renewals.scan_world import DAY, build_world, scanned
from tests.specializations.factories import PartnerSpecializationFactory


@pytest.fixture
def live_count(monkeypatch):
    """How many credentials the scan judged live (outside the renewal notices' verdicts)."""
    counted = {"n": 0}
    real = registry.verdicts_for

    def counting(*, credentials, as_of, for_renewal=False):
        if not for_renewal:
            counted["n"] += len(credentials)
        return real(credentials=credentials, as_of=as_of, for_renewal=for_renewal)

    monkeypatch.setattr(registry, "verdicts_for", counting)
    return counted


def stored_world(n_partners=3):
    """The world with the verdicts a recompute stored on the scan's day, no recompute pending."""
    partners = build_world(n_partners)
    verdicts_recompute(partner_ids=None, as_of=DAY)
    PendingRecompute.objects.all().delete()
    return partners


def test_stored_and_live_verdicts_give_the_same_scan(db, live_count):
    stored_world()
    CredentialVerdict.objects.update(next_change_on=None)  # unknown: nothing is trusted, all is judged live
    live, [live_summary] = scanned()
    assert live_count["n"] == 27
    CredentialVerdict.objects.update(next_change_on=DAY + timedelta(days=30))
    live_count["n"] = 0
    stored, [stored_summary] = scanned()
    assert live_count["n"] == 0
    assert stored == live and stored_summary == live_summary
    assert stored_summary["incidents_opened"] > 0 and stored_summary["incidents_closed"] > 0
    assert any(i[-1] for i in stored["incidents"] if i[4] is None)  # an open incident lists what is unmet


def _stored(credential, **fields):
    """A stored verdict for `credential` saying it misses its points, current on the scan's day unless told."""
    row = {
        "credential_type": credential._meta.label_lower,
        "credential_id": credential.pk,
        "partner": credential.partner,
        "territory": credential.territory,
        "name": "Stored",
        "status": credential.status,
        "anniversary": credential.anniversary,
        "as_of": DAY - timedelta(days=3),
        "next_change_on": DAY + timedelta(days=1),
        "compliant": False,
        "requirements": [
            {"label": "Points", "missing": "10 more points", "met": False},
            {"label": "Roles", "missing": "", "met": True},
        ],
        "computed_at": clock.now(),
    }
    return CredentialVerdict.objects.create(**{**row, **fields})


# `held` is compliant when judged live (the fake engine of conftest), not compliant by the verdict stored here.


def test_a_current_stored_verdict_is_trusted(held, live_count):
    _stored(held)
    daily_scan(as_of=DAY)
    incident = NonComplianceIncident.objects.get()
    assert incident.unmet == [{"label": "Points", "missing": "10 more points"}]
    assert live_count["n"] == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"next_change_on": DAY},  # the verdict can change on the scan's day itself
        {"next_change_on": DAY - timedelta(days=5)},  # passed
        {"next_change_on": None},  # unknown
        {"as_of": DAY + timedelta(days=1)},  # a past day scanned after a later recompute
        {"anniversary": DAY + timedelta(days=365)},  # judged for another cycle
        {"status": "lapsed"},  # stored while not held
    ],
    ids=["boundary", "passed", "unknown", "later", "other-cycle", "not-held"],
)
def test_a_stale_stored_verdict_is_not_trusted(held, live_count, fields):
    _stored(held, **fields)
    daily_scan(as_of=DAY)
    assert not NonComplianceIncident.objects.exists()  # judged live: compliant
    assert live_count["n"] == 1


def test_a_pending_recompute_makes_the_partner_s_verdicts_untrusted(held, partner_b, live_count):
    _stored(held)
    PendingRecompute.objects.create(partner=held.partner, requested_at=clock.now())
    PendingRecompute.objects.create(partner=partner_b, requested_at=clock.now())
    daily_scan(as_of=DAY)
    assert not NonComplianceIncident.objects.exists()


def test_the_day_before_next_change_on_is_still_current(held, live_count):
    _stored(held, next_change_on=DAY + timedelta(days=1), as_of=DAY)
    daily_scan(as_of=DAY)
    assert NonComplianceIncident.objects.count() == 1 and live_count["n"] == 0


def _queries(partners):
    ContentType.objects.clear_cache()  # each scan reads the content types, as the first of a process does
    with CaptureQueriesContext(connection) as ctx:
        scanned([(partners[0].pk, partners[-1].pk + 1)])
    return len(ctx)


# The queries of one scan of that world (on SQLite; fewer on PostgreSQL): judging live reads the facts; the
# incidents acted on are read once acted on (open ones are read as rows).
QUERIES = {False: 76, True: 60}


@pytest.mark.parametrize("trusted", [False, True], ids=["live", "stored"])
def test_scan_queries_are_the_same_for_10_and_40_credentials(db, trusted):
    small, large = stored_world(1), stored_world(4)
    CredentialVerdict.objects.update(next_change_on=DAY + timedelta(days=30) if trusted else None)
    assert _queries(small) == _queries(large) <= QUERIES[trusted]


def test_a_lapse_queues_a_recompute_of_its_partner_and_entering_re_cert_does_not(partner_a, partner_b, verdicts):
    lapsing = PartnerSpecializationFactory(
        partner=partner_a, status="recert", certified_on=DAY - timedelta(days=800), anniversary=DAY - timedelta(days=31)
    )
    PartnerSpecializationFactory(
        partner=partner_b, certified_on=DAY - timedelta(days=640), anniversary=DAY + timedelta(days=90)
    )
    other = PartnerSpecializationFactory(partner=partner_a, anniversary=DAY + timedelta(days=200))
    _stored(other, compliant=True, requirements=[])
    verdicts.fail(other)  # what a recompute after the lapse would find
    daily_scan(as_of=DAY)
    assert set(PendingRecompute.objects.values_list("partner_id", flat=True)) == {lapsing.partner_id}
    assert not NonComplianceIncident.objects.exists()  # the stored verdict held on the day
    daily_scan(as_of=DAY + timedelta(days=1))  # no recompute between: the stored verdict is not trusted
    assert NonComplianceIncident.objects.get().object_id == other.pk
